"""The JST plugin's hook implementations: thin wiring to the rule modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kenshu import CohortData, Finding, Participant, Programme, Settings, hookimpl

from kenshu_jst import costs, followup, rules, schedule
from kenshu_jst.fields import FIELDS
from kenshu_jst.settings import SETTINGS

KENSHU_PLUGIN_API = ">=1.0,<2"
CODE = "jst"
EXAMPLES = Path(__file__).parent / "examples"

PROGRAMME = Programme(
    code=CODE,
    title="Japan Study Tour (JST)",
    title_ja="日本スタディツアー",
    organiser="JLGC London (CLAIR's London office)",
    direction="inbound",
    description="A seven-day study tour of Japan each January for senior staff of local "
    "authorities in the UK, Ireland and Northern Europe: orientation at CLAIR Tokyo, Tokyo site "
    "visits, a host city; a feedback session in London afterwards, with the alumni of all tours.",
    sheets=("cohort", "participants", "phases", "activities", "follow_ups", "costs", "settings"),
    required_sheets=("cohort", "participants"),
    required_fields=("participants.home_country", "participants.position_level"),
    examples=tuple(str(p) for p in sorted(EXAMPLES.glob("*.xlsx"))),
)


@hookimpl
def kenshu_register_programmes(register) -> None:
    register(PROGRAMME)


@hookimpl
def kenshu_fields(programme: Programme):
    return FIELDS


@hookimpl
def kenshu_settings(programme: Programme):
    return SETTINGS


@hookimpl
def kenshu_check_participant(
    data: CohortData, participant: Participant, settings: Settings
) -> Iterator[Finding]:
    return rules.check_participant(data, participant, settings)


@hookimpl
def kenshu_check_cohort(data: CohortData, settings: Settings) -> Iterator[Finding]:
    yield from rules.check_cohort(data, settings)
    if not rules.is_held(data):
        return  # a postponed tour has no schedule, costs or feedback session to check
    yield from schedule.check_given(data)
    yield from followup.check(data, settings)
    # cost lines no rule can assign are problems to fix before the report, so validate says so
    yield from costs.charge(data, settings, findings_only=True)


@hookimpl
def kenshu_plan_schedule(data: CohortData, settings: Settings):
    if not rules.is_held(data):
        return []
    return schedule.plan(data, settings)


@hookimpl
def kenshu_cost_lines(data: CohortData, settings: Settings):
    if not rules.is_held(data):
        return []
    # the findings are reported by kenshu_check_cohort; keep only the charged lines here
    return [c for c in costs.charge(data, settings) if not isinstance(c, Finding)]


@hookimpl
def kenshu_follow_ups(data: CohortData, settings: Settings):
    return followup.follow_ups(data, settings)


@hookimpl
def kenshu_report_summary(data: CohortData, report, settings: Settings) -> list[str]:
    ja = getattr(report, "lang", "en") == "ja"
    cohort = data.cohort
    city = cohort.extra.get("host_city")
    taking = data.taking_part()
    by_country: dict[str, int] = {}
    for p in taking:
        country = p.home_country or p.nationality or "?"
        by_country[country] = by_country.get(country, 0) + 1
    counts = ", ".join(f"{c} {n}" for c, n in sorted(by_country.items()))
    lines: list[str] = []
    if ja:
        lines.append(
            (f"テーマ: {cohort.theme}。" if cohort.theme else "")
            + (f"訪問先都市: {city}。" if city else "訪問先都市は未定です。")
        )
        lines.append(f"国別の参加者(辞退・不採用を除く{len(taking)}人): {counts}。")
    else:
        lines.append(
            (f"Theme: {cohort.theme}. " if cohort.theme else "")
            + (f"Host city: {city}." if city else "Host city: not fixed yet.")
        )
        lines.append(
            f"Participants by country ({len(taking)}, not withdrawn or rejected): {counts}."
        )
    if not rules.is_held(data):
        accepted = len(rules.carried_over(data, settings))
        lines.append(
            f"ツアーは{'延期' if cohort.status == 'postponed' else '中止'}されたため、"
            f"日程・費用・報告会は計画しません。採用済みの参加者{accepted}人は "
            "`kenshu jst carry-over` で次回に引き継げます。"
            if ja
            else f"The tour is {cohort.status}: no schedule, costs or feedback session are "
            f"planned; its {accepted} accepted participant(s) can be carried to the next tour "
            "with `kenshu jst carry-over`."
        )
        return lines
    if report.phases:
        parts = [
            f"{p.title or p.kind} {p.start_date}"
            + (f"..{p.end_date}" if p.end_date != p.start_date else "")
            for p in sorted(report.phases, key=lambda p: (p.start_date, p.end_date))
        ]
        lines.append(("日程: " if ja else "Schedule: ") + "; ".join(parts) + ("。" if ja else "."))
    payers = {
        costs.PARTICIPANT: ("参加者(または所属団体)", "the participants or their employers"),
        costs.CLAIR: ("CLAIR", "CLAIR"),
    }
    for t in report.totals():
        if t["payer"] not in payers:
            continue
        who_ja, who = payers[t["payer"]]
        amount = f"{t['amount']:,} {t['currency'] or ''}".rstrip()
        lines.append(f"{who_ja}の負担: {amount}。" if ja else f"Paid by {who}: {amount}.")
    for f in report.follow_ups:
        if f.kind != followup.FEEDBACK:
            continue
        when = str(f.date) if f.date else f"{f.due_from}..{f.due_to}"
        lines.append(
            f"報告会 {f.follow_up_id}: {when}、{f.location or 'ロンドン'}"
            + ("(計画)" if f.planned else "")
            + f"。このツアーの参加者{len(f.participant_ids)}人と過去のツアーの参加者を招待"
            f"(kenshu jst invite --event {f.follow_up_id})。"
            if ja
            else f"Feedback session {f.follow_up_id}: {when}, {f.location or 'London'}"
            + (" (planned)" if f.planned else "")
            + f"; invite this tour's {len(f.participant_ids)} participant(s) and the alumni of "
            f"earlier tours (kenshu jst invite --event {f.follow_up_id})."
        )
    return lines


@hookimpl
def kenshu_register_commands(cli) -> None:
    from kenshu_jst.commands import jst

    if "jst" not in cli.commands:
        cli.add_command(jst)
