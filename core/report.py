"""The report: schedule, groups, costs with payer and route, follow-ups, findings.

:func:`build_report` asks the programme's plugins (through the hooks) and fills gaps with
what the workbook gives; :func:`report_json` is the ``kenshu report --json`` shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from attrs import define, field
from kenshu.dataset import inclusive_days
from kenshu.model import (
    ChargedCost,
    Finding,
    Group,
    PlannedFollowUp,
    PlannedPhase,
    ReportSheet,
    planned_from_given,
)
from kenshu.participants import is_outbound
from kenshu.plugins import PluginRegistry
from kenshu.validate import Validation, sort_findings


@define
class Report:
    """Everything ``kenshu report`` writes."""

    validation: Validation
    #: the language of the summary and finding messages (``en`` or ``ja``), and how dates
    #: are written in sentences (``iso`` or ``wareki``); plugins' summaries may follow them
    lang: str = "en"
    date_style: str = "iso"
    #: what ``--redact`` removed (a :class:`kenshu.privacy.Redactions`), or None
    redactions: Any = None
    summary: list[str] = field(factory=list)
    phases: list[PlannedPhase] = field(factory=list)
    groups: list[Group] = field(factory=list)
    costs: list[ChargedCost] = field(factory=list)
    follow_ups: list[PlannedFollowUp] = field(factory=list)
    sheets: list[ReportSheet] = field(factory=list)
    findings: list[Finding] = field(factory=list)

    @property
    def data(self):
        return self.validation.data

    @property
    def programme_code(self) -> str | None:
        return self.validation.data.programme_code

    @property
    def cohort_id(self) -> str | None:
        cohort = self.validation.data.cohort
        return cohort.cohort_id if cohort else None

    @property
    def enrolled(self) -> bool:
        """False for an events programme (an audience rather than enrolled participants)."""
        programme = self.validation.programme
        return programme is None or programme.enrolled

    def event_totals(self) -> dict[str, Any]:
        """Events (the Activities sheet) and their attendance, in all and by municipality and
        by theme: see :func:`event_totals`."""
        return event_totals(self.validation.data.activities)

    def totals(self) -> list[dict[str, Any]]:
        """Sums by payer, reimbursement route, host and currency (in that order)."""
        sums: dict[tuple[Any, ...], float] = defaultdict(float)
        for cost in self.costs:
            if cost.amount is None:
                continue
            sums[(cost.payer, cost.reimbursement, cost.host_id, cost.currency)] += cost.amount
        return [
            {
                "payer": payer,
                "reimbursement": route,
                "host_id": host,
                "amount": int(total) if float(total).is_integer() else round(total, 2),
                "currency": currency,
            }
            for (payer, route, host, currency), total in sorted(
                sums.items(), key=lambda kv: tuple(str(k) for k in kv[0])
            )
        ]


def event_totals(activities: list[Any]) -> dict[str, Any]:
    """How many events and how many people attended, in all, by municipality and by theme.

    ``by_municipality`` and ``by_theme`` are lists of ``{"municipality" (or "theme"),
    "events", "attendance"}`` sorted by name, an empty value last as ``None``;
    ``without_attendance`` lists the events whose head count is not given (they count as
    events, not as attendance).
    """

    def group(key: str) -> list[dict[str, Any]]:
        sums: dict[Any, list[int]] = {}
        for activity in activities:
            entry = sums.setdefault(getattr(activity, key), [0, 0])
            entry[0] += 1
            entry[1] += activity.attendance or 0
        return [
            {key: name, "events": events, "attendance": attendance}
            for name, (events, attendance) in sorted(
                sums.items(), key=lambda kv: (kv[0] is None, kv[0] or "")
            )
        ]

    return {
        "events": len(activities),
        "attendance": sum(a.attendance or 0 for a in activities),
        "without_attendance": [a.activity_id for a in activities if a.attendance is None],
        "by_municipality": group("municipality"),
        "by_theme": group("theme"),
    }


def build_report(
    validation: Validation, registry: PluginRegistry, *, lang: str = "en", date_style: str = "iso"
) -> Report:
    """Compute the report for a validated cohort (also when it has errors).

    ``lang`` chooses the language of the core summary sentences (plugins see it as
    ``report.lang``); ``date_style="wareki"`` writes their dates in Japanese eras.
    """
    data, programme, settings = validation.data, validation.programme, validation.settings
    report = Report(validation=validation, lang=lang, date_style=date_style)
    findings: list[Finding] = []
    if data.cohort is None:
        report.findings = validation.findings
        report.summary = [
            "コホートを読み取れませんでした。指摘事項を見てください。"
            if lang == "ja"
            else "The cohort could not be read: see the findings."
        ]
        return report
    kwargs = {"data": data, "settings": settings}
    # a postponed or cancelled cohort does not take place (yet): no schedule and no costs
    held = data.cohort.held
    phases, more = registry.call("kenshu_plan_schedule", programme, **kwargs) if held else ([], [])
    findings += more
    report.phases = phases or [
        planned_from_given(p) for p in data.phases if held and p.start_date and p.end_date
    ]
    groups, more = registry.call("kenshu_group_participants", programme, **kwargs)
    findings += more
    report.groups = groups
    costs, more = registry.call("kenshu_cost_lines", programme, **kwargs) if held else ([], [])
    findings += more
    report.costs = costs or [_unassigned(c) for c in data.costs if held]
    follow_ups, more = registry.call("kenshu_follow_ups", programme, **kwargs)
    findings += more
    report.follow_ups = follow_ups or [_given_follow_up(f, data) for f in data.follow_ups]
    report.summary = core_summary(report)
    sentences, more = registry.call("kenshu_report_summary", programme, report=report, **kwargs)
    findings += more
    report.summary.extend(sentences)
    sheets, more = registry.call("kenshu_report_sheets", programme, report=report, **kwargs)
    findings += more
    report.sheets = sheets
    report.findings = sort_findings(validation.findings + findings)
    counts = {"error": 0, "warning": 0}
    for f in report.findings:
        if f.severity in counts:
            counts[f.severity] += 1
    if lang == "ja":
        report.summary.append(
            f"指摘事項: エラー{counts['error']}件、警告{counts['warning']}件。"
            + ("" if counts["error"] == 0 else "詳しくは「指摘事項」シートを見てください。")
        )
    else:
        report.summary.append(
            f"Findings: {counts['error']} error(s), {counts['warning']} warning(s)"
            + ("." if counts["error"] == 0 else "; see the Findings sheet.")
        )
    return report


def core_summary(report: Report) -> list[str]:
    if report.lang == "ja":
        return _core_summary_ja(report)
    data = report.data
    cohort = data.cohort
    programme = report.validation.programme
    title = programme.title if programme else data.programme_code
    lines = [
        f"{title}: cohort {cohort.cohort_id}" + (f" ({cohort.title})" if cohort.title else "") + "."
    ]
    if cohort.start_date and cohort.end_date:
        days = inclusive_days(cohort.start_date, cohort.end_date)
        start, end = (_day(d, report.date_style) for d in (cohort.start_date, cohort.end_date))
        lines.append(f"From {start} to {end} ({days} days, both included).")
    if is_outbound(programme) and cohort.destination_country:
        lines.append(f"Outbound: participants go from Japan to {cohort.destination_country}.")
    if not report.enrolled:
        totals = report.event_totals()
        places = [m for m in totals["by_municipality"] if m["municipality"]]
        lines.append(
            f"{totals['events']} event(s), total attendance {totals['attendance']:,}"
            + (
                f", in {len(places)} municipalit{'y' if len(places) == 1 else 'ies'}"
                if places
                else ""
            )
            + (
                f" ({len(totals['without_attendance'])} without a head count)"
                if totals["without_attendance"]
                else ""
            )
            + "."
        )
    elif data.participants:
        countries = {p.nationality for p in data.participants if p.nationality}
        lines.append(
            f"{len(data.participants)} participant(s)"
            + (
                f" from {len(countries)} countr{'y' if len(countries) == 1 else 'ies'}"
                if countries
                else ""
            )
            + (f", {len(data.hosts)} host(s)" if data.hosts else "")
            + "."
        )
    return lines


def _day(value: dt.date, date_style: str) -> str:
    from kenshu.wareki import format_wareki

    return format_wareki(value) if date_style == "wareki" else value.isoformat()


def _core_summary_ja(report: Report) -> list[str]:
    data = report.data
    cohort = data.cohort
    programme = report.validation.programme
    title = (programme.title_ja or programme.title) if programme else data.programme_code
    lines = [
        f"{title}: コホート {cohort.cohort_id}"
        + (f"({cohort.title})" if cohort.title else "")
        + "。"
    ]
    if cohort.start_date and cohort.end_date:
        days = inclusive_days(cohort.start_date, cohort.end_date)
        start, end = (_day(d, report.date_style) for d in (cohort.start_date, cohort.end_date))
        lines.append(f"期間は{start}から{end}まで({days}日間、初日と最終日を含む)。")
    if is_outbound(programme) and cohort.destination_country:
        lines.append(f"派遣型: 参加者を日本から{cohort.destination_country}へ派遣。")
    if not report.enrolled:
        totals = report.event_totals()
        places = [m for m in totals["by_municipality"] if m["municipality"]]
        lines.append(
            f"催し{totals['events']}件、参加者数の合計{totals['attendance']:,}人"
            + (f"、{len(places)}市町村で開催" if places else "")
            + (
                f"(参加者数の記入がない催し{len(totals['without_attendance'])}件)"
                if totals["without_attendance"]
                else ""
            )
            + "。"
        )
    elif data.participants:
        countries = {p.nationality for p in data.participants if p.nationality}
        lines.append(
            f"参加者{len(data.participants)}人"
            + (f"({len(countries)}か国)" if countries else "")
            + (f"、受入団体{len(data.hosts)}団体" if data.hosts else "")
            + "。"
        )
    return lines


def _unassigned(cost) -> ChargedCost:
    return ChargedCost(
        item=cost.item or "other",
        payer="unassigned",
        amount=cost.amount,
        currency=cost.currency,
        participant_id=cost.participant_id,
        host_id=cost.host_id,
        explanation="no rule of this programme assigns a payer to this line",
        cost_id=cost.cost_id,
    )


def _given_follow_up(follow_up, data) -> PlannedFollowUp:
    return PlannedFollowUp(
        follow_up_id=follow_up.follow_up_id,
        kind=follow_up.kind or "follow_up",
        date=follow_up.date,
        location=follow_up.location,
        participant_ids=tuple(p.participant_id for p in data.participants),
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "sheet"


def report_json(report: Report) -> dict[str, Any]:
    """The JSON shape of ``kenshu report --json`` (finding messages in ``report.lang``)."""
    out: dict[str, Any] = {
        "programme": report.programme_code,
        "cohort_id": report.cohort_id,
        "summary": report.summary,
        "settings": report.validation.settings.rendered(),
        "phases": [
            {
                "phase_id": p.phase_id,
                "kind": p.kind,
                "participant_id": p.participant_id,
                "start_date": _iso(p.start_date),
                "end_date": _iso(p.end_date),
                "location": p.location,
                "host_id": p.host_id,
            }
            for p in report.phases
        ],
        "groups": [
            {
                "group_id": g.group_id,
                "kind": g.kind,
                "participant_ids": list(g.participant_ids),
                "explanation": g.explanation,
            }
            for g in report.groups
        ],
        "costs": [
            {
                "item": c.item,
                "payer": c.payer,
                "amount": c.amount,
                "currency": c.currency,
                "reimbursement": c.reimbursement,
                "participant_id": c.participant_id,
                "host_id": c.host_id,
                "explanation": c.explanation,
            }
            for c in report.costs
        ],
        "totals": report.totals(),
        "follow_ups": [
            {
                "follow_up_id": f.follow_up_id,
                "kind": f.kind,
                "date": _iso(f.date),
                "due_from": _iso(f.due_from),
                "due_to": _iso(f.due_to),
                "location": f.location,
                "participant_ids": list(f.participant_ids),
            }
            for f in report.follow_ups
        ],
        "findings": [f.as_dict(report.lang) for f in report.findings],
    }
    if not report.enrolled:
        out["events"] = report.event_totals()
    if report.redactions is not None:
        out["redactions"] = report.redactions.as_json()
    for sheet in report.sheets:
        key = sheet.key or _slug(sheet.name)
        out.setdefault("sheets", {})[key] = {
            "name": sheet.name,
            "header": list(sheet.header),
            "rows": [[_json_cell(v) for v in row] for row in sheet.rows],
        }
    return out


def _json_cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_cell(v) for v in value]
    return value
