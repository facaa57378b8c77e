"""Editions: each is a 28-day programme; the documented editions' dates, for the seminar rule.

A workbook holds one cohort. A follow-up seminar serves one or more cohorts (its ``cohorts``
list), so the last days of the *other* cohorts come from the table below (each with its
source) or from the ``cohort_ends`` setting. A cohort id is matched to a documented edition by
the number it ends with (``leaders-vietnam-3``, ``lv3``, ``edition-3``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from kenshu import CohortData, Finding, Settings, inclusive_days

D = dt.date
JICA = "https://www.jica.go.jp/oda/project/201905203/"

#: edition -> (first day, last day, source); both days included, 28 days each.
EDITIONS: dict[int, tuple[dt.date, dt.date, str]] = {
    1: (D(2023, 5, 14), D(2023, 6, 10), JICA + "news/20230610.html"),
    2: (D(2023, 8, 6), D(2023, 9, 2), JICA + "en_news/20230902.html (end: 28 days)"),
    3: (D(2024, 2, 18), D(2024, 3, 16), JICA + "news/1563199_56139.html"),
    4: (D(2024, 5, 12), D(2024, 6, 8), JICA + "news/1563200_56139.html"),
    5: (D(2024, 8, 4), D(2024, 8, 31), JICA + "en_news/1563205_56141.html (year inferred)"),
}
_TRAILING_NUMBER = re.compile(r"(\d+)$")


def edition_of(cohort_id: str) -> int | None:
    """The edition a cohort id names by its trailing number, when documented."""
    found = _TRAILING_NUMBER.search(cohort_id.strip())
    number = int(found.group(1)) if found else None
    return number if number in EDITIONS else None


def parse_cohort_ends(entries: tuple[str, ...]) -> tuple[dict[str, dt.date], list[str]]:
    """``cohort_ends`` entries (``id=YYYY-MM-DD``) as a dict, and the entries that are not."""
    ends: dict[str, dt.date] = {}
    bad = []
    for entry in entries:
        cohort_id, _, day = entry.partition("=")
        cohort_id = cohort_id.strip()
        try:
            end = dt.date.fromisoformat(day.strip())
        except ValueError:
            end = None
        if not cohort_id or end is None:
            bad.append(entry)  # once, however many parts of it are wrong
            continue
        ends[cohort_id] = end
    return ends, bad


def check(data: CohortData, settings: Settings) -> Iterator[Finding]:
    """The cohort's length, its edition number, and its dates against the documented edition."""
    cohort = data.cohort
    if cohort.edition is None and "edition" not in cohort.invalid:
        yield data.warning(
            "leaders_vietnam.edition-missing",
            "no edition number (rule: cohorts are numbered editions; the 4th ran 12 May - 8 June 2024)",
            ja="回次が記入されていません(要件: コホートには回次があります。第4回は2024年5月12日〜6月8日)",
            record=cohort,
            field="edition",
        )
    start, end = cohort.start_date, cohort.end_date
    if start is None or end is None or end < start:
        return  # missing dates are required fields, reversed ones the core's
    days = settings["programme_days"]
    length = inclusive_days(start, end)
    if length != days:
        expected = start + dt.timedelta(days=days - 1)
        yield data.error(
            "leaders_vietnam.edition-length",
            f"the cohort runs {length} days, from {start} to {end} (rule: every edition lasts "
            f"{days} days, both ends included; {days} days from {start} end on {expected})",
            ja=f"コホートの期間が{start}から{end}までの{length}日間です(要件: 各回の研修は初日と"
            f"最終日を含めて{days}日間。{start}からの{days}日間は{expected}までです)",
            record=cohort,
            field="end_date",
        )
    documented = EDITIONS.get(cohort.edition) if cohort.edition else None
    if documented and (start, end) != documented[:2]:
        first, last, source = documented
        yield data.warning(
            "leaders_vietnam.edition-dates-differ",
            f"edition {cohort.edition} ran from {first} to {last} ({source}); "
            f"this cohort says {start} to {end}",
            ja=f"第{cohort.edition}回は{first}から{last}まで実施されました({source})。"
            f"このコホートでは{start}から{end}までとなっています",
            record=cohort,
            field="start_date",
        )
