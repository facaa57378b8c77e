"""``kenshu jst ...``: carry participants over from a postponed tour, build the alumni
register across tours, and write the invitation list of a feedback session.

Exit codes as kenshu's: 0 done, 2 a usage error or a file that cannot be read (one line on
stderr, no traceback). The work is imported inside each command to keep ``kenshu --help``
fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

EXIT_OK, EXIT_USAGE = 0, 2
CODE = "jst"


def _fail(message: str) -> NoReturn:
    click.echo(f"kenshu: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _state() -> Any:
    return click.get_current_context().obj


def _registry(state: Any):
    registry = getattr(state, "registry", None)
    if registry is None:
        from kenshu.plugins import PluginRegistry

        registry = PluginRegistry.discover()
    return registry


def _finish(state: Any, code: int) -> NoReturn:
    finish = getattr(state, "finish", None)
    if finish is not None:
        finish(code)  # kenshu's own ending: plugin problems, --strict-plugins
    sys.exit(code)


def _refuse_inputs(output: str, inputs: list[str]) -> None:
    from kenshu.atomic import SameFileError, refuse_overwriting_inputs

    try:
        refuse_overwriting_inputs(output, inputs)
    except SameFileError as exc:
        _fail(str(exc))


def _load(registry: Any, path: str):
    """A JST tour: ``(data, reading findings, schema, resolved settings)``, or exit 2."""
    from kenshu.io import ReadError, load_cohort
    from kenshu.settings import SettingError
    from kenshu.validate import validate

    try:
        data, findings, schema = load_cohort(path, registry)
    except ReadError as exc:
        _fail(str(exc))
    if data.cohort is None:
        _fail(f"{path}: the Cohort sheet has no programme or cohort id (see `kenshu validate`)")
    if data.programme_code != CODE:
        _fail(f"{path}: a {data.programme_code} cohort, not a Japan Study Tour ({CODE})")
    try:
        settings = validate(data, registry, schema, findings).settings
    except SettingError as exc:
        _fail(f"{path}: {exc}")
    return data, findings, schema, settings


def _plugin_versions(registry: Any) -> dict[str, str]:
    return {
        name: info.version or ""
        for name, info in registry.plugins.items()
        if info.status == "loaded" and name != "core"
    }


@click.group()
def jst() -> None:
    """Japan Study Tour (JLGC London): carry participants over from a postponed tour, build
    the alumni register across tours, and write a feedback session's invitation list."""


@jst.command("carry-over")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The workbook to write: NEW with OLD's accepted participants added (.xlsx).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    default=None,
    help="Language of sheet names and labels (default: NEW's language, else en).",
)
def carry_over_command(old: str, new: str, output: str, lang: str | None) -> None:
    """Carry the accepted participants of OLD, a postponed tour, over to NEW, the next
    tour, writing a new workbook OUTPUT (OLD and NEW are never modified). NEW must start
    after OLD (when both start dates are given).

    Nobody is dropped: an id NEW already uses gets a new one (jst-2021-P03), and each carried
    participant's Carried over from says where they came from; a person already in NEW is
    not added twice. Exit 0 when written, 2 on a usage error or an unreadable file.
    """
    from kenshu_jst.carry import CarryError, carry_over

    state = _state()
    registry = _registry(state)
    if Path(output).suffix.lower() != ".xlsx":
        _fail(f"{output}: the tour is written as a workbook (.xlsx)")
    _refuse_inputs(output, [old, new])
    old_data, _, _, old_settings = _load(registry, old)
    new_data, _, new_schema, _ = _load(registry, new)
    try:
        result = carry_over(old_data, old_settings, new_data)
    except CarryError as exc:
        _fail(str(exc))
    from kenshu.workbook.export import write_cohort_workbook

    recorded = str(new_data.metadata.get("language") or "")
    write_cohort_workbook(
        output,
        new_data,
        new_schema,
        lang=lang or (recorded if recorded in ("en", "ja") else "en"),
        plugin_versions=_plugin_versions(registry),
    )
    origin, target = old_data.cohort.cohort_id, new_data.cohort.cohort_id
    click.echo(
        f"carried {len(result.carried)} participant(s) from {origin} (postponed) to {target}"
        f"; wrote {output}"
    )
    for c in result.carried:
        note = f" (new id: {c.old_id} is taken in {target})" if c.renamed else ""
        click.echo(f"  + {c.old_id} {c.name} -> {c.new_id}{note}")
    for old_id, name, match in result.already:
        click.echo(f"  = {old_id} {name}: already in {target} as {match}, not added again")
    for old_id, name, status in result.not_accepted:
        click.echo(
            f"  - {old_id} {name}: not carried, status {status or '(empty)'} is not accepted"
        )
    _finish(state, EXIT_OK)


@jst.command("alumni")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The register to write (.xlsx).",
)
def alumni_command(files: tuple[str, ...], output: str) -> None:
    """Merge the participants of any number of tour workbooks into one alumni register:
    its first sheet (Alumni) has one row per person with the tours they joined; Tours and
    Events (the tours' follow-ups) follow.

    People are matched by normalised name (case, spacing, diacritics) and organisation, and
    by id where the same id recurs with the same name. Exit 0 when written, 2 on a usage
    error or an unreadable file.
    """
    from kenshu_jst.alumni import RegisterError, build_register, write_register

    state = _state()
    registry = _registry(state)
    if Path(output).suffix.lower() != ".xlsx":
        _fail(f"{output}: the register is written as a workbook (.xlsx)")
    _refuse_inputs(output, list(files))
    sources = []
    for path in files:
        data, _, _, settings = _load(registry, path)
        sources.append((path, data, settings))
    try:
        register = build_register(sources)
    except RegisterError as exc:
        _fail(str(exc))
    write_register(output, register)
    held = sum(t.alumni > 0 for t in register.tours)
    joined = sum(len(a.tours) for a in register.alumni)
    click.echo(
        f"wrote {output}: {len(register.alumni)} alumni from {held} tour(s) ({joined} "
        f"participation(s)), {len(register.events)} event(s)"
    )
    for note in register.notes:
        click.echo(f"  {note}")
    _finish(state, EXIT_OK)


@jst.command("invite")
@click.argument("register_file", metavar="ALUMNI", type=click.Path(dir_okay=False))
@click.option(
    "--event",
    "event_id",
    required=True,
    help="The event (an event_id of the register's Events sheet), e.g. feedback-2020.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the list to this file (.xlsx or .csv) instead of printing it.",
)
def invite_command(register_file: str, event_id: str, output: str | None) -> None:
    """Write the invitation list of an event in the alumni register ALUMNI (written by
    `kenshu jst alumni`): the participants of the tour it follows, then the alumni of every
    earlier tour. Exit 0 when done, 2 for an unknown event or an unreadable file.
    """
    from kenshu.io import ReadError

    from kenshu_jst.alumni import (
        INVITE_HEADER,
        RegisterError,
        invitation_rows,
        invitations,
        read_register,
        write_sheets,
    )

    state = _state()
    suffix = Path(output).suffix.lower() if output else None
    if output:
        if suffix not in (".xlsx", ".csv"):
            _fail(
                f"{output}: cannot write {suffix or 'a file without extension'} (use .xlsx or .csv)"
            )
        _refuse_inputs(output, [register_file])
    try:
        register = read_register(register_file)
        event, invited = invitations(register, event_id)
    except ReadError as exc:
        _fail(str(exc))
    except RegisterError as exc:
        _fail(f"{register_file}: {exc}" if not str(exc).startswith(register_file) else str(exc))
    rows = invitation_rows(invited)
    tour = event.cohort_id
    ours = sum(i.reason.startswith("participant of") for i in invited)
    when = str(event.date) if event.date else f"to be fixed, {event.due_from}..{event.due_to}"
    head = (
        f"{event.event_id} ({event.kind or 'event'}, {when}, {event.location or 'place to be fixed'})"
        f" after {tour}: {len(invited)} invitee(s): {ours} participant(s) of {tour}, "
        f"{len(invited) - ours} alumni of earlier tours"
    )
    if output and suffix == ".csv":
        from kenshu.csvout import write_csv

        write_csv(output, [INVITE_HEADER, *rows], sheet="Invitations")
    elif output:
        write_sheets(output, [("Invitations", INVITE_HEADER, rows)])
    click.echo(head)
    if output:
        click.echo(f"wrote {output}")
    else:
        for row in rows:
            alumnus_id, family, given, organisation, country, _, _, reason = row
            name = " ".join(part for part in (given, family) if part)
            where = ", ".join(part for part in (organisation, country) if part)
            click.echo(f"  {alumnus_id} {name}" + (f" ({where})" if where else "") + f": {reason}")
    _finish(state, EXIT_OK)
