"""The fiscal year (April to March by default: the ``fiscal_year_start`` setting)."""

from __future__ import annotations

import datetime as dt


def fiscal_year(day: dt.date, start: tuple[int, int] = (4, 1)) -> int:
    """The fiscal year ``day`` falls in, named by the calendar year it starts in:
    31 March 2025 is FY2024, 1 April 2025 is FY2025."""
    return day.year if (day.month, day.day) >= start else day.year - 1


def fiscal_year_bounds(year: int, start: tuple[int, int] = (4, 1)) -> tuple[dt.date, dt.date]:
    """The first and last day of fiscal year ``year`` (both inclusive)."""
    first = dt.date(year, *start)
    following = dt.date(year + 1, *start)
    return first, following - dt.timedelta(days=1)


def describe(year: int, start: tuple[int, int] = (4, 1)) -> str:
    """``FY2024 (2024-04-01 to 2025-03-31)``."""
    first, last = fiscal_year_bounds(year, start)
    return f"FY{year} ({first} to {last})"


def describe_ja(year: int, start: tuple[int, int] = (4, 1)) -> str:
    """``2024年度(2024-04-01〜2025-03-31)``."""
    first, last = fiscal_year_bounds(year, start)
    return f"{year}年度({first}〜{last})"
