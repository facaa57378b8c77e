"""The follow-up seminar in Vietnam (follow-up kind ``follow_up_seminar``).

It is due ``seminar_from_months``-``seminar_to_months`` (2-6) months after the end of the
latest cohort it serves (its ``cohorts``; empty means this cohort). Other cohorts' last days
come from the documented editions (:mod:`kenshu_leaders_vietnam.editions`) or the
``cohort_ends`` setting. Before the seminar each participant submits a report on how they
used the training; attendance is recorded with a reason for each absence (Attendance rows
with the seminar's ``follow_up_id``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from kenshu import (
    Attendance,
    CohortData,
    Finding,
    FollowUp,
    PlannedFollowUp,
    ReportSheet,
    Settings,
    add_months,
)

from kenshu_leaders_vietnam import editions

KIND = "follow_up_seminar"


@dataclass
class Seminar:
    """A seminar (given or to plan) with the cohorts it serves and its due window."""

    follow_up: FollowUp | None
    served: tuple[str, ...]
    ends: dict[str, dt.date] = field(default_factory=dict)  # served cohort id -> its last day
    unknown: list[str] = field(default_factory=list)  # served cohort ids with no known last day
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    latest: str | None = None  # the served cohort that ends last


def seminars(data: CohortData, settings: Settings) -> list[Seminar]:
    """The given seminars, or the one to plan for this cohort when none is given."""
    cohort = data.cohort
    if cohort is None:
        return []
    configured = editions.parse_cohort_ends(settings["cohort_ends"])[0]
    given = [f for f in data.follow_ups if f.kind == KIND]
    out = []
    for f in given or [None]:
        served = tuple(f.cohorts) if f is not None and f.cohorts else (cohort.cohort_id,)
        seminar = Seminar(follow_up=f, served=served)
        for cid in served:
            end = _end_of(cid, cohort, configured)
            if end is None:
                seminar.unknown.append(cid)
            else:
                seminar.ends[cid] = end
        if seminar.ends:
            seminar.latest = max(seminar.ends, key=lambda c: (seminar.ends[c], c))
            last = seminar.ends[seminar.latest]
            seminar.due_from = add_months(last, settings["seminar_from_months"])
            seminar.due_to = add_months(last, settings["seminar_to_months"])
        out.append(seminar)
    return out


def _end_of(cohort_id: str, cohort, configured: dict[str, dt.date]) -> dt.date | None:
    if cohort_id == cohort.cohort_id:
        return cohort.end_date
    if cohort_id in configured:
        return configured[cohort_id]
    edition = editions.edition_of(cohort_id)
    return editions.EDITIONS[edition][1] if edition else None


def seminar_id(data: CohortData, f: FollowUp | None) -> str:
    """The given seminar's id, or the id of the one to plan for this cohort."""
    return f.follow_up_id if f else f"{data.cohort.cohort_id}-follow-up-seminar"


def attendance_of(data: CohortData, follow_up_id: str) -> dict[str, Attendance]:
    return {a.participant_id: a for a in data.attendance if a.follow_up_id == follow_up_id}


def check(data: CohortData, settings: Settings) -> Iterator[Finding]:
    _, bad = editions.parse_cohort_ends(settings["cohort_ends"])
    for entry in bad:
        yield data.error(
            "leaders_vietnam.cohort-end-unreadable",
            f"cohort_ends entry {entry!r} is not cohort_id=YYYY-MM-DD",
            ja=f"cohort_endsの値「{entry}」が「コホートID=YYYY-MM-DD」の形になっていません",
            sheet="settings",
        )
    cohort = data.cohort
    for seminar in seminars(data, settings):
        f = seminar.follow_up
        if f is None:
            continue
        for cid in seminar.unknown:
            yield data.warning(
                "leaders_vietnam.unknown-cohort",
                f"seminar {f.follow_up_id} serves cohort {cid}, whose last day is not known "
                "(documented editions 1-5 by their number, or set cohort_ends); its due "
                "window leaves it out",
                ja=f"フォローアップセミナー{f.follow_up_id}の対象コホート{cid}の最終日がわかりません"
                "(記録のある第1〜5回は番号で判定します。それ以外はcohort_endsで設定してください)。"
                "期限の計算から除きます",
                record=f,
                field="cohorts",
            )
        if f.cohorts and cohort.cohort_id not in f.cohorts:
            yield data.warning(
                "leaders_vietnam.seminar-not-for-this-cohort",
                f"seminar {f.follow_up_id} serves {', '.join(f.cohorts)}, not this cohort "
                f"({cohort.cohort_id})",
                ja=f"フォローアップセミナー{f.follow_up_id}の対象は{'、'.join(f.cohorts)}で、"
                f"このコホート({cohort.cohort_id})が含まれていません",
                record=f,
                field="cohorts",
            )
        if f.date and seminar.due_from and not seminar.due_from <= f.date <= seminar.due_to:
            last = seminar.ends[seminar.latest]
            low, high = settings["seminar_from_months"], settings["seminar_to_months"]
            yield data.error(
                "leaders_vietnam.seminar-outside-window",
                f"seminar {f.follow_up_id} on {f.date} is outside its window, {seminar.due_from} "
                f"to {seminar.due_to} (rule: {low}-{high} months after the end of the latest "
                f"cohort it serves, {seminar.latest}, on {last})",
                ja=f"フォローアップセミナー{f.follow_up_id}の日付{f.date}が期限({seminar.due_from}"
                f"〜{seminar.due_to})の外です(要件: 対象のうち最後に終わるコホート{seminar.latest}"
                f"の終了日{last}から{low}〜{high}か月後)",
                record=f,
                field="date",
            )
        yield from _attendance(data, f)


def _attendance(data: CohortData, f: FollowUp) -> Iterator[Finding]:
    rows = attendance_of(data, f.follow_up_id)
    if not rows:
        return  # attendance not recorded yet: nothing to check
    for p in data.taking_part():
        row = rows.get(p.participant_id)
        if row is None or row.report_submitted is not True:
            yield data.warning(
                "leaders_vietnam.no-pre-seminar-report",
                f"{p.participant_id} has not submitted the pre-seminar report for "
                f"{f.follow_up_id} (rule: each participant reports beforehand how they used "
                "the training)",
                ja=f"{p.participant_id}はフォローアップセミナー{f.follow_up_id}の事前レポートを"
                "提出していません(要件: 参加者は研修の活用状況を事前に報告すること)",
                record=row if row is not None else p,
                field="report_submitted" if row is not None else "participant_id",
                subject=p.participant_id,
            )
        if row is not None and row.attended is False and not row.reason:
            yield data.warning(
                "leaders_vietnam.absence-without-reason",
                f"{p.participant_id} did not attend {f.follow_up_id} and no reason is given "
                "(rule: attendance is recorded with a reason for each absence)",
                ja=f"{p.participant_id}はフォローアップセミナー{f.follow_up_id}を欠席していますが、"
                "理由が記入されていません(要件: 欠席には理由を記録すること)",
                record=row,
                field="reason",
                subject=p.participant_id,
            )


def planned(data: CohortData, settings: Settings) -> list[PlannedFollowUp]:
    """The report's follow-ups: each given seminar with its window, or the one to plan."""
    ids = tuple(p.participant_id for p in data.taking_part())
    out = []
    for seminar in seminars(data, settings):
        f = seminar.follow_up
        out.append(
            PlannedFollowUp(
                follow_up_id=seminar_id(data, f),
                kind=KIND,
                date=f.date if f else None,
                due_from=seminar.due_from,
                due_to=seminar.due_to,
                location=(f.location if f else None) or settings["seminar_location"],
                participant_ids=ids,
                planned=f is None,
            )
        )
    return out


def sheet(data: CohortData, settings: Settings, lang: str = "en") -> ReportSheet:
    """Who is due at each seminar, who reported beforehand, who attended, and why not."""
    rows = []
    taking = data.taking_part()
    for seminar in seminars(data, settings):
        f = seminar.follow_up
        fid = seminar_id(data, f)
        records = attendance_of(data, fid)
        for p in taking:
            row = records.get(p.participant_id)
            rows.append(
                (
                    fid,
                    f.date if f else None,
                    seminar.due_from,
                    seminar.due_to,
                    p.participant_id,
                    " ".join(n for n in (p.family_name, p.given_name) if n) or None,
                    p.home_region,
                    "yes",
                    _yes_no(row.report_submitted if row else None),
                    _yes_no(row.attended if row else None),
                    row.reason if row else None,
                )
            )
    return ReportSheet(
        name="フォローアップセミナー" if lang == "ja" else "Follow-up seminar",
        header=(
            "follow_up_id",
            "date",
            "due_from",
            "due_to",
            "participant_id",
            "name",
            "home_region",
            "due",
            "report_submitted",
            "attended",
            "reason",
        ),
        rows=rows,
        key="follow_up_seminar",
    )


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def summary(data: CohortData, settings: Settings, lang: str = "en") -> list[str]:
    """A sentence per seminar: when, where, its window, how many due, reported, attended."""
    lines = []
    low, high = settings["seminar_from_months"], settings["seminar_to_months"]
    taking = data.taking_part()
    ids = {p.participant_id for p in taking}
    due = len(taking)
    for seminar in seminars(data, settings):
        f = seminar.follow_up
        window = f"{seminar.due_from} to {seminar.due_to}" if seminar.due_from else "not known"
        window_ja = f"{seminar.due_from}〜{seminar.due_to}" if seminar.due_from else "不明"
        if f is None:
            where = settings["seminar_location"]
            lines.append(
                f"{where}を会場に{window_ja}({low}〜{high}か月後)の間にフォローアップセミナーを"
                f"予定。対象{due}人。"
                if lang == "ja"
                else f"Follow-up seminar to plan in {where}, due {window} "
                f"({low}-{high} months after the cohort ends): {due} participant(s) due."
            )
            continue
        rows = attendance_of(data, f.follow_up_id)
        reported = sum(1 for pid, r in rows.items() if pid in ids and r.report_submitted)
        attended = sum(1 for pid, r in rows.items() if pid in ids and r.attended)
        served = ", ".join(seminar.served)
        when = f.date or window
        place = f.location or settings["seminar_location"]
        if lang == "ja":
            lines.append(
                f"フォローアップセミナー{f.follow_up_id}({f.date or '日付未定'}、{place}、"
                f"対象コホート: {'、'.join(seminar.served)}、期限{window_ja}): "
                f"対象{due}人、事前レポート提出{reported}人、出席{attended}人。"
            )
        else:
            lines.append(
                f"Follow-up seminar {f.follow_up_id} on {when} in {place} for {served} "
                f"(due {window}): {due} due, {reported} reported, {attended} attended."
            )
    return lines
