"""The Vietnamese local leaders programme's hook implementations: thin wiring to the rule modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kenshu import CohortData, Finding, Participant, Programme, Settings, hookimpl

from kenshu_leaders_vietnam import costs, editions, eligibility, follow_up, itinerary, summary
from kenshu_leaders_vietnam.settings import SETTINGS

KENSHU_PLUGIN_API = ">=1.0,<2"
CODE = "leaders-vietnam"
EXAMPLES = Path(__file__).parent / "examples"

PROGRAMME = Programme(
    code=CODE,
    title="Training in Japan for young Vietnamese local leaders",
    title_ja="ベトナム地方指導者本邦研修",
    organiser="JICE and Meiji University (JICA technical cooperation)",
    direction="inbound",
    description="Numbered 28-day editions in Japan for director-general, deputy and director "
    "level leaders of Vietnam's provinces and centrally run cities: lectures, site visits, "
    "report presentations, a closing ceremony, then a follow-up seminar in Vietnam.",
    sheets=(
        "cohort",
        "participants",
        "phases",
        "activities",
        "follow_ups",
        "attendance",
        "costs",
        "settings",
    ),
    required_sheets=("cohort", "participants"),
    required_fields=(
        "participants.nationality",
        "participants.home_region",
        "participants.organisation_type",
        "participants.position_level",
    ),
    examples=tuple(str(p) for p in sorted(EXAMPLES.glob("*.xlsx"))),
)


@hookimpl
def kenshu_register_programmes(register) -> None:
    register(PROGRAMME)


@hookimpl
def kenshu_settings(programme: Programme):
    return SETTINGS


@hookimpl
def kenshu_check_participant(
    data: CohortData, participant: Participant, settings: Settings
) -> Iterator[Finding]:
    return eligibility.check_participant(data, participant, settings)


@hookimpl
def kenshu_check_cohort(data: CohortData, settings: Settings) -> Iterator[Finding]:
    yield from editions.check(data, settings)
    yield from itinerary.check_given(data, settings)
    yield from follow_up.check(data, settings)
    # cost lines no rule can assign are problems to fix before the report, so validate says so
    yield from costs.charge(data, settings, findings_only=True)


@hookimpl
def kenshu_plan_schedule(data: CohortData, settings: Settings):
    return itinerary.plan(data, settings)


@hookimpl
def kenshu_cost_lines(data: CohortData, settings: Settings):
    # the unassigned-cost warnings come from kenshu_check_cohort; keep only the costs here
    return [c for c in costs.charge(data, settings) if not isinstance(c, Finding)]


@hookimpl
def kenshu_follow_ups(data: CohortData, settings: Settings):
    return follow_up.planned(data, settings)


@hookimpl
def kenshu_report_summary(data: CohortData, report, settings: Settings) -> list[str]:
    lang = getattr(report, "lang", "en")
    lines = [summary.sentence(data, settings, lang)]
    if not data.activities and not data.phases and report.phases:
        blocks = sum(1 for p in report.phases if p.kind in ("lectures", "site_visits"))
        lines.append(
            f"活動の記入がないため、{len(report.phases)}段階の日程の骨組み(開講、講義と視察の"
            f"{blocks}ブロック、最終報告会、閉講式)を計画しました。"
            if lang == "ja"
            else f"No activities given: planned an itinerary skeleton of {len(report.phases)} "
            f"phases (opening, {blocks} lecture and site-visit blocks, final report session, "
            "closing ceremony)."
        )
    lines.extend(follow_up.summary(data, settings, lang))
    return lines


@hookimpl
def kenshu_report_sheets(data: CohortData, report, settings: Settings):
    lang = getattr(report, "lang", "en")
    return [summary.sheet(data, settings, lang), follow_up.sheet(data, settings, lang)]
