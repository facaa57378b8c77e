"""Who may be an LGOTP trainee: each failed rule is an error naming the field and the rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache

from kenshu import CohortData, Finding, Participant, Settings
from kenshu.dates import months_end

CEFR_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2")
JLPT_ORDER = ("N5", "N4", "N3", "N2", "N1")  # N1 is the highest
_CEFR_RANK = {level: rank for rank, level in enumerate(CEFR_ORDER)}
_JLPT_RANK = {level: rank for rank, level in enumerate(JLPT_ORDER)}
# trainees arrive on a few days: each stay's end is worked out once per arrival day
_stay_end = lru_cache(maxsize=4096)(months_end)


@dataclass(frozen=True, slots=True)
class _Rules:
    """The settings the per-participant checks use, looked up once per validation rather
    than once per participant (the same :class:`Settings` is passed for every one)."""

    allowed: tuple[str, ...]
    allowed_text: str  # ", ".join(allowed), as the messages give it
    min_en: str
    min_ja: str
    min_en_rank: int | None  # None: min_english_level is not a CEFR level, nobody passes
    min_ja_rank: int | None
    require_recommendation: bool
    min_months: int
    max_months: int
    arrival_from: tuple[int, int]
    arrival_to: tuple[int, int]
    #: arrival year -> the usual arrival window that year, filled in as years come up
    windows: dict[int, tuple[dt.date, dt.date]] = dataclass_field(default_factory=dict)

    def window(self, year: int) -> tuple[dt.date, dt.date]:
        """The usual arrival window in ``year`` (raises ValueError for a day the year lacks,
        such as 29 February, so the plugin's failure is reported as before)."""
        found = self.windows.get(year)
        if found is None:
            found = dt.date(year, *self.arrival_from), dt.date(year, *self.arrival_to)
            self.windows[year] = found
        return found

    @classmethod
    def of(cls, settings: Settings) -> _Rules:
        allowed = settings["eligible_organisation_types"]
        min_en, min_ja = settings["min_english_level"], settings["min_japanese_level"]
        return cls(
            allowed=allowed,
            allowed_text=", ".join(allowed),
            min_en=min_en,
            min_ja=min_ja,
            min_en_rank=_CEFR_RANK.get(min_en),
            min_ja_rank=_JLPT_RANK.get(min_ja),
            require_recommendation=settings["require_recommendation"],
            min_months=settings["min_months"],
            max_months=settings["max_months"],
            arrival_from=settings["arrival_from"],
            arrival_to=settings["arrival_to"],
        )


# the Settings of the last validation and their _Rules. Settings is frozen and never
# changed after it is resolved, so the object itself is the key; holding it keeps its id
# from being reused by another Settings while cached.
_last_rules: tuple[Settings, _Rules] | None = None


def _rules(settings: Settings) -> _Rules:
    global _last_rules
    last = _last_rules
    if last is not None and last[0] is settings:
        return last[1]
    rules = _Rules.of(settings)
    _last_rules = (settings, rules)
    return rules


def check_participant(data: CohortData, p: Participant, settings: Settings) -> list[Finding]:
    """The eligibility findings for one participant, in rule order.

    Each rule is first tested here, in line, and its function (which tests it again and
    says what is wrong) called only for a participant it may concern: this runs for
    every participant, and most pass every rule."""
    rules = _rules(settings)
    found: list[Finding] = []
    kind = p.organisation_type
    if (
        (kind is not None and kind not in rules.allowed)
        or p.home_country == "JP"
        or p.nationality == "JP"
    ):
        _organisation(data, p, rules, found)
    english = _CEFR_RANK.get(p.english_level)
    if english is None or rules.min_en_rank is None or english < rules.min_en_rank:
        _language(data, p, rules, found)
    extra = p.extra
    if rules.require_recommendation and extra.get("recommended") is not True:
        _recommendation(data, p, rules, found)
    if not extra.get("leadership_evidence"):
        found.append(
            data.warning(
                "lgotp.leadership-evidence-missing",
                "no leadership evidence given (rule: trainees should have the qualities to "
                "become a leader in their field)",
                ja="リーダーとしての資質が記入されていません(要件: 研修員は所属分野のリーダーとなる"
                "資質を備えていること)",
                record=p,
                field="leadership_evidence",
            )
        )
    if p.arrival_date is not None:
        if p.departure_date is not None:
            _length(data, p, rules, found)
        _arrival_window(data, p, rules, found)
    return found


def _organisation(data: CohortData, p: Participant, rules: _Rules, found: list[Finding]) -> None:
    allowed = rules.allowed
    if p.organisation_type is not None and p.organisation_type not in allowed:
        found.append(
            data.error(
                "lgotp.not-local-government",
                f"organisation_type is {p.organisation_type!r} (rule: trainees are employees of "
                f"a local government: {rules.allowed_text})",
                ja=f"所属団体の種別が「{p.organisation_type}」です(要件: 研修員は地方政府の職員で"
                f"あること。対象の種別: {rules.allowed_text})",
                record=p,
                field="organisation_type",
            )
        )
    for field_id in ("home_country", "nationality"):
        if getattr(p, field_id) == "JP":
            found.append(
                data.error(
                    "lgotp.japanese-government",
                    f"{field_id} is JP (rule: trainees come from a non-Japanese local government)",
                    ja=f"{'出身国' if field_id == 'home_country' else '国籍'}が日本(JP)です"
                    "(要件: 研修員は海外の地方政府から受け入れること)",
                    record=p,
                    field=field_id,
                )
            )
            break


def _language(data: CohortData, p: Participant, rules: _Rules, found: list[Finding]) -> None:
    english = _CEFR_RANK.get(p.english_level)
    if english is not None and rules.min_en_rank is not None and english >= rules.min_en_rank:
        return
    japanese = _JLPT_RANK.get(p.japanese_level)
    if japanese is not None and rules.min_ja_rank is not None and japanese >= rules.min_ja_rank:
        return
    min_en, min_ja = rules.min_en, rules.min_ja
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
    found.append(
        data.error(
            "lgotp.language-level",
            f"{given} (rule: high-level spoken English, CEFR {min_en} or above, or Japanese, "
            f"JLPT {min_ja} or above)",
            ja=f"{given_ja}(要件: 高い英語会話力 CEFR {min_en}以上、または日本語力 JLPT {min_ja}以上)",
            record=p,
            field=field,
        )
    )


def _recommendation(data: CohortData, p: Participant, rules: _Rules, found: list[Finding]) -> None:
    if not rules.require_recommendation:
        return
    recommended = p.extra.get("recommended")
    if recommended is not True:
        state = "missing" if recommended is None else "no"
        state_ja = "記入されていません" if recommended is None else "「いいえ」になっています"
        found.append(
            data.error(
                "lgotp.not-recommended",
                f"recommended is {state} (rule: a recommendation from the trainee's own "
                "government)",
                ja=f"所属団体の推薦が{state_ja}(要件: 研修員の所属する政府からの推薦があること)",
                record=p,
                field="recommended",
            )
        )


def _length(data: CohortData, p: Participant, rules: _Rules, found: list[Finding]) -> None:
    if p.arrival_date is None or p.departure_date is None or p.departure_date < p.arrival_date:
        return  # missing dates are reported as required fields, reversed ones by the core
    low, high = rules.min_months, rules.max_months
    shortest = _stay_end(p.arrival_date, low)
    longest = _stay_end(p.arrival_date, high)
    if p.departure_date < shortest:
        found.append(
            data.error(
                "lgotp.stay-too-short",
                f"departure_date {p.departure_date}: the stay from {p.arrival_date} is shorter "
                f"than {low} months (rule: {low}-{high} months in all; {low} months from this "
                f"arrival ends {shortest})",
                ja=f"出発日 {p.departure_date}: {p.arrival_date}からの滞在が{low}か月に足りません"
                f"(要件: 全体で{low}〜{high}か月。この到着日からの{low}か月は{shortest}までです)",
                record=p,
                field="departure_date",
            )
        )
    elif p.departure_date > longest:
        found.append(
            data.error(
                "lgotp.stay-too-long",
                f"departure_date {p.departure_date}: the stay from {p.arrival_date} is longer "
                f"than {high} months (rule: {low}-{high} months in all; {high} months from this "
                f"arrival ends {longest})",
                ja=f"出発日 {p.departure_date}: {p.arrival_date}からの滞在が{high}か月を超えています"
                f"(要件: 全体で{low}〜{high}か月。この到着日からの{high}か月は{longest}までです)",
                record=p,
                field="departure_date",
            )
        )


def _arrival_window(data: CohortData, p: Participant, rules: _Rules, found: list[Finding]) -> None:
    if p.arrival_date is None:
        return
    start, end = rules.window(p.arrival_date.year)
    if not start <= p.arrival_date <= end:
        found.append(
            data.warning(
                "lgotp.arrival-outside-window",
                f"arrival {p.arrival_date} is outside the usual window "
                f"{start:%d %B} to {end:%d %B} (trainees arrive together in mid- to late May)",
                ja=f"到着日 {p.arrival_date} が通常の来日期間({start.month}月{start.day}日〜"
                f"{end.month}月{end.day}日)から外れています(研修員は5月中旬〜下旬にそろって来日します)",
                record=p,
                field="arrival_date",
            )
        )
