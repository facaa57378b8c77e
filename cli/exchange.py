"""Commands for workbooks exchanged between staff: ``merge``, ``diff`` and ``import``.

Kept light at import time: the work is imported inside each command.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from kenshu.cli.main import (
    EXIT_FINDINGS,
    EXIT_OK,
    State,
    check_output,
    fail,
    load,
    need_programme,
    output_lang,
    output_lang_option,
    plugin_versions,
)

_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def register(cli: click.Group) -> None:
    """Add ``merge``, ``diff`` and ``import`` to the root group."""
    for command in (merge, diff, import_):
        if command.name not in cli.commands:
            cli.add_command(command)


# ---------------------------------------------------------------------------
# merge


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The merged workbook to write (.xlsx).",
)
@click.option(
    "--prefer",
    multiple=True,
    metavar="FILE",
    help="On a conflict, take this input's value (the conflict is listed as resolved). "
    "Repeatable: the first one given wins.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the conflicts as JSON.")
@output_lang_option
@click.option(
    "--redact",
    is_flag=True,
    help="Remove or mask personal and sensitive values in the merged workbook (as convert "
    "--redact does), withhold them from the conflicts listed, and say what was removed.",
)
@click.pass_obj
def merge(
    state: State,
    files: tuple[str, ...],
    output: str,
    prefer: tuple[str, ...],
    as_json: bool,
    lang: str | None,
    redact: bool,
) -> None:
    """Merge submissions (hosts' applications, partial participant lists) into one
    cohort workbook, by stable id.

    The same id with different values in two files is a conflict: it is printed, and
    marked in the merged workbook (cell coloured and commented, and a Conflicts sheet).
    Exit 0 when no conflict is left unresolved, 1 when one is (the workbook is still
    written), 2 on a usage error (such as files of different programmes).
    """
    from kenshu.atomic import same_file
    from kenshu.merge import (
        MergeError,
        Source,
        conflict_findings,
        conflicts_sheet,
        display_names,
        merge_cohorts,
    )
    from kenshu.workbook.export import write_cohort_workbook

    if len(files) < 2:
        fail("merge needs two or more files")
    if Path(output).suffix.lower() not in _WORKBOOK_SUFFIXES:
        fail(f"{output}: the merged cohort is written as a workbook (.xlsx)")
    check_output(output, list(files))
    names = display_names(files)
    preferred = []
    for item in prefer:
        match = next((n for n, f in zip(names, files, strict=True) if same_file(f, item)), None)
        if match is None:
            fail(f"--prefer {item}: not one of the files to merge")
        preferred.append(match)
    sources = []
    for name, path in zip(names, files, strict=True):
        data, findings, schema = load(state, path, {})
        unreadable = sum(1 for f in findings if f.code == "core.invalid-value")
        if unreadable and not as_json:
            click.echo(
                f"{name}: {unreadable} value(s) could not be read; kept as they were "
                "(see `kenshu validate`)",
                err=True,
            )
        sources.append(Source(name, data, schema))
    language = lang or output_lang(None, sources[0].data)
    try:
        result = merge_cohorts(sources, state.registry, prefer=preferred, lang=language)
    except MergeError as exc:
        fail(str(exc))
    redactions = None
    if redact:
        from kenshu.merge import redact_conflicts
        from kenshu.privacy import redact as redact_cohort

        result.data, redactions = redact_cohort(result.data, result.schema)
        redact_conflicts(result)
        click.echo(f"kenshu: {redactions.summary(language)}", err=True)
        result.data.unknown_sheets.append(redactions.sheet(language))
    if result.conflicts:
        result.data.unknown_sheets.append(conflicts_sheet(result))
    write_cohort_workbook(
        output,
        result.data,
        result.schema,
        lang=language,
        plugin_versions=plugin_versions(state, result.schema),
        findings=conflict_findings(result),
        findings_sheet=False,
    )
    unresolved = result.unresolved
    if as_json:
        click.echo(
            json.dumps(
                {
                    "output": output,
                    "files": names,
                    "counts": _counts(result.data),
                    "conflicts": [c.as_dict() for c in result.conflicts],
                    "unresolved": len(unresolved),
                    "notes": result.notes,
                    **({"redactions": redactions.as_json()} if redactions is not None else {}),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        counts = ", ".join(f"{n} {sheet}" for sheet, n in _counts(result.data).items() if n)
        click.echo(f"merged {len(files)} files into {output}" + (f": {counts}" if counts else ""))
        for note in result.notes:
            click.echo(f"note: {note}")
        for conflict in result.conflicts:
            for line in conflict.lines():
                click.echo(line)
        if result.conflicts:
            click.echo(
                f"{len(unresolved)} unresolved and {len(result.conflicts) - len(unresolved)} "
                f"resolved conflict(s), marked in {output} (see its Conflicts sheet)"
                + (
                    "; keep one value in the files, or choose with --prefer FILE"
                    if unresolved
                    else ""
                )
            )
    state.finish(EXIT_FINDINGS if unresolved else EXIT_OK)


def _counts(data) -> dict[str, int]:
    from kenshu.dataset import TABLE_SHEETS

    return {sheet: len(data.records(sheet)) for sheet in TABLE_SHEETS}


# ---------------------------------------------------------------------------
# diff


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the changes as a workbook (one Changes sheet).",
)
@click.pass_obj
def diff(state: State, old: str, new: str, as_json: bool, output: str | None) -> None:
    """Show what changed from OLD to NEW (two versions of a cohort workbook or JSON):
    rows added and removed and each changed value, per sheet, keyed by id (sorting a
    sheet is not a change).

    Exit 0 when they hold the same cohort, 1 when they differ, 2 on errors.
    """
    from kenshu.diff import diff_cohorts, diff_json, diff_lines, write_diff_workbook

    if output:
        if Path(output).suffix.lower() not in _WORKBOOK_SUFFIXES:
            fail(f"{output}: the changes are written as a workbook (.xlsx)")
        check_output(output, [old, new])
    old_data, _, old_schema = load(state, old, {})
    new_data, _, new_schema = load(state, new, {})
    changes = diff_cohorts(old_data, old_schema, new_data, new_schema)
    if output:
        write_diff_workbook(output, changes)
    if as_json:
        click.echo(json.dumps(diff_json(old, new, changes), ensure_ascii=False, indent=2))
    else:
        for line in diff_lines(old, new, changes):
            click.echo(line)
        if output:
            click.echo(f"wrote {output}")
    state.finish(EXIT_FINDINGS if changes else EXIT_OK)


# ---------------------------------------------------------------------------
# import


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(dir_okay=False),
    help="The mapping file (TOML) that says how FILE's layout maps to ours.",
)
@click.option(
    "--suggest",
    is_flag=True,
    help="Write a starting mapping for FILE instead of importing (to -o, else stdout).",
)
@click.option(
    "--programme",
    metavar="CODE",
    help="The programme whose fields --suggest matches (default: the core fields only); "
    "with --mapping, sets the programme when the mapping does not.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The cohort to write (.xlsx or .json); with --suggest, the mapping (.toml).",
)
@output_lang_option
@click.pass_obj
def import_(
    state: State,
    file: str,
    mapping_path: str | None,
    suggest: bool,
    programme: str | None,
    output: str | None,
    lang: str | None,
) -> None:
    """Import FILE, a workbook in someone else's layout, as a cohort: --mapping MAP.toml
    names their sheets, header rows, columns, value maps and defaults
    (docs/import-mapping.md). --suggest writes a starting mapping instead.

    Columns the mapping does not name are kept as unknown columns and listed. Exit 0
    when every value was read, 1 when some could not be (kept as they were and listed),
    2 on a usage error (a mapping that does not fit FILE).
    """
    from kenshu.mapping import MappingError
    from kenshu.workbook.engines import ReadError

    if suggest == bool(mapping_path):
        fail("give --mapping MAP.toml to import, or --suggest to write a starting mapping")
    if output:
        check_output(output, [file] + ([mapping_path] if mapping_path else []))
    try:
        if suggest:
            _suggest(state, file, programme, output)
        else:
            if not output:
                fail("give -o OUT.xlsx (or OUT.json) for the imported cohort")
            code = _import(state, file, mapping_path or "", programme, output, lang)
            state.finish(code)
    except MappingError as exc:
        fail(str(exc))
    except ReadError as exc:
        fail(str(exc))
    state.finish(EXIT_OK)


def _suggest(state: State, file: str, programme: str | None, output: str | None) -> None:
    from kenshu.atomic import write_text
    from kenshu.mapping import suggest_mapping

    prog = need_programme(state, programme) if programme else None
    text, notes = suggest_mapping(file, state.registry.schema(prog))
    if output:
        write_text(output, text)
        for note in notes:
            click.echo(note, err=True)
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)
        for note in notes:
            click.echo(note, err=True)


def _import(
    state: State,
    file: str,
    mapping_path: str,
    programme: str | None,
    output: str,
    lang: str | None,
) -> int:
    from kenshu.mapping import import_workbook, load_mapping

    suffix = Path(output).suffix.lower()
    if suffix not in (*_WORKBOOK_SUFFIXES, ".json"):
        fail(f"{output}: cannot write {suffix or 'a file without extension'} (use .xlsx or .json)")
    mapping = load_mapping(mapping_path)
    code = mapping.programme or programme
    if programme and mapping.programme and programme != mapping.programme:
        fail(f"--programme {programme} differs from the mapping's programme {mapping.programme}")
    if code and "programme" not in mapping.cohort:
        mapping.cohort["programme"] = code
    prog = need_programme(state, code) if code else None
    schema = state.registry.schema(prog)
    result = import_workbook(file, mapping, schema)
    if suffix == ".json":
        from kenshu.atomic import write_text
        from kenshu.serial import cohort_to_json, dumps

        write_text(output, dumps(cohort_to_json(result.data)))
    else:
        from kenshu.workbook.export import write_cohort_workbook

        write_cohort_workbook(
            output,
            result.data,
            schema,
            lang=lang or "en",
            plugin_versions=plugin_versions(state, schema),
        )
    counts = ", ".join(f"{n} {sheet}" for sheet, n in result.counts.items())
    click.echo(f"wrote {output}" + (f": {counts}" if counts else ""))
    if result.unmapped:
        click.echo(f"{len(result.unmapped)} unmapped column(s) kept as unknown columns")
        listed = "; ".join(f"{sheet}!{col} {header!r}" for sheet, header, col in result.unmapped)
        click.echo(f"kenshu: unmapped columns (kept as unknown columns): {listed}", err=True)
    for line in result.skipped:
        click.echo(f"kenshu: {line}", err=True)
    errors = [f for f in result.findings if f.severity == "error"]
    if errors:
        click.echo(f"{len(errors)} problem(s); the values were kept as they were:")
        for f in errors:
            where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "mapping")
            who = f" [{f.subject}]" if f.subject else ""
            click.echo(f"  {where}{who}: {f.message} ({f.code})")
    return EXIT_FINDINGS if errors else EXIT_OK
