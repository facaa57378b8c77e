"""The tour's week: orientation at CLAIR's Tokyo headquarters, Tokyo site visits, then the
host city. Planned when the Phases sheet gives none; given phases are checked to cover the
tour's days without gaps or overlaps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from kenshu import CohortData, Finding, PlannedPhase, Settings, planned_from_given

ORIENTATION, TOKYO, HOST_CITY = "clair_orientation", "tokyo_site_visits", "host_city"
ONE_DAY = dt.timedelta(days=1)


def plan(data: CohortData, settings: Settings) -> Iterator[PlannedPhase]:
    """The given phases, or the week planned from the tour's dates."""
    cohort = data.cohort
    given = [ph for ph in data.phases if ph.start_date and ph.end_date]
    if given:
        yield from (planned_from_given(ph) for ph in given)
        return
    start, end = cohort.start_date, cohort.end_date
    if start is None or end is None or end < start:
        return
    city = cohort.extra.get("host_city")
    segments = (
        (
            ORIENTATION,
            settings["orientation_days"],
            "CLAIR headquarters, Tokyo",
            "Orientation on Japanese local government at CLAIR headquarters",
        ),
        (
            TOKYO,
            settings["tokyo_visit_days"],
            "Tokyo",
            "Tokyo site visits",
        ),
        (
            HOST_CITY,
            None,
            city or "host city (not fixed yet)",
            f"Host city: {city}" if city else "Host city (not fixed yet)",
        ),
    )
    day = start
    for kind, days, location, title in segments:
        if day > end:
            break
        if days is not None and days < 1:
            continue
        last = end if days is None else min(end, day + (days - 1) * ONE_DAY)
        yield PlannedPhase(
            phase_id=kind, kind=kind, start_date=day, end_date=last, location=location, title=title
        )
        day = last + ONE_DAY


def check_given(data: CohortData) -> Iterator[Finding]:
    """Given phases must lie within the tour and cover each of its days exactly once."""
    cohort = data.cohort
    start, end = cohort.start_date, cohort.end_date
    phases = [ph for ph in data.phases if ph.start_date and ph.end_date]
    if not phases or start is None or end is None or end < start:
        return
    common = [ph for ph in phases if not ph.participant_id]
    own: dict[str, list] = defaultdict(list)
    for ph in phases:
        if ph.participant_id:
            own[ph.participant_id].append(ph)
    timelines = {pid: common + mine for pid, mine in own.items()}
    if common:
        timelines[""] = common
    reported_outside: set[int] = set()
    for pid, timeline in timelines.items():
        ordered = sorted(timeline, key=lambda ph: (ph.start_date, ph.end_date))
        reached = start - ONE_DAY
        for index, ph in enumerate(ordered):
            if (ph.start_date < start or ph.end_date > end) and id(ph) not in reported_outside:
                reported_outside.add(id(ph))
                yield data.error(
                    "jst.phase-outside-tour",
                    f"phase {ph.phase_id} ({ph.start_date} to {ph.end_date}) lies outside the "
                    f"tour ({start} to {end})",
                    ja=f"研修段階{ph.phase_id}({ph.start_date}〜{ph.end_date})が"
                    f"ツアーの期間({start}〜{end})の外にあります",
                    record=ph,
                    field="start_date" if ph.start_date < start else "end_date",
                    subject=pid or ph.phase_id,
                )
            if index and ph.start_date <= reached:
                yield data.error(
                    "jst.phases-overlap",
                    f"phase {ph.phase_id} ({ph.start_date} to {ph.end_date}) overlaps the phase "
                    f"before it (to {reached})",
                    ja=f"研修段階{ph.phase_id}({ph.start_date}〜{ph.end_date})が"
                    f"前の段階({reached}まで)と重なっています",
                    record=ph,
                    field="start_date",
                    subject=pid or ph.phase_id,
                )
            elif ph.start_date > reached + ONE_DAY and ph.start_date > start:
                yield _gap(data, max(reached + ONE_DAY, start), ph.start_date - ONE_DAY, ph, pid)
            reached = max(reached, ph.end_date)
        if reached < end:
            yield _gap(data, max(reached + ONE_DAY, start), end, ordered[-1], pid)


def _gap(data: CohortData, first: dt.date, last: dt.date, ph, pid: str) -> Finding:
    days = (last - first).days + 1
    return data.warning(
        "jst.phases-gap",
        f"{days} day(s) of the tour, {first} to {last}, belong to no phase (rule: the phases "
        "cover every day of the tour)",
        ja=f"ツアーの{first}から{last}までの{days}日間が、どの研修段階にも入っていません"
        "(要件: 研修段階がツアーの全日程を覆うこと)",
        record=ph,
        field="start_date",
        subject=pid or ph.phase_id,
    )
