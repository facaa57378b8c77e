"""Technical trainees from developing countries, commissioned by the Hokkaido Government:
6-9 months, Japanese language then technical training at a host institution; the
prefecture pays travel and stay."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from kenshu import (
    ChargedCost,
    CohortData,
    Finding,
    Participant,
    PlannedPhase,
    Programme,
    ReportSheet,
    Settings,
    months_between_inclusive,
    participant_dates,
)
from kenshu.dates import months_end

from kenshu_hokkaido import dac
from kenshu_hokkaido import programmes as P

PAYER = "hokkaido_government"
#: What each cost item the prefecture pays is, in the explanation of each line.
ITEMS = {
    "airfare": "international travel to and from Japan",
    "domestic_travel": "travel within Japan, training trips included",
    "accommodation": "the stay: lodging during the training",
    "living_allowance": "the stay: living allowance during the training",
    "insurance": "accident and sickness insurance for the stay",
    "training": "training costs at the host institution",
}


def check_participant(
    programme: Programme, data: CohortData, p: Participant, settings: Settings
) -> Iterator[Finding]:
    yield from _developing_country(programme, data, p)
    yield from _length(data, p, settings)
    if not p.host_id and "host_id" not in p.invalid:
        yield data.warning(
            "hokkaido.trainee-not-placed",
            "no host institution yet (host_id is empty): placement often follows selection; "
            "give the host before technical training starts",
            ja="受入機関が未定です(受入団体IDが空欄)。配属は選考後に決まることが多いため警告に"
            "とどめます。技術研修の開始までに記入してください",
            record=p,
            field="host_id",
        )


def _developing_country(
    programme: Programme, data: CohortData, p: Participant
) -> Iterator[Finding]:
    arrival = participant_dates(programme, data, p).reference
    if p.nationality is None or arrival is None:
        return  # both are required fields: the core reports them missing
    listed = dac.on_list(p.nationality, arrival)
    if listed is None:
        yield data.warning(
            "hokkaido.dac-list-not-covering",
            f"the shipped DAC list covers {dac.COVERS_FROM} to {dac.COVERS_UNTIL}, not the "
            f"arrival on {arrival}: whether {p.nationality} is a developing country was not "
            "checked (update the plugin's table)",
            ja=f"同梱のDACリストは{dac.COVERS_FROM}〜{dac.COVERS_UNTIL}のもので、到着日{arrival}"
            f"には対応していません。{p.nationality}が開発途上国かどうかは確認していません",
            record=p,
            field="nationality",
        )
    elif not listed:
        left = dac.left_on(p.nationality)
        why = f"it left the list on {left}" if left else "it is not on the list"
        why_ja = f"{left}にリストから外れています" if left else "リストに載っていません"
        yield data.error(
            "hokkaido.not-developing-country",
            f"nationality {p.nationality} is not a developing country on the arrival date "
            f"{arrival}: {why} (rule: trainees come from countries on the OECD DAC List of ODA "
            "Recipients in force on arrival)",
            ja=f"国籍{p.nationality}は到着日{arrival}時点で開発途上国ではありません。{why_ja}"
            "(要件: 到着日に有効なOECD DACのODA対象国リストに載っている国の研修員であること)",
            record=p,
            field="nationality",
        )


def _length(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    if p.arrival_date is None or p.departure_date is None or p.departure_date < p.arrival_date:
        return  # missing dates are required fields; reversed ones a core finding
    low, high = settings["min_months"], settings["max_months"]
    shortest, longest = months_end(p.arrival_date, low), months_end(p.arrival_date, high)
    if p.departure_date < shortest:
        yield data.error(
            "hokkaido.stay-too-short",
            f"departure_date {p.departure_date}: the training from {p.arrival_date} is shorter "
            f"than {low} months (rule: {low}-{high} months; {low} months from this arrival end "
            f"{shortest})",
            ja=f"出発日{p.departure_date}: {p.arrival_date}からの研修が{low}か月に足りません"
            f"(要件: {low}〜{high}か月。この到着日からの{low}か月は{shortest}までです)",
            record=p,
            field="departure_date",
        )
    elif p.departure_date > longest:
        yield data.error(
            "hokkaido.stay-too-long",
            f"departure_date {p.departure_date}: the training from {p.arrival_date} is longer "
            f"than {high} months (rule: {low}-{high} months; {high} months from this arrival end "
            f"{longest})",
            ja=f"出発日{p.departure_date}: {p.arrival_date}からの研修が{high}か月を超えています"
            f"(要件: {low}〜{high}か月。この到着日からの{high}か月は{longest}までです)",
            record=p,
            field="departure_date",
        )


def check_cohort(data: CohortData, settings: Settings) -> Iterator[Finding]:
    if settings["min_months"] > settings["max_months"]:
        yield data.error(
            "hokkaido.month-bounds",
            f"min_months {settings['min_months']} is larger than max_months {settings['max_months']}",
            ja=f"最短月数(min_months: {settings['min_months']})が最長月数"
            f"(max_months: {settings['max_months']})より大きくなっています",
            sheet="settings",
        )
    yield from charge(data, settings, findings_only=True)


def plan(data: CohortData, settings: Settings) -> list[PlannedPhase]:
    """Per trainee: Japanese language from arrival, then technical training at the host."""
    out = []
    months = settings["language_training_months"]
    for p in data.participants:
        if p.arrival_date is None or p.departure_date is None or p.departure_date < p.arrival_date:
            continue
        language_end = min(months_end(p.arrival_date, months), p.departure_date)
        out.append(
            PlannedPhase(
                phase_id=f"{p.participant_id}-language",
                kind="japanese_language",
                start_date=p.arrival_date,
                end_date=language_end,
                participant_id=p.participant_id,
                title=f"Japanese language ({months} month(s))",
            )
        )
        if language_end < p.departure_date:
            host = data.host(p.host_id)
            out.append(
                PlannedPhase(
                    phase_id=f"{p.participant_id}-technical",
                    kind="technical_training",
                    start_date=language_end + dt.timedelta(days=1),
                    end_date=p.departure_date,
                    participant_id=p.participant_id,
                    host_id=p.host_id,
                    location=host.name if host else None,
                    title="Technical training at the host"
                    + ("" if p.host_id else " (host not yet placed)"),
                )
            )
    return out


def charge(data: CohortData, settings: Settings, findings_only: bool = False):
    """Who pays each cost line: the Hokkaido Government for travel and stay, explained."""
    pays = set(settings["prefecture_pays_items"])
    out: list = []
    for line in data.costs:
        item = line.item or "other"
        if item in pays:
            if not findings_only:
                out.append(
                    ChargedCost(
                        item=item,
                        payer=PAYER,
                        amount=line.amount,
                        currency=line.currency,
                        participant_id=line.participant_id,
                        host_id=line.host_id,
                        explanation=f"{ITEMS.get(item, item)}: paid by the Hokkaido Government, "
                        "which commissions the programme and pays the trainee's travel and stay",
                        cost_id=line.cost_id,
                    )
                )
            continue
        out.append(
            data.warning(
                "hokkaido.cost-unassigned",
                f"cost item {item!r} is not one the Hokkaido Government pays "
                f"({'; '.join(sorted(pays))}): say who pays it",
                ja=f"費目「{item}」は北海道が負担する費目({'、'.join(sorted(pays))})ではありません。"
                "負担者を確認してください",
                record=line,
                field="item",
            )
        )
        if not findings_only:
            out.append(
                ChargedCost(
                    item=item,
                    payer="unassigned",
                    amount=line.amount,
                    currency=line.currency,
                    participant_id=line.participant_id,
                    host_id=line.host_id,
                    explanation="not travel or stay: no rule of this programme assigns a payer",
                    cost_id=line.cost_id,
                )
            )
    return [x for x in out if isinstance(x, Finding)] if findings_only else out


def rows(data: CohortData, settings: Settings) -> list[tuple]:
    south = set(settings["south_america"])
    out = []
    for p in data.participants:
        host = data.host(p.host_id)
        months = (
            round(months_between_inclusive(p.arrival_date, p.departure_date), 1)
            if p.arrival_date and p.departure_date and p.departure_date >= p.arrival_date
            else None
        )
        listed = (
            dac.on_list(p.nationality, p.arrival_date) if p.nationality and p.arrival_date else None
        )
        out.append(
            (
                p.participant_id,
                P.latin_name(p),
                p.nationality,
                "yes" if p.nationality in south else "no",
                {True: "yes", False: "no", None: "not checked"}[listed],
                p.host_id,
                host.name if host else None,
                data.value(p, "field_of_training"),
                p.arrival_date,
                p.departure_date,
                months,
            )
        )
    return out


HEADER = (
    "participant_id",
    "name",
    "nationality",
    "south_america",
    "on_dac_list",
    "host_id",
    "host",
    "field_of_training",
    "arrival",
    "departure",
    "months",
)


def sheets(data: CohortData, settings: Settings) -> list[ReportSheet]:
    return [ReportSheet("Trainees", HEADER, rows(data, settings), key="trainees")]


def summary(data: CohortData, report, settings: Settings) -> list[str]:
    people = data.taking_part()
    countries = Counter(p.nationality for p in people if p.nationality)
    south_america = set(settings["south_america"])
    south = sum(n for c, n in countries.items() if c in south_america)
    placed = sum(1 for p in people if data.host(p.host_id) is not None)
    listing = ", ".join(f"{c} {n}" for c, n in sorted(countries.items()))
    if getattr(report, "lang", "en") == "ja":
        return [
            f"研修員{len(people)}人({listing})、うち南米{south}人。受入機関に配属済み{placed}人、"
            f"未配属{len(people) - placed}人。",
        ]
    return [
        f"{len(people)} trainee(s) ({listing}), {south} from South America; "
        f"{placed} placed with a host, {len(people) - placed} not yet placed.",
    ]
