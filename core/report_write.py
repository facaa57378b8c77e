"""Writing the report workbook (streamed by :mod:`kenshu.workbook.xlsxwrite`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from kenshu.report import Report
from kenshu.wareki import format_date
from kenshu.workbook.xlsxwrite import XlsxBook, XlsxSheet, xlsx_workbook

_TITLES = {
    "en": {
        "Summary": "Summary",
        "Schedule": "Schedule",
        "Participants": "Participants",
        "Classes": "Classes",
        "Costs": "Costs",
        "Totals": "Totals",
        "FollowUps": "FollowUps",
        "Findings": "Findings",
        "Redactions": "Redactions",
        "Events": "Events",
        "ByMunicipality": "Attendance by municipality",
        "ByTheme": "Attendance by theme",
    },
    "ja": {
        "Summary": "概要",
        "Schedule": "日程",
        "Participants": "参加者",
        "Classes": "クラス",
        "Costs": "費用",
        "Totals": "費用合計",
        "FollowUps": "フォローアップ",
        "Findings": "指摘事項",
        "Redactions": "秘匿処理",
        "Events": "催し",
        "ByMunicipality": "市町村別参加者数",
        "ByTheme": "テーマ別参加者数",
    },
}


def write_report_workbook(path: str | Path, report: Report, lang: str = "en") -> None:
    """Write the report at ``path`` atomically.

    Finding messages are in ``lang``; dates are written as ``report.date_style`` says
    (``wareki``: Japanese-era text). A redacted report (``report.redactions``) gets a
    Redactions sheet that says what was removed or masked.
    """
    with xlsx_workbook(path) as wb:
        _write(wb, report, lang)


def _write(wb: XlsxBook, report: Report, lang: str) -> None:
    import functools

    titles = _TITLES.get(lang, _TITLES["en"])
    data = report.data
    sheet = functools.partial(_sheet, date_style=report.date_style)

    sheet(wb, titles["Summary"], ["summary"], [[line] for line in report.summary], widths=[110])
    settings = report.validation.settings
    ws = wb.sheet(f"{titles['Summary']} settings" if lang == "en" else "設定値")
    _rows(
        ws,
        ["setting", "value", "origin", "help"],
        [
            [
                key,
                _cell(settings.declared[key].render(value)),
                settings.origins.get(key),
                settings.declared[key].help,
            ]
            for key, value in settings.items()
        ],
        widths=[28, 16, 14, 90],
    )

    sheet(
        wb,
        titles["Schedule"],
        [
            "phase_id",
            "kind",
            "participant_id",
            "start_date",
            "end_date",
            "days",
            "location",
            "host_id",
            "title",
        ],
        [
            [
                p.phase_id,
                p.kind,
                p.participant_id or "(all)",
                p.start_date,
                p.end_date,
                (p.end_date - p.start_date).days + 1,
                p.location,
                p.host_id,
                p.title,
            ]
            for p in report.phases
        ],
        widths=[26, 22, 16, 12, 12, 6, 28, 14, 40],
    )
    group_of: dict[str, list[str]] = {}
    for group in report.groups:
        for pid in group.participant_ids:
            group_of.setdefault(pid, []).append(group.group_id)
    per_subject = Counter((f.subject, f.severity) for f in report.findings if f.subject)
    if not report.enrolled:
        _events_sheets(sheet, wb, titles, report)
    dates = _participant_dates(report)
    if report.enrolled:  # an events programme has no participants to list
        sheet(
            wb,
            titles["Participants"],
            [
                "participant_id",
                "family_name",
                "given_name",
                "native_name",
                "nationality",
                "home_organisation",
                "host_id",
                "arrival_date",
                "departure_date",
                "groups",
                "status",
                "errors",
                "warnings",
            ],
            [
                [
                    p.participant_id,
                    p.family_name,
                    p.given_name,
                    p.native_name,
                    p.nationality,
                    p.home_organisation,
                    p.host_id,
                    *dates(p),
                    "; ".join(group_of.get(p.participant_id, [])),
                    p.status,
                    per_subject.get((p.participant_id, "error"), 0),
                    per_subject.get((p.participant_id, "warning"), 0),
                ]
                for p in data.participants
            ],
            widths=[16, 16, 16, 18, 10, 30, 14, 12, 12, 16, 12, 8, 8],
        )
    if report.groups:
        sheet(
            wb,
            titles["Classes"],
            ["group_id", "kind", "size", "participant_ids", "explanation"],
            [
                [
                    g.group_id,
                    g.kind,
                    len(g.participant_ids),
                    "; ".join(g.participant_ids),
                    g.explanation,
                ]
                for g in report.groups
            ],
            widths=[16, 14, 6, 60, 80],
        )
    sheet(
        wb,
        titles["Costs"],
        [
            "cost_id",
            "item",
            "payer",
            "amount",
            "currency",
            "reimbursement",
            "participant_id",
            "host_id",
            "explanation",
        ],
        [
            [
                c.cost_id,
                c.item,
                c.payer,
                c.amount,
                c.currency,
                c.reimbursement,
                c.participant_id,
                c.host_id,
                c.explanation,
            ]
            for c in report.costs
        ],
        widths=[12, 16, 22, 12, 8, 30, 14, 14, 90],
    )
    sheet(
        wb,
        titles["Totals"],
        ["payer", "reimbursement", "host_id", "amount", "currency"],
        [
            [t["payer"], t["reimbursement"], t["host_id"], t["amount"], t["currency"]]
            for t in report.totals()
        ],
        widths=[22, 30, 14, 14, 8],
    )
    sheet(
        wb,
        titles["FollowUps"],
        [
            "follow_up_id",
            "kind",
            "date",
            "due_from",
            "due_to",
            "location",
            "planned",
            "participant_ids",
        ],
        [
            [
                f.follow_up_id,
                f.kind,
                f.date,
                f.due_from,
                f.due_to,
                f.location,
                "yes" if f.planned else "no",
                "; ".join(f.participant_ids),
            ]
            for f in report.follow_ups
        ],
        widths=[20, 20, 12, 12, 12, 24, 8, 60],
    )
    for extra in report.sheets:
        sheet(wb, extra.name[:31], list(extra.header), [list(r) for r in extra.rows])
    sheet(
        wb,
        titles["Findings"],
        ["severity", "code", "message", "sheet", "row", "column", "cell", "subject", "source"],
        [
            [
                f.severity,
                f.code,
                f.message_in(lang),
                f.sheet,
                f.row,
                f.column,
                f.cell,
                f.subject,
                f.source,
            ]
            for f in report.findings
        ],
        widths=[9, 30, 90, 14, 6, 6, 8, 16, 12],
    )
    if report.redactions is not None:
        from kenshu.privacy import REDACTIONS_HEADER

        sheet(
            wb,
            titles["Redactions"],
            list(REDACTIONS_HEADER),
            report.redactions.rows(lang),
            widths=[14, 22, 28, 12, 70],
        )


def _participant_dates(report: Report) -> Any:
    """``dates(participant)``: the first and last day the report shows, as the rules see
    them (for an outbound programme a missing one is the cohort's)."""
    from kenshu.participants import participant_dates

    programme, data = report.validation.programme, report.data

    def dates(p: Any) -> tuple[Any, Any]:
        effective = participant_dates(programme, data, p)
        return effective.start, effective.end

    return dates


def _events_sheets(sheet: Any, wb: Any, titles: dict[str, str], report: Report) -> None:
    """An events programme's sheets: each event, and attendance by municipality and theme."""
    sheet(
        wb,
        titles["Events"],
        [
            "activity_id",
            "date",
            "kind",
            "title",
            "municipality",
            "theme",
            "location",
            "lecturer",
            "attendance",
        ],
        [
            [
                a.activity_id,
                a.date,
                a.kind,
                a.title,
                a.municipality,
                a.theme,
                a.location,
                a.lecturer,
                a.attendance,
            ]
            for a in sorted(report.data.activities, key=lambda a: (a.date is None, a.date or 0))
        ],
        widths=[14, 12, 14, 40, 18, 30, 24, 24, 10],
    )
    totals = report.event_totals()
    for key, title in (("municipality", "ByMunicipality"), ("theme", "ByTheme")):
        sheet(
            wb,
            titles[title][:31],
            [key, "events", "attendance"],
            [[t[key], t["events"], t["attendance"]] for t in totals[f"by_{key}"]]
            + [["(total)", totals["events"], totals["attendance"]]],
            widths=[30, 8, 12],
        )


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _sheet(
    wb: XlsxBook,
    title: str,
    header: list[str],
    rows: list[list[Any]],
    widths: list[int] | None = None,
    date_style: str = "iso",
) -> None:
    _rows(wb.sheet(title), header, rows, widths, date_style)


def _rows(
    ws: XlsxSheet,
    header: list[str],
    rows: list[list[Any]],
    widths: list[int] | None = None,
    date_style: str = "iso",
) -> None:
    if date_style != "iso":
        rows = [[format_date(value, date_style) for value in row] for row in rows]
    ws.table(header, rows, widths)
