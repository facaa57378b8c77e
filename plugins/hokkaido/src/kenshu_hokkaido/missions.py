"""The two outbound study missions: Hokkaido residents sent to the Cohort's destination
country. A member's dates default to the cohort's (departure from Japan = its start date)
and ages are taken on the departure date (:func:`kenshu.participant_dates`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from kenshu import (
    CohortData,
    Finding,
    Participant,
    PlannedFollowUp,
    PlannedPhase,
    Programme,
    ReportSheet,
    Settings,
    add_months,
    age_on_reference,
    inclusive_days,
    participant_dates,
)

from kenshu_hokkaido import programmes as P
from kenshu_hokkaido.residency import is_hokkaido, prefecture_of

REPORT_SESSION = "report_session"
ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------------------
# Participants


def check_participant(
    programme: Programme, data: CohortData, p: Participant, settings: Settings
) -> Iterator[Finding]:
    yield from _residency(programme, data, p)
    if programme.code == P.EXCHANGE_MISSION:
        yield from _youth_band(programme, data, p, settings)
    else:
        yield from _student(data, p)


def _residency(programme: Programme, data: CohortData, p: Participant) -> Iterator[Finding]:
    if not p.home_region or is_hokkaido(p.home_region):
        return  # a missing home_region is a core.missing-required error
    school = programme.code == P.HIGHSCHOOL_MISSION
    who = "the student's high school is" if school else "the participant lives"
    who_ja = "生徒の在籍する高校が" if school else "参加者の居住地が"
    rule = "students enrolled at a Hokkaido high school" if school else "Hokkaido residents"
    rule_ja = "北海道内の高校に在籍する生徒" if school else "北海道に住む人"
    elsewhere = prefecture_of(p.home_region)
    if elsewhere:
        yield data.error(
            "hokkaido.resident-elsewhere",
            f"home_region {p.home_region!r}: {who} in {elsewhere}, not Hokkaido (rule: {rule})",
            ja=f"出身地域「{p.home_region}」: {who_ja}北海道ではなく{elsewhere}です(要件: {rule_ja})",
            record=p,
            field="home_region",
        )
    else:
        yield data.error(
            "hokkaido.residency-unknown",
            f"home_region {p.home_region!r} names no Japanese prefecture; write Hokkaido or "
            f"北海道 (rule: {rule})",
            ja=f"出身地域「{p.home_region}」から都道府県が分かりません。「北海道」と記入して"
            f"ください(要件: {rule_ja})",
            record=p,
            field="home_region",
        )


def _youth_band(
    programme: Programme, data: CohortData, p: Participant, settings: Settings
) -> Iterator[Finding]:
    age = age_on_reference(programme, data, p)
    if age is None:
        return
    low, high = settings["youth_min_age"], settings["youth_max_age"]
    if not low <= age <= high:
        departure = participant_dates(programme, data, p).reference
        yield data.warning(
            "hokkaido.age-outside-youth-band",
            f"aged {age} on the departure date {departure}, outside {low}-{high} (the mission "
            "sends mainly youths)",
            ja=f"出発日{departure}に{age}歳で、{low}〜{high}歳の範囲外です(主に青年を派遣します)",
            record=p,
            field="date_of_birth",
        )


def _student(data: CohortData, p: Participant) -> Iterator[Finding]:
    if p.organisation_type is not None and p.organisation_type != "school":
        yield data.error(
            "hokkaido.not-high-school-student",
            f"organisation_type is {p.organisation_type!r} (rule: students enrolled at a "
            "Hokkaido high school: school)",
            ja=f"所属団体の種別が「{p.organisation_type}」です(要件: 北海道内の高校に在籍する生徒。"
            "種別は school)",
            record=p,
            field="organisation_type",
        )
    if data.value(p, "enrolled_at_school") is False:
        yield data.error(
            "hokkaido.not-enrolled-student",
            f"enrolled_at_school is no (rule: students enrolled at a Hokkaido high school; "
            f"school: {p.home_organisation or 'not given'})",
            ja=f"在籍が「いいえ」です(要件: 北海道内の高校に在籍する生徒。高校: "
            f"{p.home_organisation or '未記入'})",
            record=p,
            field="enrolled_at_school",
        )


# ---------------------------------------------------------------------------
# The cohort and its phases


def _phases(data: CohortData, kind: str) -> list:
    return sorted(
        (ph for ph in data.phases if (ph.kind or "").casefold() == kind and ph.start_date),
        key=lambda ph: ph.start_date,
    )


def check_cohort(programme: Programme, data: CohortData, settings: Settings) -> Iterator[Finding]:
    cohort = data.cohort
    if cohort is None or cohort.start_date is None or cohort.end_date is None:
        return
    departure, back = cohort.start_date, cohort.end_date
    before = ("selection", "pre_departure_training")
    after = ("report",)
    if programme.code == P.HIGHSCHOOL_MISSION:
        before, after = ("interview", "pre_training"), ("post_training",)
        yield from _field_training(data, settings)
        yield from _high_school_phases(data, settings)
        yield from _report_sessions(data, settings)
    else:
        for kind in before:
            if not _phases(data, kind):
                yield data.warning(
                    "hokkaido.phase-missing",
                    f"no {kind} phase on the Phases sheet (the mission's phases: selection, "
                    "pre-departure training, the mission abroad, a report)",
                    ja=f"研修段階シートに{kind}の段階がありません(段階: 選考、事前研修、派遣、報告)",
                    sheet="phases",
                )
    for kind in before:
        for ph in _phases(data, kind):
            if (ph.end_date or ph.start_date) >= departure:
                yield data.error(
                    "hokkaido.phase-out-of-order",
                    f"{kind} {ph.phase_id} ends {ph.end_date or ph.start_date}, not before the "
                    f"departure on {departure}",
                    ja=f"{kind}({ph.phase_id})の終了日{ph.end_date or ph.start_date}が出発日"
                    f"{departure}より前になっていません",
                    record=ph,
                    field="end_date" if ph.end_date else "start_date",
                )
    for kind in after:
        for ph in _phases(data, kind):
            if ph.start_date <= back:
                yield data.error(
                    "hokkaido.phase-out-of-order",
                    f"{kind} {ph.phase_id} starts {ph.start_date}, not after the return on {back}",
                    ja=f"{kind}({ph.phase_id})の開始日{ph.start_date}が帰国日{back}より後に"
                    "なっていません",
                    record=ph,
                    field="start_date",
                )


def _field_training(data: CohortData, settings: Settings) -> Iterator[Finding]:
    cohort = data.cohort
    days = inclusive_days(cohort.start_date, cohort.end_date)
    wanted = settings["field_training_days"]
    if days != wanted:
        yield data.error(
            "hokkaido.field-training-length",
            f"the field training abroad from {cohort.start_date} to {cohort.end_date} is {days} "
            f"day(s), not {wanted} (both ends included)",
            ja=f"海外での現地研修({cohort.start_date}〜{cohort.end_date})が{days}日間で、"
            f"{wanted}日間ではありません(初日と最終日を含む)",
            record=cohort,
            field="end_date",
        )


def _high_school_phases(data: CohortData, settings: Settings) -> Iterator[Finding]:
    month = settings["interview_month"]
    for ph in _phases(data, "interview"):
        if ph.start_date.month != month:
            yield data.warning(
                "hokkaido.interview-month",
                f"interview {ph.phase_id} on {ph.start_date}: interviews are held in month {month}",
                ja=f"面接({ph.phase_id})が{ph.start_date}です。面接は{month}月に行います",
                record=ph,
                field="start_date",
            )
    for kind, setting in (("pre_training", "pre_trainings"), ("post_training", "post_trainings")):
        given = _phases(data, kind)
        if given and len(given) != settings[setting]:
            yield data.warning(
                "hokkaido.training-count",
                f"{len(given)} {kind} phase(s) on the Phases sheet, not {settings[setting]}",
                ja=f"研修段階シートの{kind}が{len(given)}回で、{settings[setting]}回ではありません",
                sheet="phases",
            )


def report_window(data: CohortData, settings: Settings) -> tuple[dt.date, dt.date] | None:
    """The report sessions' window: from the first ``report_sessions_from`` day after the
    field training to the next ``report_sessions_to`` day (November to March)."""
    cohort = data.cohort
    if cohort is None or cohort.end_date is None:
        return None
    back = cohort.end_date
    first = dt.date(back.year, *settings["report_sessions_from"])
    if first <= back:
        first = dt.date(back.year + 1, *settings["report_sessions_from"])
    last = dt.date(first.year, *settings["report_sessions_to"])
    if last < first:
        last = dt.date(first.year + 1, *settings["report_sessions_to"])
    return first, last


def report_sessions(data: CohortData) -> list:
    return [f for f in data.follow_ups if (f.kind or "").casefold() == REPORT_SESSION]


def sessions_by_student(data: CohortData) -> dict[str, list[str]]:
    """Participant id -> the report sessions they gave (Attendance rows not marked absent)."""
    ids = {f.follow_up_id for f in report_sessions(data)}
    given: dict[str, list[str]] = {p.participant_id: [] for p in data.participants}
    for row in data.attendance:
        if row.follow_up_id in ids and row.attended is not False and row.participant_id in given:
            given[row.participant_id].append(row.follow_up_id)
    return given


def _report_sessions(data: CohortData, settings: Settings) -> Iterator[Finding]:
    window = report_window(data, settings)
    if window is None:
        return
    first, last = window
    for session in report_sessions(data):
        if session.date is not None and not first <= session.date <= last:
            yield data.warning(
                "hokkaido.report-session-outside-window",
                f"report session on {session.date}, outside {first} to {last} (sessions at "
                "Hokkaido schools are held from November to March)",
                ja=f"報告会の日付{session.date}が{first}〜{last}の期間外です(道内の学校での"
                "報告会は11月〜3月に行います)",
                record=session,
                field="date",
            )
    least = settings["min_report_sessions"]
    for pid, held in sessions_by_student(data).items():
        if len(held) < least:
            p = data.participant(pid)
            if not p.taking_part:
                continue
            yield data.warning(
                "hokkaido.report-session-missing",
                f"{len(held)} report session(s) given, at least {least} expected between "
                f"{first} and {last}",
                ja=f"報告会の実施が{len(held)}回です。{first}〜{last}に{least}回以上行います",
                record=p,
                field="participant_id",
            )


# ---------------------------------------------------------------------------
# The report


def _as_planned(ph, kind: str, title: str) -> PlannedPhase:
    """A phase given on the Phases sheet, as planned (``title`` when it has none)."""
    return PlannedPhase(
        phase_id=ph.phase_id,
        kind=kind,
        start_date=ph.start_date,
        end_date=ph.end_date or ph.start_date,
        location=ph.location,
        title=ph.title or title,
    )


def plan(programme: Programme, data: CohortData, settings: Settings) -> list[PlannedPhase]:
    cohort = data.cohort
    if cohort is None or cohort.start_date is None or cohort.end_date is None:
        return []
    departure, back = cohort.start_date, cohort.end_date
    where = cohort.destination_country
    planned: list[PlannedPhase] = []

    def given_or(kind: str, count: int, start: dt.date, end: dt.date, title: str) -> None:
        given = _phases(data, kind)
        for index, ph in enumerate(given, start=1):
            planned.append(_as_planned(ph, kind, f"{title} {index}" if count > 1 else title))
        for index in range(len(given) + 1, count + 1):
            if start <= end:
                planned.append(
                    PlannedPhase(
                        phase_id=f"{kind}_{index}" if count > 1 else kind,
                        kind=kind,
                        start_date=start,
                        end_date=end,
                        title=(f"{title} {index}" if count > 1 else title)
                        + " (planned: within this window)",
                    )
                )

    mission = PlannedPhase(
        phase_id="abroad",
        kind="field_training" if programme.code == P.HIGHSCHOOL_MISSION else "mission",
        start_date=departure,
        end_date=back,
        location=where,
        title="Field training abroad"
        if programme.code == P.HIGHSCHOOL_MISSION
        else "Mission abroad",
    )
    if programme.code == P.HIGHSCHOOL_MISSION:
        june = dt.date(departure.year, settings["interview_month"], 1)
        june_end = add_months(june, 1) - ONE_DAY  # the month's last day
        given_or("interview", 1, june, min(june_end, departure - ONE_DAY), "Interview")
        interviews = _phases(data, "interview")
        after_interview = (
            (interviews[-1].end_date or interviews[-1].start_date) if interviews else june_end
        )
        given_or(
            "pre_training",
            settings["pre_trainings"],
            after_interview + ONE_DAY,
            departure - ONE_DAY,
            "Pre-training",
        )
        planned.append(mission)
        window = report_window(data, settings)
        given_or(
            "post_training",
            settings["post_trainings"],
            back + ONE_DAY,
            window[0] - ONE_DAY,
            "Post-training",
        )
        planned.append(
            PlannedPhase(
                phase_id="report_sessions",
                kind="report_sessions",
                start_date=window[0],
                end_date=window[1],
                title="Report sessions at Hokkaido schools",
            )
        )
    else:
        for kind, title in (
            ("selection", "Selection"),
            ("pre_departure_training", "Pre-departure training"),
        ):
            planned.extend(_as_planned(ph, kind, title) for ph in _phases(data, kind))
        planned.append(mission)
        due = back + dt.timedelta(days=settings["report_due_days"])
        given_or("report", 1, back + ONE_DAY, due, "Report")
    return planned


def follow_ups(data: CohortData, settings: Settings) -> list[PlannedFollowUp]:
    """The report sessions held, and one planned for each student still short of them."""
    window = report_window(data, settings)
    by_student = sessions_by_student(data)
    attending: dict[str, list[str]] = {}
    for pid, held in by_student.items():
        for fid in held:
            attending.setdefault(fid, []).append(pid)
    out = [
        PlannedFollowUp(
            follow_up_id=f.follow_up_id,
            kind=REPORT_SESSION,
            date=f.date,
            location=f.location,
            participant_ids=tuple(attending.get(f.follow_up_id, ())),
        )
        for f in report_sessions(data)
    ]
    least = settings["min_report_sessions"]
    for pid, held in by_student.items():
        p = data.participant(pid)
        if len(held) < least and p.taking_part and window:
            out.append(
                PlannedFollowUp(
                    follow_up_id=f"report-{pid}",
                    kind=REPORT_SESSION,
                    due_from=window[0],
                    due_to=window[1],
                    participant_ids=(pid,),
                    planned=True,
                )
            )
    return out


def members(programme: Programme, data: CohortData) -> list[tuple]:
    """Who went where: a row per member with the dates and age the rules use."""
    destination = data.cohort.destination_country if data.cohort else None
    rows = []
    for p in data.participants:
        dates = participant_dates(programme, data, p)
        rows.append(
            (
                p.participant_id,
                P.latin_name(p) or p.name_kanji,
                prefecture_of(p.home_region) or p.home_region,
                p.home_organisation,
                age_on_reference(programme, data, p),
                destination,
                dates.start,
                dates.end,
                p.status,
            )
        )
    return rows


MEMBER_HEADER = (
    "participant_id",
    "name",
    "prefecture",
    "organisation",
    "age_on_departure",
    "destination",
    "departure",
    "return",
    "status",
)


def sheets(programme: Programme, data: CohortData, settings: Settings) -> list[ReportSheet]:
    out = [ReportSheet("Mission members", MEMBER_HEADER, members(programme, data), key="members")]
    if programme.code == P.HIGHSCHOOL_MISSION:
        least = settings["min_report_sessions"]
        out.append(
            ReportSheet(
                "Report sessions by student",
                ("participant_id", "school", "sessions", "count", "missing"),
                [
                    (
                        pid,
                        data.participant(pid).home_organisation,
                        "; ".join(held),
                        len(held),
                        max(0, least - len(held)),
                    )
                    for pid, held in sessions_by_student(data).items()
                ],
                key="report_sessions",
            )
        )
    return out


def summary(programme: Programme, data: CohortData, report, settings: Settings) -> list[str]:
    cohort = data.cohort
    ja = getattr(report, "lang", "en") == "ja"
    people = data.taking_part()
    ages = [a for a in (age_on_reference(programme, data, p) for p in people) if a is not None]
    where = cohort.destination_country or "?"
    if ja:
        line = f"{len(people)}人を{where}へ派遣({cohort.start_date}〜{cohort.end_date})"
        line += f"、出発日の年齢{min(ages)}〜{max(ages)}歳。" if ages else "。"
    else:
        line = (
            f"{len(people)} member(s) sent to {where} from {cohort.start_date} to {cohort.end_date}"
        )
        line += f", aged {min(ages)}-{max(ages)} on departure." if ages else "."
    lines = [line]
    if programme.code == P.HIGHSCHOOL_MISSION:
        held = sessions_by_student(data)
        sessions = report_sessions(data)
        short = sum(
            1
            for p in people
            if len(held.get(p.participant_id, ())) < settings["min_report_sessions"]
        )
        lines.append(
            f"報告会{len(sessions)}回、報告会が未実施の生徒{short}人。"
            if ja
            else f"Report sessions held: {len(sessions)}; students still to give one: {short}."
        )
    return lines
