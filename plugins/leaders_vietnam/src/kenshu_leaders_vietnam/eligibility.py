"""Who may take part: Vietnamese nationals of a provincial-level government (a province or a
centrally run city) at director general, deputy director general or director level, whose
``home_region`` is a provincial-level unit in force on the cohort's first day."""

from __future__ import annotations

from collections.abc import Iterator

from kenshu import CohortData, Finding, Participant, Settings

from kenshu_leaders_vietnam import provinces


def region_of(data: CohortData, p: Participant, settings: Settings) -> provinces.Match | None:
    """What the participant's home_region names on the cohort's first day (None: not known)."""
    start = data.cohort.start_date if data.cohort else None
    if not p.home_region or start is None:
        return None
    return provinces.resolve(p.home_region, start, settings["reorganisation_date"])


def check_participant(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    yield from _choice(
        data,
        p,
        "nationality",
        settings["eligible_nationalities"],
        "leaders_vietnam.not-vietnamese",
        "participants are Vietnamese nationals",
        "国籍",
        "参加者はベトナム国籍であること",
    )
    yield from _choice(
        data,
        p,
        "organisation_type",
        settings["eligible_organisation_types"],
        "leaders_vietnam.not-provincial-government",
        "participants work for a provincial-level government: a province or a centrally run city",
        "所属団体の種別",
        "参加者は省または中央直轄市の地方政府の職員であること",
    )
    yield from _choice(
        data,
        p,
        "position_level",
        settings["eligible_position_levels"],
        "leaders_vietnam.position-level",
        "director general, deputy director general or director level",
        "職位",
        "局長級・副局長級・課長級であること",
    )
    yield from _region(data, p, settings)


def _choice(data, p, field_id, allowed, code, rule, label_ja, rule_ja) -> Iterator[Finding]:
    value = getattr(p, field_id)
    if value is not None and value not in allowed:
        yield data.error(
            code,
            f"{field_id} is {value} (rule: {rule}; {', '.join(allowed)})",
            ja=f"{label_ja}が「{value}」です(要件: {rule_ja}。対象: {', '.join(allowed)})",
            record=p,
            field=field_id,
        )


def _region(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    match = region_of(data, p, settings)
    if match is None or match.status == "ok":
        return
    start = data.cohort.start_date
    reorganised = settings["reorganisation_date"]
    written = p.home_region
    if match.status == "unknown":
        era = "the 34 units from" if start >= reorganised else "the 63 units before"
        era_ja = "以降の34" if start >= reorganised else "より前の63"
        yield data.error(
            "leaders_vietnam.unknown-region",
            f"home_region {written!r} is not a provincial-level unit of Vietnam on {start} "
            f"(rule: a province or centrally run city of {era} {reorganised})",
            ja=f"出身地域「{written}」は{start}時点のベトナムの省・中央直轄市ではありません"
            f"(要件: {reorganised}{era_ja}の省・中央直轄市のいずれかであること)",
            record=p,
            field="home_region",
        )
    elif match.status == "superseded":
        became, kind_ja = match.unit, provinces.KIND_LABELS_JA[match.unit.kind]
        when = match.written.valid_to
        since = f"after {when}" if when else f"from {reorganised}"
        since_ja = f"{when}の後" if when else f"{reorganised}から"
        yield data.warning(
            "leaders_vietnam.region-superseded",
            f"home_region {written!r} is {match.written.label}, which became part of "
            f"{became.label} {since}; counted as {became.name} for this cohort starting {start}",
            ja=f"出身地域「{written}」({match.written.name})は{since_ja}{became.name}({kind_ja})"
            f"の一部です。{start}開始のこのコホートでは{became.name}として数えます",
            record=p,
            field="home_region",
        )
    else:  # not yet in force
        then = f"; on {start} it was part of {match.unit.label}" if match.unit else ""
        then_ja = f"。{start}時点では{match.unit.name}の一部でした" if match.unit else ""
        since = match.written.valid_from or reorganised
        yield data.error(
            "leaders_vietnam.region-not-in-force",
            f"home_region {written!r} is {match.written.label}, a provincial-level unit only "
            f"from {since}, after this cohort starts ({start}){then}",
            ja=f"出身地域「{written}」({match.written.name})が省・中央直轄市となったのは"
            f"{since}からで、このコホートの開始日({start})より後です{then_ja}",
            record=p,
            field="home_region",
        )
