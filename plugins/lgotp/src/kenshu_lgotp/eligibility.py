"""Who may be an LGOTP trainee: each failed rule is an error naming the field and the rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from kenshu import CohortData, Finding, Participant, Settings
from kenshu.dates import months_end

CEFR_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2")
JLPT_ORDER = ("N5", "N4", "N3", "N2", "N1")  # N1 is the highest
# trainees arrive on a few days: each stay's end is worked out once per arrival day
_stay_end = lru_cache(maxsize=4096)(months_end)


def check_participant(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    yield from _organisation(data, p, settings)
    yield from _language(data, p, settings)
    yield from _recommendation(data, p, settings)
    if not p.extra.get("leadership_evidence"):
        yield data.warning(
            "lgotp.leadership-evidence-missing",
            "no leadership evidence given (rule: trainees should have the qualities to become "
            "a leader in their field)",
            ja="リーダーとしての資質が記入されていません(要件: 研修員は所属分野のリーダーとなる"
            "資質を備えていること)",
            record=p,
            field="leadership_evidence",
        )
    yield from _length(data, p, settings)
    yield from _arrival_window(data, p, settings)


def _organisation(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    allowed = settings["eligible_organisation_types"]
    if p.organisation_type is not None and p.organisation_type not in allowed:
        yield data.error(
            "lgotp.not-local-government",
            f"organisation_type is {p.organisation_type!r} (rule: trainees are employees of a "
            f"local government: {', '.join(allowed)})",
            ja=f"所属団体の種別が「{p.organisation_type}」です(要件: 研修員は地方政府の職員で"
            f"あること。対象の種別: {', '.join(allowed)})",
            record=p,
            field="organisation_type",
        )
    for field_id in ("home_country", "nationality"):
        if getattr(p, field_id) == "JP":
            yield data.error(
                "lgotp.japanese-government",
                f"{field_id} is JP (rule: trainees come from a non-Japanese local government)",
                ja=f"{'出身国' if field_id == 'home_country' else '国籍'}が日本(JP)です"
                "(要件: 研修員は海外の地方政府から受け入れること)",
                record=p,
                field=field_id,
            )
            break


def _language(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    min_en, min_ja = settings["min_english_level"], settings["min_japanese_level"]
    english_ok = (
        p.english_level in CEFR_ORDER
        and min_en in CEFR_ORDER
        and (CEFR_ORDER.index(p.english_level) >= CEFR_ORDER.index(min_en))
    )
    japanese_ok = (
        p.japanese_level in JLPT_ORDER
        and min_ja in JLPT_ORDER
        and (JLPT_ORDER.index(p.japanese_level) >= JLPT_ORDER.index(min_ja))
    )
    if english_ok or japanese_ok:
        return
    given = (
        ", ".join(
            f"{name} {value}"
            for name, value in (
                ("english_level", p.english_level),
                ("japanese_level", p.japanese_level),
            )
            if value
        )
        or "neither english_level nor japanese_level given"
    )
    given_ja = (
        "、".join(
            f"{name}{value}"
            for name, value in (("英語力", p.english_level), ("日本語力", p.japanese_level))
            if value
        )
        + "で語学力の要件を満たしていません"
        if p.english_level or p.japanese_level
        else "英語力・日本語力のどちらも記入されていません"
    )
    field = "english_level" if p.english_level or not p.japanese_level else "japanese_level"
    yield data.error(
        "lgotp.language-level",
        f"{given} (rule: high-level spoken English, CEFR {min_en} or above, or Japanese, "
        f"JLPT {min_ja} or above)",
        ja=f"{given_ja}(要件: 高い英語会話力 CEFR {min_en}以上、または日本語力 JLPT {min_ja}以上)",
        record=p,
        field=field,
    )


def _recommendation(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    if not settings["require_recommendation"]:
        return
    recommended = p.extra.get("recommended")
    if recommended is not True:
        state = "missing" if recommended is None else "no"
        state_ja = "記入されていません" if recommended is None else "「いいえ」になっています"
        yield data.error(
            "lgotp.not-recommended",
            f"recommended is {state} (rule: a recommendation from the trainee's own government)",
            ja=f"所属団体の推薦が{state_ja}(要件: 研修員の所属する政府からの推薦があること)",
            record=p,
            field="recommended",
        )


def _length(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    if p.arrival_date is None or p.departure_date is None or p.departure_date < p.arrival_date:
        return  # missing dates are reported as required fields, reversed ones by the core
    low, high = settings["min_months"], settings["max_months"]
    shortest = _stay_end(p.arrival_date, low)
    longest = _stay_end(p.arrival_date, high)
    if p.departure_date < shortest:
        yield data.error(
            "lgotp.stay-too-short",
            f"departure_date {p.departure_date}: the stay from {p.arrival_date} is shorter than {low} months "
            f"(rule: {low}-{high} months in all; {low} months from this arrival ends {shortest})",
            ja=f"出発日 {p.departure_date}: {p.arrival_date}からの滞在が{low}か月に足りません"
            f"(要件: 全体で{low}〜{high}か月。この到着日からの{low}か月は{shortest}までです)",
            record=p,
            field="departure_date",
        )
    elif p.departure_date > longest:
        yield data.error(
            "lgotp.stay-too-long",
            f"departure_date {p.departure_date}: the stay from {p.arrival_date} is longer than {high} months "
            f"(rule: {low}-{high} months in all; {high} months from this arrival ends {longest})",
            ja=f"出発日 {p.departure_date}: {p.arrival_date}からの滞在が{high}か月を超えています"
            f"(要件: 全体で{low}〜{high}か月。この到着日からの{high}か月は{longest}までです)",
            record=p,
            field="departure_date",
        )


def _arrival_window(data: CohortData, p: Participant, settings: Settings) -> Iterator[Finding]:
    if p.arrival_date is None:
        return
    year = p.arrival_date.year
    start = dt.date(year, *settings["arrival_from"])
    end = dt.date(year, *settings["arrival_to"])
    if not start <= p.arrival_date <= end:
        yield data.warning(
            "lgotp.arrival-outside-window",
            f"arrival {p.arrival_date} is outside the usual window "
            f"{start:%d %B} to {end:%d %B} (trainees arrive together in mid- to late May)",
            ja=f"到着日 {p.arrival_date} が通常の来日期間({start.month}月{start.day}日〜"
            f"{end.month}月{end.day}日)から外れています(研修員は5月中旬〜下旬にそろって来日します)",
            record=p,
            field="arrival_date",
        )
