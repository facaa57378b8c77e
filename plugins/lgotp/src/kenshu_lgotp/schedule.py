"""LGOTP phases: Tokyo orientation, JIAM training, specialised training at the host.

Planned per trainee from arrival and departure (both ends inclusive). A trainee who has
phases of their own on the Phases sheet (or when phases for everyone are given) keeps the
given ones, which are checked for overlaps and gaps instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator

from kenshu import CohortData, Finding, Participant, PlannedPhase, Settings, planned_from_given
from kenshu.dates import months_end

ORIENTATION, JIAM, SPECIALISED = "tokyo_orientation", "jiam_training", "specialised_training"
PHASE_KINDS = (ORIENTATION, JIAM, SPECIALISED)
ONE_DAY = dt.timedelta(days=1)


def plan_for(p: Participant, settings: Settings, host_name: str | None) -> list[PlannedPhase]:
    """The three phases for one trainee (fewer when the stay ends early)."""
    arrival, departure = p.arrival_date, p.departure_date
    orientation_end = arrival + (settings["orientation_days"] - 1) * ONE_DAY
    jiam_start = orientation_end + ONE_DAY
    jiam_end = months_end(jiam_start, settings["jiam_months"])
    pid = p.participant_id
    phases = [
        PlannedPhase(
            phase_id=f"{pid}-orientation",
            kind=ORIENTATION,
            start_date=arrival,
            end_date=min(orientation_end, departure),
            participant_id=pid,
            location="Tokyo",
            title="Tokyo orientation (Japanese placement test on the last day)",
        )
    ]
    if jiam_start <= departure:
        phases.append(
            PlannedPhase(
                phase_id=f"{pid}-jiam",
                kind=JIAM,
                start_date=jiam_start,
                end_date=min(jiam_end, departure),
                participant_id=pid,
                location="JIAM, Otsu (Shiga)",
                title="JIAM training: Japanese by class, local finance, culture",
            )
        )
    if jiam_end + ONE_DAY <= departure:
        phases.append(
            PlannedPhase(
                phase_id=f"{pid}-specialised",
                kind=SPECIALISED,
                start_date=jiam_end + ONE_DAY,
                end_date=departure,
                participant_id=pid,
                location=host_name,
                host_id=p.host_id,
                title="Specialised training at the host",
            )
        )
    return phases


def given_phases(data: CohortData) -> tuple[list, dict[str, list]]:
    """Phases for everyone, and phases by participant id, from the Phases sheet."""
    common = [ph for ph in data.phases if not ph.participant_id and ph.start_date and ph.end_date]
    own: dict[str, list] = defaultdict(list)
    for ph in data.phases:
        if ph.participant_id and ph.start_date and ph.end_date:
            own[ph.participant_id].append(ph)
    return common, own


def plan(data: CohortData, settings: Settings) -> Iterator[PlannedPhase | Finding]:
    common, own = given_phases(data)
    for ph in common:
        yield planned_from_given(ph)
    for p in data.participants:
        if p.participant_id in own:
            yield from (planned_from_given(ph) for ph in own[p.participant_id])
        elif (
            not common
            and p.arrival_date
            and p.departure_date
            and p.arrival_date <= p.departure_date
        ):
            host = data.host(p.host_id)
            yield from plan_for(p, settings, host.name if host else None)


def check_given(data: CohortData) -> Iterator[Finding]:
    """Given phases that overlap (an error) or leave a gap (a warning), per trainee."""
    common, own = given_phases(data)
    timelines = {pid: common + phases for pid, phases in own.items()}
    if common and not own:
        timelines = {"": common}
    for pid, phases in timelines.items():
        ordered = sorted(phases, key=lambda ph: (ph.start_date, ph.end_date))
        for before, after in itertools.pairwise(ordered):
            if after.start_date <= before.end_date:
                yield data.error(
                    "lgotp.phases-overlap",
                    f"phase {after.phase_id} ({after.start_date} to {after.end_date}) overlaps "
                    f"{before.phase_id} (to {before.end_date})",
                    ja=f"研修段階{after.phase_id}({after.start_date}〜{after.end_date})が"
                    f"{before.phase_id}({before.end_date}まで)と重なっています",
                    record=after,
                    field="start_date",
                    subject=pid or after.phase_id,
                )
            elif after.start_date > before.end_date + ONE_DAY:
                days = (after.start_date - before.end_date).days - 1
                yield data.warning(
                    "lgotp.phases-gap",
                    f"{days} day(s) between phase {before.phase_id} (ends {before.end_date}) and "
                    f"{after.phase_id} (starts {after.start_date}) belong to no phase",
                    ja=f"研修段階{before.phase_id}({before.end_date}終了)と{after.phase_id}"
                    f"({after.start_date}開始)の間の{days}日間が、どの段階にも入っていません",
                    record=after,
                    field="start_date",
                    subject=pid or after.phase_id,
                )
