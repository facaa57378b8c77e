"""The centre's fiscal-year activity report over several workbooks of its six programmes
(``kenshu hokkaido annual FILE... -o annual.xlsx``): events and attendance by municipality
and theme, the missions and who went where, the trainees by country and host.

A workbook of another fiscal year or of a programme that is not the centre's is listed
with the reason, never silently dropped; so is an event dated outside the fiscal year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from attrs import define, field
from kenshu import Programme, age_on_reference, participant_dates

from kenshu_hokkaido import programmes as P
from kenshu_hokkaido.fiscal import describe, fiscal_year, fiscal_year_bounds
from kenshu_hokkaido.residency import prefecture_of
from kenshu_hokkaido.settings import FISCAL_YEAR_START


@define
class Loaded:
    """One input: its path and, once read and validated, its :class:`kenshu.validate.Validation`."""

    path: str
    validation: Any = None


@define
class Annual:
    """The fiscal-year report: rows per sheet, and what was left out and why."""

    fiscal_year: int
    year_start: tuple[int, int]
    chosen_by: str
    workbooks: list[tuple] = field(factory=list)
    events: list[tuple] = field(factory=list)
    missions: list[tuple] = field(factory=list)
    members: list[tuple] = field(factory=list)
    trainees: list[tuple] = field(factory=list)
    excluded: list[tuple] = field(factory=list)  # (file, what, reason)

    @property
    def first_day(self) -> dt.date:
        return fiscal_year_bounds(self.fiscal_year, self.year_start)[0]

    @property
    def last_day(self) -> dt.date:
        return fiscal_year_bounds(self.fiscal_year, self.year_start)[1]

    def by(self, column: int) -> list[tuple]:
        """Events and attendance grouped by the events' column ``column``."""
        sums: dict[Any, list[int]] = {}
        for row in self.events:
            entry = sums.setdefault(row[column], [0, 0])
            entry[0] += 1
            entry[1] += row[-1] or 0
        return [
            (name, n, people)
            for name, (n, people) in sorted(
                sums.items(), key=lambda kv: (kv[0] is None, kv[0] or "")
            )
        ]

    def by_municipality(self) -> list[tuple]:
        return self.by(EVENT_HEADER.index("municipality"))

    def by_theme(self) -> list[tuple]:
        return self.by(EVENT_HEADER.index("theme"))

    def by_programme(self) -> list[tuple]:
        return self.by(EVENT_HEADER.index("programme"))

    def trainees_by(self, column: str) -> list[tuple]:
        index = TRAINEE_HEADER.index(column)
        counts = Counter(row[index] for row in self.trainees)
        return sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))

    def summary(self) -> list[str]:
        attendance = sum(row[-1] or 0 for row in self.events)
        countries = {row[TRAINEE_HEADER.index("nationality")] for row in self.trainees}
        hosts = {row[TRAINEE_HEADER.index("host_id")] for row in self.trainees} - {None}
        included = sum(1 for w in self.workbooks if w[-1] == "yes")
        destinations = sorted({m[3] for m in self.missions if m[3]})
        return [
            f"HIECC activity report, {describe(self.fiscal_year, self.year_start)}; "
            f"fiscal year {self.chosen_by}.",
            f"{included} of {len(self.workbooks)} workbook(s) included"
            + (f"; {len(self.excluded)} item(s) left out, see Excluded." if self.excluded else "."),
            f"Events: {len(self.events)}, total attendance {attendance:,}, in "
            f"{len([m for m in self.by_municipality() if m[0]])} municipalit(ies).",
            f"Missions: {len(self.missions)} ({', '.join(destinations) or 'none'}), "
            f"{len(self.members)} member(s).",
            f"Technical trainees: {len(self.trainees)} from {len(countries - {None})} "
            f"countr(ies), with {len(hosts)} host(s)"
            + (
                f"; {sum(1 for t in self.trainees if t[TRAINEE_HEADER.index('host_id')] is None)} not yet placed."
                if any(t[TRAINEE_HEADER.index("host_id")] is None for t in self.trainees)
                else "."
            ),
        ]


WORKBOOK_HEADER = (
    "file",
    "programme",
    "cohort_id",
    "fiscal_year",
    "errors",
    "warnings",
    "included",
)
EVENT_HEADER = (
    "file",
    "programme",
    "cohort_id",
    "activity_id",
    "date",
    "municipality",
    "theme",
    "title",
    "lecturer",
    "attendance",
)
MISSION_HEADER = (
    "programme",
    "cohort_id",
    "title",
    "destination",
    "departure",
    "return",
    "members",
)
MEMBER_HEADER = (
    "programme",
    "cohort_id",
    "participant_id",
    "name",
    "prefecture",
    "age_on_departure",
    "destination",
    "departure",
    "return",
)
TRAINEE_HEADER = (
    "cohort_id",
    "participant_id",
    "name",
    "nationality",
    "host_id",
    "host",
    "arrival",
    "departure",
)
EXCLUDED_HEADER = ("file", "what", "reason")


def _year_of(loaded: Loaded) -> int | None:
    cohort = loaded.validation.data.cohort
    if cohort is None or cohort.start_date is None:
        return None
    return fiscal_year(cohort.start_date, _year_start(loaded))


def _year_start(loaded: Loaded) -> tuple[int, int]:
    settings = loaded.validation.settings
    return settings.get("fiscal_year_start", FISCAL_YEAR_START.default)


def build_annual(
    inputs: list[Loaded], year: int | None = None, year_start: tuple[int, int] | None = None
) -> Annual:
    """The report for fiscal year ``year`` (default: the year most of the centre's
    workbooks fall in; the earliest of equals)."""
    year_start = year_start or FISCAL_YEAR_START.default
    ours = [x for x in inputs if x.validation.programme and x.validation.programme.code in P.CODES]
    if year is None:
        counts = Counter(y for y in (_year_of(x) for x in ours) if y is not None)
        if counts:
            top = max(counts.values())
            year = min(y for y, n in counts.items() if n == top)
            chosen = f"taken from the workbooks ({top} of {len(inputs)} fall in it)"
        else:
            year = fiscal_year(dt.date.today(), year_start)
            chosen = "the current one (no workbook gives a start date)"
    else:
        chosen = "as asked (--fiscal-year)"
    annual = Annual(fiscal_year=year, year_start=year_start, chosen_by=chosen)
    for loaded in inputs:
        _add(annual, loaded)
    return annual


def _add(annual: Annual, loaded: Loaded) -> None:
    validation = loaded.validation
    data, programme = validation.data, validation.programme
    code = data.programme_code
    cohort = data.cohort
    counts = validation.counts()
    own_year = _year_of(loaded) if programme and code in P.CODES else None
    reason = None
    if cohort is None:
        reason = "the Cohort sheet could not be read (no programme or cohort id)"
    elif code not in P.CODES:
        reason = f"programme {code!r} is not one of the centre's programmes ({', '.join(P.CODES)})"
    elif own_year is None:
        reason = "the cohort has no start date, so its fiscal year is unknown"
    elif own_year != annual.fiscal_year:
        reason = f"the cohort is of FY{own_year}, not FY{annual.fiscal_year}"
    name = Path(loaded.path).name
    annual.workbooks.append(
        (
            name,
            code,
            cohort.cohort_id if cohort else None,
            own_year,
            counts["error"],
            counts["warning"],
            "no" if reason else "yes",
        )
    )
    if reason:
        annual.excluded.append((name, "workbook", reason))
        return
    if code in P.EVENTS:
        _events(annual, name, code, data)
    elif code in P.MISSIONS:
        _mission(annual, programme, data)
    else:
        _trainees(annual, data)


def _events(annual: Annual, name: str, code: str, data: Any) -> None:
    for a in data.activities:
        if a.date is None or not annual.first_day <= a.date <= annual.last_day:
            why = "no date" if a.date is None else f"dated {a.date}, outside FY{annual.fiscal_year}"
            annual.excluded.append((name, f"event {a.activity_id}", why))
            continue
        annual.events.append(
            (
                name,
                code,
                data.cohort.cohort_id,
                a.activity_id,
                a.date,
                a.municipality,
                a.theme,
                a.title,
                a.lecturer,
                a.attendance,
            )
        )


def _mission(annual: Annual, programme: Programme, data: Any) -> None:
    cohort = data.cohort
    people = [p for p in data.participants if p.status not in ("withdrawn", "rejected")]
    annual.missions.append(
        (
            programme.code,
            cohort.cohort_id,
            cohort.title,
            cohort.destination_country,
            cohort.start_date,
            cohort.end_date,
            len(people),
        )
    )
    for p in people:
        dates = participant_dates(programme, data, p)
        annual.members.append(
            (
                programme.code,
                cohort.cohort_id,
                p.participant_id,
                " ".join(x for x in (p.family_name, p.given_name) if x) or p.name_kanji,
                prefecture_of(p.home_region) or p.home_region,
                age_on_reference(programme, data, p),
                cohort.destination_country,
                dates.start,
                dates.end,
            )
        )


def _trainees(annual: Annual, data: Any) -> None:
    for p in data.participants:
        if p.status in ("withdrawn", "rejected"):
            continue
        host = data.host(p.host_id)
        annual.trainees.append(
            (
                data.cohort.cohort_id,
                p.participant_id,
                " ".join(x for x in (p.family_name, p.given_name) if x),
                p.nationality,
                p.host_id,
                host.name if host else None,
                p.arrival_date,
                p.departure_date,
            )
        )


def sheets(annual: Annual) -> list[tuple[str, tuple, list[tuple]]]:
    """(title, header, rows) of each sheet, in order."""
    return [
        ("Summary", ("summary",), [(line,) for line in annual.summary()]),
        ("Workbooks", WORKBOOK_HEADER, annual.workbooks),
        ("Events", EVENT_HEADER, annual.events),
        (
            "Events by municipality",
            ("municipality", "events", "attendance"),
            annual.by_municipality(),
        ),
        ("Events by theme", ("theme", "events", "attendance"), annual.by_theme()),
        ("Events by programme", ("programme", "events", "attendance"), annual.by_programme()),
        ("Missions", MISSION_HEADER, annual.missions),
        ("Mission members", MEMBER_HEADER, annual.members),
        ("Trainees", TRAINEE_HEADER, annual.trainees),
        ("Trainees by country", ("nationality", "trainees"), annual.trainees_by("nationality")),
        ("Trainees by host", ("host_id", "trainees"), annual.trainees_by("host_id")),
        ("Excluded", EXCLUDED_HEADER, annual.excluded),
    ]


def as_json(annual: Annual) -> dict[str, Any]:
    def cell(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    return {
        "fiscal_year": annual.fiscal_year,
        "first_day": annual.first_day.isoformat(),
        "last_day": annual.last_day.isoformat(),
        "sheets": {
            title.lower().replace(" ", "_"): [
                dict(zip(header, (cell(v) for v in row), strict=True)) for row in rows
            ]
            for title, header, rows in sheets(annual)
        },
    }


def write_workbook(path: str | Path, annual: Annual) -> None:
    """Write the report at ``path`` atomically (never a formula from a text cell)."""
    import openpyxl
    from kenshu.atomic import atomic_path
    from kenshu.workbook.export import safe_row
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    for title, header, rows in sheets(annual):
        ws = wb.create_sheet(title[:31])
        ws.freeze_panes = "A2"
        bold = []
        for name in header:
            from openpyxl.cell import WriteOnlyCell

            c = WriteOnlyCell(ws, name)
            c.font = Font(bold=True)
            bold.append(c)
        ws.append(bold)
        for row in rows:
            ws.append(safe_row(ws, list(row)))
    with atomic_path(path) as temporary:
        wb.save(temporary)
