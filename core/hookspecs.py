"""The kenshu hook catalogue: everything a plugin can do, in one place.

A plugin is a module (or object) registered under the ``kenshu`` entry-point group whose
functions are marked with :data:`kenshu.hookimpl` and named after the hooks below. An
implementation may accept fewer arguments than the specification offers; new arguments are
added to hooks without breaking existing plugins.

Ownership. A plugin that registers programmes *owns* them: kenshu calls its hooks only for
its own programmes, so a rule never has to ask "is this my programme?". A plugin that
registers no programme is *cross-cutting*: its hooks are called for every programme (an
organisation's own extra checks, say) and can look at ``programme.code`` to choose.

Results. Hooks that produce records may also produce :class:`~kenshu.model.Finding`
objects among them (return a list or ``yield``); kenshu sorts them apart. A value of the
wrong type, or an exception, is reported with the plugin's name; the other plugins go on.

The hooks, in the order of a run:

* start-up: :func:`kenshu_register_programmes`, :func:`kenshu_register_commands`
* describing a programme: :func:`kenshu_fields`, :func:`kenshu_settings`
* validating: :func:`kenshu_check_participant`, :func:`kenshu_check_cohort`
* reporting: :func:`kenshu_plan_schedule`, :func:`kenshu_group_participants`,
  :func:`kenshu_cost_lines`, :func:`kenshu_follow_ups`, :func:`kenshu_report_summary`,
  :func:`kenshu_report_sheets`

Every hook's ``data`` argument is a :class:`kenshu.dataset.CohortData` (the workbook as
records) and ``settings`` a :class:`kenshu.settings.Settings` (resolved values by id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click
    from kenshu.dataset import CohortData
    from kenshu.fields import Field
    from kenshu.model import (
        ChargedCost,
        Finding,
        Group,
        Participant,
        PlannedFollowUp,
        PlannedPhase,
        Programme,
        ReportSheet,
    )
    from kenshu.report import Report
    from kenshu.settings import Setting, Settings

PROJECT = "kenshu"
hookspec = pluggy.HookspecMarker(PROJECT)


# ---------------------------------------------------------------------------
# Start-up


@hookspec
def kenshu_register_programmes(register: Callable[[Programme], None]) -> None:
    """Register the programmes this plugin provides.

    Call ``register(Programme(code=..., title=..., ...))`` once per programme. One plugin
    may register several programmes. Two plugins registering the same code is an error
    reported with both names; the second registration is ignored.

    ``Programme(direction="outbound")`` sends participants from Japan to the Cohort's
    ``destination_country`` (their dates default to the cohort's: read them with
    :func:`kenshu.participant_dates`); ``Programme(enrolled=False)`` is a series of events
    with an audience rather than enrolled participants (no Participants sheet; the report
    totals events and attendance).

    :param register: validates and records a :class:`~kenshu.model.Programme`.
    :return: nothing.

    Since plugin API 1.0.
    """


@hookspec
def kenshu_register_commands(cli: click.Group) -> None:
    """Add commands to the ``kenshu`` command line.

    Add a group named after the plugin (``kenshu jst alumni ...``) rather than top-level
    commands, so that two plugins cannot collide. Import heavy modules inside the command,
    not at the top of the plugin, to keep ``kenshu --help`` fast.

    :param cli: the root :class:`click.Group`.
    :return: nothing.

    Since plugin API 1.0.
    """


# ---------------------------------------------------------------------------
# Describing a programme


@hookspec
def kenshu_fields(programme: Programme) -> Iterable[Field]:
    """Contribute fields to the programme's sheets.

    Each :class:`~kenshu.fields.Field` names its ``sheet`` (``participants``, ``hosts``,
    ``cohort``...). Contributed fields are read, validated, written to templates and
    round-tripped through workbooks and JSON exactly like core fields; their values are in
    each record's ``extra`` dictionary. A field id that clashes with a core field or with
    another plugin's field on the same sheet is reported and ignored.

    :param programme: the programme being described.
    :return: the fields (an iterable of :class:`~kenshu.fields.Field`).

    Since plugin API 1.0.
    """


@hookspec
def kenshu_settings(programme: Programme) -> Iterable[Setting]:
    """Declare the settings (rule parameters) the programme's rules use.

    Every number a rule uses should be a :class:`~kenshu.settings.Setting` with a default,
    help and a source, so that ``kenshu schema`` documents it and a workbook's Settings
    sheet or ``--set ID=VALUE`` can override it.

    :param programme: the programme being described.
    :return: the settings.

    Since plugin API 1.0.
    """


# ---------------------------------------------------------------------------
# Validating


@hookspec
def kenshu_check_participant(
    programme: Programme, data: CohortData, participant: Participant, settings: Settings
) -> Iterable[Finding]:
    """Check one participant: eligibility, dates, the programme's personal rules.

    Called once per participant. Build findings with ``data.finding(...)`` so that they
    name the sheet, row, column and cell, with the participant's id as ``subject``.

    :param programme: the cohort's programme.
    :param data: the whole cohort, for look-ups (``data.host(participant.host_id)``).
    :param participant: the participant to check.
    :param settings: resolved settings.
    :return: findings (an empty iterable when all is well).

    Since plugin API 1.0.
    """


@hookspec
def kenshu_check_cohort(
    programme: Programme, data: CohortData, settings: Settings
) -> Iterable[Finding]:
    """Check the cohort as a whole: its length, group sizes, phases, placements.

    Cross-participant checks must be linear or n log n in the number of participants.

    :return: findings.

    Since plugin API 1.0.
    """


# ---------------------------------------------------------------------------
# Reporting


@hookspec
def kenshu_plan_schedule(
    programme: Programme, data: CohortData, settings: Settings
) -> Iterable[PlannedPhase | Finding]:
    """Compute the schedule of phases (both ends inclusive).

    A phase with ``participant_id`` set applies to that participant; without, to everyone.
    When no plugin answers, the report shows the Phases sheet as given.

    :return: planned phases, and findings about the plan.

    Since plugin API 1.0.
    """


@hookspec
def kenshu_group_participants(
    programme: Programme, data: CohortData, settings: Settings
) -> Iterable[Group | Finding]:
    """Put participants in groups (language classes, study groups), each explained.

    :return: groups, and findings (a class size outside the rule, say).

    Since plugin API 1.0.
    """


@hookspec
def kenshu_cost_lines(
    programme: Programme, data: CohortData, settings: Settings
) -> Iterable[ChargedCost | Finding]:
    """Say who pays each cost and by which reimbursement route, and why.

    Usually one :class:`~kenshu.model.ChargedCost` per line of the Costs sheet, with an
    ``explanation`` of how payer and route were derived. kenshu totals them.

    :return: charged costs, and findings (a line no rule can assign, say).

    Since plugin API 1.0.
    """


@hookspec
def kenshu_follow_ups(
    programme: Programme, data: CohortData, settings: Settings
) -> Iterable[PlannedFollowUp | Finding]:
    """List the follow-ups: the given ones checked, the missing ones planned with due dates.

    :return: follow-ups, and findings (a seminar outside its window, say).

    Since plugin API 1.0.
    """


@hookspec
def kenshu_report_summary(
    programme: Programme, data: CohortData, report: Report, settings: Settings
) -> Iterable[str]:
    """Add sentences to the report's Summary, in the programme's own words.

    :param report: the report computed so far (schedule, groups, costs, follow-ups).
    :return: sentences.

    Since plugin API 1.0.
    """


@hookspec
def kenshu_report_sheets(
    programme: Programme, data: CohortData, report: Report, settings: Settings
) -> Iterable[ReportSheet]:
    """Add sheets to the report workbook (and sections to its JSON).

    :return: :class:`~kenshu.model.ReportSheet` records.

    Since plugin API 1.0.
    """


#: Each hook's expected result record types (beyond Finding), used to check what plugins return.
RESULT_TYPES: dict[str, tuple[str, ...]] = {
    "kenshu_fields": ("Field",),
    "kenshu_settings": ("Setting",),
    "kenshu_check_participant": (),
    "kenshu_check_cohort": (),
    "kenshu_plan_schedule": ("PlannedPhase",),
    "kenshu_group_participants": ("Group",),
    "kenshu_cost_lines": ("ChargedCost",),
    "kenshu_follow_ups": ("PlannedFollowUp",),
    "kenshu_report_summary": ("str",),
    "kenshu_report_sheets": ("ReportSheet",),
}


def hook_names() -> list[str]:
    """The names of all hooks, in catalogue order."""
    return [
        name for name, value in globals().items() if name.startswith("kenshu_") and callable(value)
    ]
