"""The 28 days in Japan: a planned skeleton when no activities are given, checks when they are.

The programme's content (seed 000; JICA 20230610): lectures, site visits, report
presentations and discussions, cultural experience, a final report session and a closing
ceremony with a certificate of completion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from kenshu import CohortData, Finding, PlannedPhase, Settings, planned_from_given

ONE_DAY = dt.timedelta(days=1)
OPENING, LECTURES, SITE_VISITS = "opening", "lectures", "site_visits"
FINAL_REPORT, CLOSING = "final_report_session", "closing_ceremony"
TITLES = {
    OPENING: "Arrival, orientation and opening",
    LECTURES: "Lectures: Japanese politics and administration, urban planning and community "
    "development, local government management",
    SITE_VISITS: "Site visits: local governments, waste treatment, schools, innovation "
    "districts, agriculture, private businesses",
    FINAL_REPORT: "Final report session: each participant presents their report",
    CLOSING: "Closing ceremony with certificates of completion",
}


def window(data: CohortData, settings: Settings) -> tuple[dt.date, dt.date] | None:
    """The programme's first and last day (the end from the length when not given)."""
    cohort = data.cohort
    if cohort is None or cohort.start_date is None:
        return None
    end = cohort.end_date or cohort.start_date + (settings["programme_days"] - 1) * ONE_DAY
    return (cohort.start_date, end) if end >= cohort.start_date else None


def skeleton(start: dt.date, end: dt.date, settings: Settings) -> list[PlannedPhase]:
    """Opening, alternating lecture and site-visit blocks, final report session, closing."""
    total = (end - start).days + 1
    head = min(settings["opening_days"], total)
    tail_closing = min(settings["closing_days"], total - head)
    tail_report = min(settings["final_report_days"], total - head - tail_closing)
    phases: list[PlannedPhase] = []

    def add(phase_id: str, kind: str, first: int, days: int) -> None:
        if days > 0:
            phases.append(
                PlannedPhase(
                    phase_id=phase_id,
                    kind=kind,
                    start_date=start + first * ONE_DAY,
                    end_date=start + (first + days - 1) * ONE_DAY,
                    location="Japan",
                    title=TITLES[kind],
                )
            )

    add(OPENING, OPENING, 0, head)
    day, middle_end = head, total - tail_closing - tail_report
    blocks = {LECTURES: 0, SITE_VISITS: 0}
    kind = LECTURES
    while day < middle_end:
        size = settings["lecture_block_days" if kind == LECTURES else "site_visit_block_days"]
        size = min(max(size, 1), middle_end - day)
        blocks[kind] += 1
        add(f"{kind.replace('_', '-')}-{blocks[kind]}", kind, day, size)
        day += size
        kind = SITE_VISITS if kind == LECTURES else LECTURES
    add("final-report-session", FINAL_REPORT, middle_end, tail_report)
    add("closing-ceremony", CLOSING, total - tail_closing, tail_closing)
    return phases


def plan(data: CohortData, settings: Settings) -> list[PlannedPhase]:
    """Given phases as they are; else the given activities, one day each; else the skeleton."""
    given = [planned_from_given(ph) for ph in data.phases if ph.start_date and ph.end_date]
    if given:
        return given
    if data.activities:
        return [
            PlannedPhase(
                phase_id=a.activity_id,
                kind=a.kind or "activity",
                start_date=a.date,
                end_date=a.date,
                location=a.location,
                title=a.title,
            )
            for a in sorted(data.activities, key=lambda a: (a.date or dt.date.max, a.activity_id))
            if a.date
        ]
    span = window(data, settings)
    return skeleton(*span, settings) if span else []


def check_given(data: CohortData, settings: Settings) -> Iterator[Finding]:
    """Given activities: inside the window, a closing ceremony at the end, every participant
    presenting a report (an Attendance row that links them to a report activity)."""
    if not data.activities:
        return
    span = window(data, settings)
    if span is None:
        return
    start, end = span
    for a in data.activities:
        if a.date is not None and not start <= a.date <= end:
            yield data.error(
                "leaders_vietnam.activity-outside-window",
                f"activity {a.activity_id} ({a.kind or 'no kind'}) on {a.date} is outside the "
                f"programme, {start} to {end}",
                ja=f"活動{a.activity_id}({a.kind or '種類なし'})の日付{a.date}が研修期間"
                f"({start}〜{end})の外です",
                record=a,
                field="date",
            )
    yield from _closing(data, settings, end)
    yield from _reports(data, settings)


def _closing(data: CohortData, settings: Settings, end: dt.date) -> Iterator[Finding]:
    kinds = settings["closing_activity_kinds"]
    margin = settings["closing_days_before_end"]
    earliest = end - margin * ONE_DAY
    closings = [a for a in data.activities if a.kind in kinds]
    if not closings:
        yield data.error(
            "leaders_vietnam.no-closing-ceremony",
            f"no closing ceremony among the activities (rule: a closing ceremony with "
            f"certificates of completion ends the programme; kinds: {', '.join(kinds)})",
            ja="活動に閉講式がありません(要件: 研修は修了証書を授与する閉講式で終わること。"
            f"種類: {', '.join(kinds)})",
            sheet="activities",
        )
    for a in closings:
        if a.date is not None and not earliest <= a.date <= end:
            yield data.error(
                "leaders_vietnam.closing-ceremony-date",
                f"closing ceremony {a.activity_id} on {a.date} (rule: on the last day, {end}, "
                f"or at most {margin} day(s) before, from {earliest})",
                ja=f"閉講式{a.activity_id}の日付が{a.date}です(要件: 最終日{end}、または"
                f"その{margin}日前まで({earliest}以降)であること)",
                record=a,
                field="date",
            )


def _reports(data: CohortData, settings: Settings) -> Iterator[Finding]:
    kinds = settings["report_activity_kinds"]
    sessions = {a.activity_id for a in data.activities if a.kind in kinds}
    if not sessions:
        yield data.error(
            "leaders_vietnam.no-report-session",
            f"no report presentation among the activities (rule: every participant presents a "
            f"report; kinds: {', '.join(kinds)})",
            ja="活動にレポート発表がありません(要件: 参加者全員がレポートを発表すること。"
            f"種類: {', '.join(kinds)})",
            sheet="activities",
        )
        return
    rows = [row for row in data.attendance if row.activity_id in sessions]
    presented = {row.participant_id for row in rows if row.attended is not False}
    absent = {row.participant_id: row for row in rows if row.attended is False}
    for p in data.taking_part():
        if p.participant_id not in presented:
            row = absent.get(p.participant_id)
            yield data.warning(
                "leaders_vietnam.no-report-presentation",
                f"{p.participant_id} presents no report: no Attendance row links them to a "
                f"report activity ({', '.join(sorted(sessions))}) as attending "
                "(rule: every participant presents a report)",
                ja=f"{p.participant_id}のレポート発表がありません: 出欠シートに発表の活動"
                f"({', '.join(sorted(sessions))})への出席が記録されていません"
                "(要件: 参加者全員がレポートを発表すること)",
                record=row if row is not None else p,
                field="attended" if row is not None else "participant_id",
                subject=p.participant_id,
            )
