"""The centre's fiscal-year activity report over several workbooks of its six programmes
(``kenshu hokkaido annual FILE... -o annual.xlsx``): events and attendance by municipality
and theme, the missions and who went where, the trainees by country and host.

A workbook of another fiscal year or of a programme that is not the centre's is listed
with the reason, never silently dropped; so is an event dated outside the fiscal year. A
cohort (programme and cohort id) given in several workbooks is counted once, from the first
of them: each later copy is listed with the file already counted, and with what differs
when it is not an identical copy (then a problem: staff must say which copy is right).

The summary, sheet names, headers and reasons are in English or Japanese (``lang``); the
JSON keeps English keys.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from attrs import define, field, frozen
from kenshu import NOT_TAKING_PART, Programme

from kenshu_hokkaido import missions
from kenshu_hokkaido import programmes as P
from kenshu_hokkaido.events import cohort_fiscal_year
from kenshu_hokkaido.fiscal import describe, describe_ja, fiscal_year, fiscal_year_bounds
from kenshu_hokkaido.settings import FISCAL_YEAR_START


@define
class Loaded:
    """One input: its path and, once read and validated, its :class:`kenshu.validate.Validation`."""

    path: str
    validation: Any = None


@frozen
class Said:
    """A text in English and Japanese: ``said(lang)`` is the one to show."""

    en: str
    ja: str

    def __call__(self, lang: str = "en") -> str:
        return self.ja if lang == "ja" else self.en


@frozen
class Left:
    """Something left out of the report: the file, what of it, and why. ``problem`` is
    False for a note (an identical copy of a cohort already counted): it alone does not
    make the run exit 1."""

    file: str
    what: Said
    reason: Said
    problem: bool = True

    def row(self, lang: str = "en") -> tuple[str, str, str]:
        return (self.file, self.what(lang), self.reason(lang))


@define
class Counted:
    """A cohort counted in the report: the file it was taken from and its data."""

    path: str
    name: str
    data: Any


@define
class Annual:
    """The fiscal-year report: rows per sheet, and what was left out and why."""

    fiscal_year: int
    year_start: tuple[int, int]
    chosen_by: Said
    workbooks: list[tuple] = field(factory=list)
    events: list[tuple] = field(factory=list)
    missions: list[tuple] = field(factory=list)
    members: list[tuple] = field(factory=list)
    trainees: list[tuple] = field(factory=list)
    excluded: list[Left] = field(factory=list)
    #: (programme, cohort id) -> the workbook it is counted from
    counted: dict[tuple[str, str], Counted] = field(factory=dict)

    @property
    def problems(self) -> bool:
        """Something left out that staff must look at, or a workbook with errors."""
        return any(x.problem for x in self.excluded) or any(row[4] for row in self.workbooks)

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

    def summary(self, lang: str = "en") -> list[str]:
        """The summary sentences, in ``lang`` (``en`` or ``ja``)."""
        host_at = TRAINEE_HEADER.index("host_id")
        facts = {
            "attendance": sum(row[-1] or 0 for row in self.events),
            "places": len([m for m in self.by_municipality() if m[0]]),
            "countries": len(
                {row[TRAINEE_HEADER.index("nationality")] for row in self.trainees} - {None}
            ),
            "hosts": len({row[host_at] for row in self.trainees} - {None}),
            "unplaced": sum(1 for row in self.trainees if row[host_at] is None),
            "included": sum(1 for w in self.workbooks if w[-1] == "yes"),
            "destinations": ", ".join(sorted({m[3] for m in self.missions if m[3]})),
        }
        return _summary_ja(self, **facts) if lang == "ja" else _summary_en(self, **facts)


def _n(count: int, one: str, many: str | None = None) -> str:
    """``1 workbook``, ``2 workbooks``, ``9 municipalities`` (with ``many`` given)."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def _summary_en(annual: Annual, **f: Any) -> list[str]:
    lines = [
        f"HIECC activity report, {describe(annual.fiscal_year, annual.year_start)}; "
        f"fiscal year {annual.chosen_by('en')}.",
        f"{f['included']} of {_n(len(annual.workbooks), 'workbook')} included"
        + (
            f"; {_n(len(annual.excluded), 'item')} left out, see Excluded."
            if annual.excluded
            else "."
        ),
    ]
    if annual.events:
        lines.append(
            f"Events: {len(annual.events):,}, total attendance {f['attendance']:,}"
            + (f", in {_n(f['places'], 'municipality', 'municipalities')}" if f["places"] else "")
            + "."
        )
    else:
        lines.append("Events: none.")
    if annual.missions:
        lines.append(
            f"Missions: {len(annual.missions):,}"
            + (f" ({f['destinations']})" if f["destinations"] else "")
            + f", {_n(len(annual.members), 'member')}."
        )
    else:
        lines.append("Missions: none.")
    if annual.trainees:
        lines.append(
            f"Technical trainees: {len(annual.trainees):,}"
            + (f" from {_n(f['countries'], 'country', 'countries')}" if f["countries"] else "")
            + (f", with {_n(f['hosts'], 'host')}" if f["hosts"] else ", with no host yet")
            + (f"; {f['unplaced']:,} not yet placed." if f["unplaced"] else ".")
        )
    else:
        lines.append("Technical trainees: none.")
    return lines


def _summary_ja(annual: Annual, **f: Any) -> list[str]:
    lines = [
        f"HIECC 活動報告、{describe_ja(annual.fiscal_year, annual.year_start)}。"
        f"年度: {annual.chosen_by('ja')}。",
        f"ワークブック{len(annual.workbooks):,}件中{f['included']:,}件を集計"
        + (
            f"、{len(annual.excluded):,}件を除外(「{_TITLES_JA['Excluded']}」シート参照)。"
            if annual.excluded
            else "。"
        ),
    ]
    if annual.events:
        lines.append(
            f"催し{len(annual.events):,}件、参加者数の合計{f['attendance']:,}人"
            + (f"、{f['places']:,}市町村で開催" if f["places"] else "")
            + "。"
        )
    else:
        lines.append("催し: なし。")
    if annual.missions:
        lines.append(
            f"派遣団{len(annual.missions):,}件"
            + (f"({f['destinations']})" if f["destinations"] else "")
            + f"、団員{len(annual.members):,}人。"
        )
    else:
        lines.append("派遣団: なし。")
    if annual.trainees:
        lines.append(
            f"技術研修員{len(annual.trainees):,}人"
            + (f"({f['countries']:,}か国)" if f["countries"] else "")
            + (f"、受入団体{f['hosts']:,}団体" if f["hosts"] else "、受入団体は未定")
            + (f"、うち{f['unplaced']:,}人は未配属" if f["unplaced"] else "")
            + "。"
        )
    else:
        lines.append("技術研修員: なし。")
    return lines


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

#: The sheet names of annual.xlsx in Japanese (JSON keeps the English ones).
_TITLES_JA = {
    "Summary": "概要",
    "Workbooks": "ワークブック",
    "Events": "催し",
    "Events by municipality": "市町村別の催し",
    "Events by theme": "テーマ別の催し",
    "Events by programme": "事業別の催し",
    "Missions": "派遣団",
    "Mission members": "派遣団員",
    "Trainees": "技術研修員",
    "Trainees by country": "国別の技術研修員",
    "Trainees by host": "受入団体別の技術研修員",
    "Excluded": "除外",
}
#: The column headers of annual.xlsx in Japanese (JSON keeps the English ones).
_HEADERS_JA = {
    "summary": "概要",
    "file": "ファイル",
    "programme": "事業",
    "cohort_id": "コホートID",
    "fiscal_year": "年度",
    "errors": "エラー",
    "warnings": "警告",
    "included": "集計",
    "activity_id": "催しID",
    "date": "日付",
    "municipality": "市町村",
    "theme": "テーマ",
    "title": "名称",
    "lecturer": "講師",
    "attendance": "参加者数",
    "events": "催し数",
    "destination": "派遣先",
    "departure": "出発日",
    "return": "帰国日",
    "members": "団員数",
    "participant_id": "参加者ID",
    "name": "氏名",
    "prefecture": "都道府県",
    "age_on_departure": "出発日の年齢",
    "nationality": "国籍",
    "host_id": "受入団体ID",
    "host": "受入団体",
    "arrival": "来日日",
    "trainees": "研修員数",
    "what": "対象",
    "reason": "理由",
}
_YES_NO_JA = {"yes": "はい", "no": "いいえ"}
WORKBOOK = Said("workbook", "ワークブック")


def _year_of(loaded: Loaded) -> int | None:
    return cohort_fiscal_year(loaded.validation.data, loaded.validation.settings)


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
            chosen = Said(
                f"taken from the workbooks ({top} of {len(inputs)} fall in it)",
                f"ワークブックから判定({len(inputs)}件中{top}件がこの年度)",
            )
        else:
            year = fiscal_year(dt.date.today(), year_start)
            chosen = Said(
                "the current one (no workbook gives a start date)",
                "今年度(開始日のあるワークブックがないため)",
            )
    else:
        chosen = Said("as asked (--fiscal-year)", "指定どおり(--fiscal-year)")
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
    name = Path(loaded.path).name
    reason = None
    problem = True
    if cohort is None:
        reason = Said(
            "the Cohort sheet could not be read (no programme or cohort id)",
            "コホートシートを読めません(事業またはコホートIDがありません)",
        )
    elif code not in P.CODES:
        reason = Said(
            f"programme {code!r} is not one of the centre's programmes ({', '.join(P.CODES)})",
            f"事業「{code}」はセンターの事業({'、'.join(P.CODES)})ではありません",
        )
    elif own_year is None:
        reason = Said(
            "the cohort has no start date, so its fiscal year is unknown",
            "コホートに開始日がないため、年度が分かりません",
        )
    elif own_year != annual.fiscal_year:
        reason = Said(
            f"the cohort is of FY{own_year}, not FY{annual.fiscal_year}",
            f"{own_year}年度のコホートで、{annual.fiscal_year}年度ではありません",
        )
    elif (code, cohort.cohort_id) in annual.counted:
        first = annual.counted[(code, cohort.cohort_id)]
        reason, problem = _copy_of(first, name, code, data)
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
        annual.excluded.append(Left(name, WORKBOOK, reason, problem))
        return
    annual.counted[(code, cohort.cohort_id)] = Counted(loaded.path, name, data)
    if code in P.EVENTS:
        _events(annual, name, code, data)
    elif code in P.MISSIONS:
        _mission(annual, programme, data)
    else:
        _trainees(annual, data)


def _copy_of(first: Counted, name: str, code: str, data: Any) -> tuple[Said, bool]:
    """Why a second workbook of a cohort already counted is left out, and whether it is a
    problem (its events or participants differ from the counted copy's)."""
    there = first.path if first.name == name else first.name  # two files of one name
    cohort_id = data.cohort.cohort_id
    en = [f"the same cohort ({code}, {cohort_id}) as {there}, which is counted"]
    ja = [f"{there} と同じコホート({code}、{cohort_id})で、そちらを集計済み"]
    details_en: list[str] = []
    details_ja: list[str] = []
    for records, attribute, noun, noun_ja in (
        ("activities", "activity_id", "event", "催し"),
        ("participants", "participant_id", "participant", "参加者"),
    ):
        changed, only_here, only_there = _differences(
            getattr(first.data, records), getattr(data, records), attribute
        )
        if changed:
            verb = "differs" if len(changed) == 1 else "differ"
            details_en.append(f"{_listed(noun, changed)} {verb}")
            details_ja.append(f"{noun_ja} {', '.join(changed)} の内容が異なる")
        if only_here:
            details_en.append(f"{_listed(noun, only_here)} only in this file")
            details_ja.append(f"{noun_ja} {', '.join(only_here)} はこのファイルにだけある")
        if only_there:
            details_en.append(f"{_listed(noun, only_there)} only in {there}")
            details_ja.append(f"{noun_ja} {', '.join(only_there)} は {there} にだけある")
    if details_en:
        en.append(f"this copy differs from it ({'; '.join(details_en)}): check which copy is right")
        ja.append(f"内容が異なります({'。'.join(details_ja)})。どちらが正しいか確認してください")
    else:
        en.append("this copy is identical, so it is not counted again")
        ja.append("内容も同じため、重複して数えません")
    return Said("; ".join(en), "。".join(ja)), bool(details_en)


def _listed(noun: str, ids: list[str]) -> str:
    """``event L2``, ``events L2, L5``."""
    return f"{noun if len(ids) == 1 else noun + 's'} {', '.join(ids)}"


def _differences(
    counted: list[Any], later: list[Any], attribute: str
) -> tuple[list[str], list[str], list[str]]:
    """The ids whose records differ, those only in ``later`` and those only in ``counted``
    (an id given twice in one workbook is compared as the list of its records)."""

    def grouped(records: list[Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for record in records:
            out.setdefault(str(getattr(record, attribute)), []).append(record)
        return out

    a, b = grouped(counted), grouped(later)
    changed = [key for key in a if key in b and a[key] != b[key]]
    return changed, [key for key in b if key not in a], [key for key in a if key not in b]


def _events(annual: Annual, name: str, code: str, data: Any) -> None:
    first, last = annual.first_day, annual.last_day
    for a in data.activities:
        if a.date is None or not first <= a.date <= last:
            if a.date is None:
                why = Said("no date", "日付がありません")
            else:
                why = Said(
                    f"dated {a.date}, outside FY{annual.fiscal_year}",
                    f"{a.date}の催しで、{annual.fiscal_year}年度の外です",
                )
            what = Said(f"event {a.activity_id}", f"催し {a.activity_id}")
            annual.excluded.append(Left(name, what, why))
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
    rows = (
        dict(zip(missions.MEMBER_HEADER, row, strict=True))
        for row in missions.members(programme, data)  # the cohort report's member rows
    )
    people = [m for m in rows if m["status"] not in NOT_TAKING_PART]
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
    for m in people:
        annual.members.append(
            (programme.code, cohort.cohort_id, *(m[column] for column in MEMBER_HEADER[2:]))
        )


def _trainees(annual: Annual, data: Any) -> None:
    for p in data.participants:
        if not p.taking_part:
            continue
        host = data.host(p.host_id)
        annual.trainees.append(
            (
                data.cohort.cohort_id,
                p.participant_id,
                P.latin_name(p),
                p.nationality,
                p.host_id,
                host.name if host else None,
                p.arrival_date,
                p.departure_date,
            )
        )


def _sheets(annual: Annual, lang: str = "en") -> list[tuple[str, tuple, list[tuple]]]:
    """(English title, English header, rows with their texts in ``lang``) of each sheet."""
    return [
        ("Summary", ("summary",), [(line,) for line in annual.summary(lang)]),
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
        ("Excluded", EXCLUDED_HEADER, [x.row(lang) for x in annual.excluded]),
    ]


def sheets(annual: Annual, lang: str = "en") -> list[tuple[str, tuple, list[tuple]]]:
    """(title, header, rows) of each sheet of annual.xlsx, in order, in ``lang``."""
    if lang != "ja":
        return _sheets(annual, lang)
    out = []
    for title, header, rows in _sheets(annual, lang):
        if title == "Workbooks":
            rows = [(*row[:-1], _YES_NO_JA.get(row[-1], row[-1])) for row in rows]
        out.append((_TITLES_JA[title], tuple(_HEADERS_JA[h] for h in header), rows))
    return out


def as_json(annual: Annual, lang: str = "en") -> dict[str, Any]:
    """The report as JSON: English keys (and ``included`` yes/no) whatever ``lang``; the
    summary, ``what`` and ``reason`` in ``lang``."""

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
            for title, header, rows in _sheets(annual, lang)
        },
    }


def write_workbook(path: str | Path, annual: Annual, lang: str = "en") -> None:
    """Write the report at ``path`` atomically, in ``lang`` (never a formula from a text
    cell)."""
    from kenshu.workbook.xlsxwrite import xlsx_workbook

    with xlsx_workbook(path) as book:
        for title, header, rows in sheets(annual, lang):
            book.sheet(title).table(header, rows)
