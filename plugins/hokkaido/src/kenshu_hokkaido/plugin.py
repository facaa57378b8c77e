"""The hokkaido plugin's hook implementations: thin wiring to the rule modules, by
programme (the plugin owns six; kenshu calls these hooks only for them)."""

from __future__ import annotations

from collections.abc import Iterator

from kenshu import CohortData, Finding, Participant, Programme, Settings, hookimpl

from kenshu_hokkaido import events, missions, trainees
from kenshu_hokkaido import programmes as P
from kenshu_hokkaido.fields import BY_PROGRAMME as FIELDS
from kenshu_hokkaido.settings import BY_PROGRAMME as SETTINGS

KENSHU_PLUGIN_API = ">=1.0,<2"


@hookimpl
def kenshu_register_programmes(register) -> None:
    for programme in P.PROGRAMMES:
        register(programme)


@hookimpl
def kenshu_register_commands(cli) -> None:
    from kenshu_hokkaido.commands import hokkaido

    cli.add_command(hokkaido)


def _code(programme: Programme | None) -> str | None:
    return programme.code if programme is not None else None


@hookimpl
def kenshu_fields(programme: Programme):
    return FIELDS.get(_code(programme), ())


@hookimpl
def kenshu_settings(programme: Programme):
    return SETTINGS.get(_code(programme), ())


@hookimpl
def kenshu_check_participant(
    programme: Programme, data: CohortData, participant: Participant, settings: Settings
) -> Iterator[Finding]:
    code = _code(programme)
    if code in P.MISSIONS:
        yield from missions.check_participant(programme, data, participant, settings)
    elif code == P.TECHNICAL_TRAINEES:
        yield from trainees.check_participant(programme, data, participant, settings)


@hookimpl
def kenshu_check_cohort(
    programme: Programme, data: CohortData, settings: Settings
) -> Iterator[Finding]:
    code = _code(programme)
    if code in P.EVENTS:
        yield from events.check(code, data, settings)
    elif code in P.MISSIONS:
        yield from missions.check_cohort(programme, data, settings)
    elif code == P.TECHNICAL_TRAINEES:
        yield from trainees.check_cohort(data, settings)


@hookimpl
def kenshu_plan_schedule(programme: Programme, data: CohortData, settings: Settings):
    code = _code(programme)
    if code in P.MISSIONS:
        return missions.plan(programme, data, settings)
    if code == P.TECHNICAL_TRAINEES:
        return trainees.plan(data, settings)
    return None


@hookimpl
def kenshu_cost_lines(programme: Programme, data: CohortData, settings: Settings):
    if _code(programme) == P.TECHNICAL_TRAINEES:
        return trainees.charge(data, settings)
    return None


@hookimpl
def kenshu_follow_ups(programme: Programme, data: CohortData, settings: Settings):
    if _code(programme) == P.HIGHSCHOOL_MISSION:
        return missions.follow_ups(data, settings)
    return None


@hookimpl
def kenshu_report_summary(programme: Programme, data: CohortData, report, settings: Settings):
    code = _code(programme)
    if code in P.EVENTS:
        return events.summary(code, data, report, settings)
    if code in P.MISSIONS:
        return missions.summary(programme, data, report, settings)
    if code == P.TECHNICAL_TRAINEES:
        return trainees.summary(data, report, settings)
    return None


@hookimpl
def kenshu_report_sheets(programme: Programme, data: CohortData, settings: Settings):
    code = _code(programme)
    if code in P.EVENTS:
        return events.sheets(code, data)
    if code in P.MISSIONS:
        return missions.sheets(programme, data, settings)
    if code == P.TECHNICAL_TRAINEES:
        return trainees.sheets(data, settings)
    return None
