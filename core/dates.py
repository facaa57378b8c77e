"""Calendar arithmetic the programmes share: months counted as people count them."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the month's end (31 Jan + 1 = 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_end(start: dt.date, months: int) -> dt.date:
    """The last day of a stay of exactly ``months`` calendar months from ``start`` (inclusive):
    15 May + 6 months ends 14 November.

    The stay ends the day before the day corresponding to ``start`` in the last month or,
    when that month has no such day, on its last day (as Japan's Civil Code, art. 143, counts
    periods): 31 May + 6 months ends 30 November, 29 February 2024 + 12 months ends
    28 February 2025. Clamping first and then stepping back a day would end them a day early.
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


def months_between_inclusive(start: dt.date, end: dt.date) -> float:
    """How many calendar months ``start``..``end`` (both included) spans.

    Whole months are counted first (15 May..14 Nov is exactly 6); the remainder is the
    fraction of the following month, so 15 May..15 Nov is a little over 6.
    """
    if end < start:
        return -months_between_inclusive(end, start)
    whole = (end.year - start.year) * 12 + (end.month - start.month) + 1
    while whole > 0 and months_end(start, whole) > end:
        whole -= 1
    reached = months_end(start, whole) if whole else start - dt.timedelta(days=1)
    if reached == end:
        return float(whole)
    next_end = months_end(start, whole + 1)
    span = (next_end - reached).days
    return whole + (end - reached).days / span
