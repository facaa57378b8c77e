"""The feedback session in London 1-3 months after the tour: checked when given, planned
when not; that tour's participants are invited (and the alumni of earlier tours, through
``kenshu jst invite``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from kenshu import CohortData, Finding, PlannedFollowUp, Settings, add_months

from kenshu_jst.rules import is_held

FEEDBACK = "feedback_session"


def window(data: CohortData, settings: Settings) -> tuple[dt.date, dt.date] | None:
    """The first and last day the feedback session may take place (both included)."""
    end = data.cohort.end_date if data.cohort else None
    if end is None:
        return None
    return (
        add_months(end, settings["feedback_min_months"]),
        add_months(end, settings["feedback_max_months"]),
    )


def event_id(data: CohortData) -> str:
    """The id of the planned feedback session: ``feedback-2020`` for a tour starting in 2020."""
    start = data.cohort.start_date
    return f"feedback-{start.year}" if start else f"feedback-{data.cohort.cohort_id}"


def follow_ups(data: CohortData, settings: Settings) -> Iterator[PlannedFollowUp]:
    if not is_held(data):
        return
    due = window(data, settings)
    invited = tuple(p.participant_id for p in data.taking_part())
    given_feedback = False
    for f in data.follow_ups:
        feedback = f.kind == FEEDBACK
        given_feedback |= feedback
        yield PlannedFollowUp(
            follow_up_id=f.follow_up_id,
            kind=f.kind or "follow_up",
            date=f.date,
            due_from=due[0] if feedback and due else None,
            due_to=due[1] if feedback and due else None,
            location=f.location,
            participant_ids=invited,
        )
    if not given_feedback and due:
        yield PlannedFollowUp(
            follow_up_id=event_id(data),
            kind=FEEDBACK,
            due_from=due[0],
            due_to=due[1],
            location=settings["feedback_location"],
            participant_ids=invited,
            planned=True,
        )


def check(data: CohortData, settings: Settings) -> Iterator[Finding]:
    if not is_held(data):
        return
    due = window(data, settings)
    place = settings["feedback_location"]
    low, high = settings["feedback_min_months"], settings["feedback_max_months"]
    for f in data.follow_ups:
        if f.kind != FEEDBACK:
            continue
        if due and f.date and not due[0] <= f.date <= due[1]:
            yield data.warning(
                "jst.feedback-outside-window",
                f"feedback session on {f.date}, outside {low}-{high} months after the tour "
                f"({due[0]} to {due[1]}; settings feedback_min_months, feedback_max_months)",
                ja=f"報告会の日付{f.date}が、ツアー終了後{low}〜{high}か月"
                f"({due[0]}〜{due[1]})の範囲外です",
                record=f,
                field="date",
            )
        if f.location and place.casefold() not in f.location.casefold():
            yield data.warning(
                "jst.feedback-location",
                f"feedback session at {f.location!r}, not in {place} (rule: the feedback "
                "session is held in London; setting feedback_location)",
                ja=f"報告会の場所「{f.location}」が{place}ではありません(要件: 報告会は"
                "ロンドンで開催。設定 feedback_location)",
                record=f,
                field="location",
            )
