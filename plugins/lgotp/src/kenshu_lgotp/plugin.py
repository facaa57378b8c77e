"""The LGOTP plugin's hook implementations: thin wiring to the rule modules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from kenshu import CohortData, Finding, Participant, Programme, Settings, hookimpl

from kenshu_lgotp import classes, costs, eligibility, placement, schedule
from kenshu_lgotp.fields import FIELDS
from kenshu_lgotp.settings import SETTINGS

KENSHU_PLUGIN_API = ">=1.0,<2"
CODE = "lgotp"
EXAMPLES = Path(__file__).parent / "examples"

PROGRAMME = Programme(
    code=CODE,
    title="Local Government Officials Training Programme (LGOTP)",
    title_ja="自治体職員協力交流事業",
    organiser="CLAIR with MIC",
    direction="inbound",
    description="Officials of overseas local governments train for 6-12 months in Japan: "
    "Tokyo orientation, a month at JIAM, then specialised training at a host local government.",
    sheets=("cohort", "participants", "hosts", "phases", "activities", "costs", "settings"),
    required_sheets=("cohort", "participants", "hosts"),
    required_fields=(
        "participants.arrival_date",
        "participants.departure_date",
        "participants.organisation_type",
        "participants.host_id",
        "hosts.kind",
    ),
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
) -> list[Finding]:
    return eligibility.check_participant(data, participant, settings)


@hookimpl
def kenshu_check_cohort(data: CohortData, settings: Settings) -> Iterator[Finding]:
    if settings["class_min_size"] > settings["class_max_size"]:
        yield data.error(
            "lgotp.class-bounds",
            f"class_min_size {settings['class_min_size']} is larger than class_max_size "
            f"{settings['class_max_size']}",
            ja=f"クラスの最少人数(class_min_size: {settings['class_min_size']})が"
            f"最多人数(class_max_size: {settings['class_max_size']})より大きくなっています",
            sheet="settings",
        )
    yield from placement.check(data, settings)
    yield from schedule.check_given(data)
    yield from classes.group(data, settings, findings_only=True)
    # cost lines no rule can assign are problems to fix before the report, so validate says so
    yield from costs.charge(data, settings, findings_only=True)
    cohort = data.cohort
    if cohort and cohort.start_date:
        starts_in = fiscal_year(cohort.start_date)
        if starts_in > settings["last_fiscal_year"]:
            yield data.warning(
                "lgotp.programme-ended",
                f"LGOTP ended with FY{settings['last_fiscal_year']}; this cohort starts in FY{starts_in}",
                ja=f"自治体職員協力交流事業は{settings['last_fiscal_year']}年度で終了しています。"
                f"このコホートは{starts_in}年度に始まります",
                record=cohort,
                field="start_date",
            )


@hookimpl
def kenshu_plan_schedule(data: CohortData, settings: Settings):
    return schedule.plan(data, settings)


@hookimpl
def kenshu_group_participants(data: CohortData, settings: Settings):
    # class-size findings are reported by kenshu_check_cohort; keep only the groups here
    return [item for item in classes.group(data, settings) if not isinstance(item, Finding)]


@hookimpl
def kenshu_cost_lines(data: CohortData, settings: Settings):
    return costs.charge(data, settings)


@hookimpl
def kenshu_report_summary(data: CohortData, report) -> list[str]:
    trainees = data.taking_part()
    countries = sorted({p.nationality for p in trainees if p.nationality})
    hosts = {p.host_id for p in trainees if data.host(p.host_id) is not None}
    if getattr(report, "lang", "en") == "ja":
        return _summary_ja(report, trainees, countries, hosts)
    lines = [
        f"{len(trainees)} trainee(s) from {len(countries)} countr{'y' if len(countries) == 1 else 'ies'} "
        f"({', '.join(countries)}) placed with {len(hosts)} host(s)."
    ]
    if report.groups:
        sizes = "+".join(str(len(g.participant_ids)) for g in report.groups)
        lines.append(
            f"JIAM Japanese classes: {len(report.groups)} ({sizes}), by placement-test score."
        )
    totals = report.totals()
    by_route: dict[tuple[str, str | None], float] = {}
    for t in totals:
        if t["reimbursement"]:
            key = (t["reimbursement"], t["currency"])
            by_route[key] = by_route.get(key, 0) + t["amount"]
    for (route, currency), amount in sorted(by_route.items()):
        lines.append(
            f"Borne by hosts, reimbursed through the {route.replace('_', ' ')}: {amount:,.0f} {currency or ''}".rstrip()
            + "."
        )
    return lines


_ROUTES_JA = {costs.ORDINARY: "普通交付税", costs.SPECIAL: "特別交付税"}


def _summary_ja(report, trainees: list, countries: list[str], hosts: set) -> list[str]:
    """The summary sentences in Japanese (``kenshu report --lang ja``)."""
    lines = [
        f"研修員{len(trainees)}人({len(countries)}か国: {'、'.join(countries)})を"
        f"受入団体{len(hosts)}団体に配属。"
    ]
    if report.groups:
        sizes = "+".join(str(len(g.participant_ids)) for g in report.groups)
        lines.append(
            f"JIAMの日本語クラス: {len(report.groups)}クラス({sizes}人)、クラス分けテストの得点順。"
        )
    by_route: dict[tuple[str, str | None], float] = {}
    for t in report.totals():
        if t["reimbursement"]:
            key = (t["reimbursement"], t["currency"])
            by_route[key] = by_route.get(key, 0) + t["amount"]
    for (route, currency), amount in sorted(by_route.items()):
        lines.append(
            f"受入団体が負担し、{_ROUTES_JA.get(route, route)}で措置される額: "
            f"{amount:,.0f} {currency or ''}".rstrip()
            + "。"
        )
    return lines


@hookimpl
def kenshu_report_sheets(data: CohortData):
    return [placement.wishes_sheet(data)]


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (April to March) a day falls in."""
    return day.year - (1 if day.month < 4 else 0)
