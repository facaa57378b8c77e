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
    15 May + 6 months ends 14 November."""
    return add_months(start, months) - dt.timedelta(days=1)


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
