"""JST's eligibility and cohort rules: who may join, the tour's length, size and host city,
and the application deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from kenshu import CohortData, Finding, Participant, Settings, inclusive_days


def is_held(data: CohortData) -> bool:
    """Does the tour take place as planned (it is not postponed or cancelled)?"""
    return data.cohort is not None and data.cohort.held


def deadline(data: CohortData, settings: Settings) -> tuple[dt.date | None, bool]:
    """The application deadline and whether the Cohort sheet gave it.

    Without one, the ``application_deadline`` setting's day (30 September) in the last year
    before the start: 30 September 2019 for a tour starting on 19 January 2020.
    """
    cohort = data.cohort
    given = cohort.extra.get("application_deadline") if cohort else None
    if given is not None:
        return given, True
    if cohort is None or cohort.start_date is None:
        return None, False
    month, day = settings["application_deadline"]
    start = cohort.start_date
    year = start.year if (month, day) < (start.month, start.day) else start.year - 1
    try:
        return dt.date(year, month, day), False
    except ValueError:  # 02-29 in a year without it
        return dt.date(year, month, 28), False


def check_participant(
    data: CohortData, participant: Participant, settings: Settings
) -> Iterator[Finding]:
    if not participant.taking_part:  # eligibility of those still in the running only
        return
    yield from _country(data, participant, settings)
    yield from _position(data, participant, settings)
    yield from _organisation(data, participant, settings)
    yield from _application(data, participant, settings)


def _country(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    field = "home_country" if p.home_country else "nationality"
    country = p.home_country or p.nationality
    covered = settings["countries"]
    if country is None or country in covered:
        return
    yield data.error(
        "jst.country-not-covered",
        f"{field} {country} is not among the countries JLGC London covers "
        f"(rule: participants come from {', '.join(covered)}; setting countries)",
        ja=f"{field}が{country}で、JLGCロンドン事務所の所管国ではありません"
        f"(要件: 参加者は{'、'.join(covered)}の出身であること。設定 countries)",
        record=p,
        field=field,
    )


def _position(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    level = p.position_level
    senior = settings["senior_levels"]
    if level is None or level in senior:
        return
    if level in settings["warning_levels"]:
        yield data.warning(
            "jst.position-borderline",
            f"position_level {level}: not senior-level staff (rule: senior-level staff, "
            f"{', '.join(senior)}; {level} is accepted with a warning)",
            ja=f"職位が{level}で、上級職ではありません(要件: 上級職 {'、'.join(senior)}。"
            f"{level}は警告付きで認められます)",
            record=p,
            field="position_level",
        )
        return
    yield data.error(
        "jst.position-not-senior",
        f"position_level {level}: not senior-level staff (rule: senior-level staff of local "
        f"authorities, {', '.join(senior)})",
        ja=f"職位が{level}で、上級職ではありません(要件: 自治体等の上級職 {'、'.join(senior)})",
        record=p,
        field="position_level",
    )


def _organisation(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    kind = p.organisation_type
    allowed = settings["eligible_organisation_types"]
    if kind is None or kind in allowed:
        return
    yield data.error(
        "jst.not-public-sector",
        f"organisation_type {kind} (rule: staff of local authorities and associated public "
        f"bodies, {', '.join(allowed)})",
        ja=f"所属団体の種別が{kind}です(要件: 自治体および関連する公的機関の職員 "
        f"{'、'.join(allowed)})",
        record=p,
        field="organisation_type",
    )


def _application(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    applied = p.extra.get("application_date")
    if applied is None:
        return
    last, given = deadline(data, settings)
    if last is None or applied <= last:
        return
    where = "the Cohort sheet's Application deadline" if given else "setting application_deadline"
    where_ja = "コホートの応募締切日" if given else "設定 application_deadline"
    yield data.warning(
        "jst.late-application",
        f"application dated {applied}, after the deadline {last} (rule: applications by the "
        f"deadline; {where})",
        ja=f"応募日{applied}が締切日{last}より後です(要件: 締切日までの応募。{where_ja})",
        record=p,
        field="application_date",
    )


def check_cohort(data: CohortData, settings: Settings) -> Iterator[Finding]:
    cohort = data.cohort
    if cohort is None:
        return
    yield from _country_setting(data, settings)
    start, end = cohort.start_date, cohort.end_date
    if start and end and start <= end:
        days = inclusive_days(start, end)
        want = settings["tour_days"]
        if days != want:
            yield data.error(
                "jst.tour-length",
                f"the tour runs from {start} to {end}: {days} days, both included "
                f"(rule: a {want}-day tour; setting tour_days)",
                ja=f"ツアーの期間が{start}から{end}までの{days}日間(初日と最終日を含む)です"
                f"(要件: {want}日間のツアー。設定 tour_days)",
                record=cohort,
                field="end_date",
            )
    if not cohort.extra.get("host_city"):
        yield data.warning(
            "jst.host-city-missing",
            "no host city given: the tour's host is not fixed yet (the report plans the host "
            "city segment without a place)",
            ja="訪問先都市が記入されていません。訪問先が未定です(報告書では場所なしで日程を組みます)",
            record=cohort,
            field="host_city",
        )
    taking = data.taking_part()
    limit = settings["max_participants"]
    if len(taking) > limit:
        yield data.warning(
            "jst.too-many-participants",
            f"{len(taking)} participants (rule: about 8 a tour, at most {limit}; setting "
            "max_participants)",
            ja=f"参加者が{len(taking)}人です(要件: 1回あたり8人程度、最大{limit}人。"
            "設定 max_participants)",
            sheet="participants",
        )
    if cohort.status == "postponed":
        yield data.info(
            "jst.postponed",
            f"the tour is postponed: no schedule, costs or feedback session are planned; carry "
            f"its {len(carried_over(data, settings))} accepted participant(s) to the next tour "
            "with `kenshu jst carry-over`",
            ja="ツアーは延期されています。日程・費用・報告会は計画しません。"
            f"採用済みの参加者{len(carried_over(data, settings))}人は "
            "`kenshu jst carry-over` で次回のツアーに引き継いでください",
            record=cohort,
            field="status",
        )


def carried_over(data: CohortData, settings: Settings) -> list[Participant]:
    """The accepted participants (``carry_over_statuses``), who move to the next tour."""
    accepted = settings["carry_over_statuses"]
    return [p for p in data.participants if p.status in accepted]


def _country_setting(data: CohortData, settings: Settings) -> Iterator[Finding]:
    import pycountry

    for code in settings["countries"]:
        if len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code):
            continue
        yield data.error(
            "jst.invalid-country-setting",
            f"setting countries: {code!r} is not an ISO 3166 alpha-2 country code (e.g. GB, IE)",
            ja=f"設定 countries の{code!r}はISO 3166の2文字の国コードではありません(例: GB、IE)",
            sheet="settings",
            subject="countries",
        )
