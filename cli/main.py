"""The ``kenshu`` command line: parse, call the library, print. Exit codes:

* 0: done, and no errors in the data (warnings allowed);
* 1: done, and the data has errors (the outputs are still written);
* 2: usage error, a file that cannot be read, or (with ``--strict-plugins``) a plugin problem;
* 3: an internal error (a bug in kenshu): one line, or the traceback with ``KENSHU_DEBUG=1``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from kenshu import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class KenshuGroup(click.Group):
    """Lists commands in the order they were added (core first, then plugins')."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


class State:
    """Per-run state: the plugin registry, loaded once, and the options of the root group."""

    def __init__(self, disabled: tuple[str, ...] = ()) -> None:
        self._registry = None
        self.disabled = disabled
        self.strict = False
        self.reported = 0

    @property
    def registry(self):
        if self._registry is None:
            from kenshu.plugins import PluginRegistry

            self._registry = PluginRegistry.discover(disabled=self.disabled)
        return self._registry

    def report_problems(self) -> None:
        """Print plugin problems not yet printed, one line each, to stderr."""
        problems = self.registry.problems
        for problem in problems[self.reported :]:
            click.echo(problem.line(), err=True)
        self.reported = len(problems)

    def finish(self, code: int) -> None:
        """Exit with ``code``, or 2 when ``--strict-plugins`` and a plugin misbehaved."""
        self.report_problems()
        if self.strict and self.registry.problems:
            click.echo(
                "kenshu: --strict-plugins: stopping because of the plugin problem(s) above",
                err=True,
            )
            sys.exit(EXIT_USAGE)
        sys.exit(code)


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """Print a one-line error and exit (no traceback)."""
    click.echo(f"kenshu: error: {message}", err=True)
    sys.exit(code)


def parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r}: expected ID=VALUE", param_hint="--set")
        overrides[key.strip()] = value.strip()
    return overrides


def limits_from(overrides: dict[str, str]):
    from kenshu.settings import parse_setting_value
    from kenshu.workbook.safety import LIMIT_SETTINGS, Limits

    values = {}
    for setting in LIMIT_SETTINGS:
        if setting.id in overrides:
            try:
                values[setting.id] = parse_setting_value(setting.type, overrides[setting.id])
            except ValueError as exc:
                fail(f"--set {setting.id}: {exc}")
    return Limits.from_settings(values)


def load(
    state: State,
    path: str,
    overrides: dict[str, str],
    engine: str | None = None,
    spill: bool = False,
):
    """Load a cohort or exit 2 with the reason (``spill``: see ``load_cohort``)."""
    from kenshu.io import load_cohort
    from kenshu.workbook.engines import ReadError

    try:
        return load_cohort(
            path, state.registry, engine=engine, limits=limits_from(overrides), spill=spill
        )
    except ReadError as exc:
        fail(str(exc))


def run_validation(state: State, path: str, overrides: dict[str, str], engine: str | None = None):
    from kenshu.settings import SettingError
    from kenshu.validate import validate

    data, findings, schema = load(state, path, overrides, engine)
    try:
        return validate(data, state.registry, schema, findings, overrides)
    except SettingError as exc:
        fail(str(exc))


def plugin_versions(state: State, schema) -> dict[str, str]:
    """The plugins a workbook of ``schema``'s programme is written with, and their versions."""
    return state.registry.versions_for(schema.programme)


def check_output(output: str, inputs: list[str]) -> None:
    from kenshu.atomic import SameFileError, refuse_overwriting_inputs

    try:
        refuse_overwriting_inputs(output, inputs)
    except SameFileError as exc:
        fail(str(exc))


set_option = click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="ID=VALUE",
    help="Override a setting for this run (see `kenshu schema PROGRAMME`). Repeatable.",
)
encoding_option = click.option(
    "--encoding",
    type=click.Choice(["utf-8-sig", "utf-8", "cp932"]),
    default=None,
    help="Encoding of the CSV files: utf-8-sig (the default; Excel reads it), utf-8, or "
    "cp932 for older Japanese software (a character it cannot hold is an error).",
)
#: The settings that are reading limits (kenshu.workbook.safety.LIMIT_SETTINGS).
LIMIT_IDS = (
    "max_archive_entries",
    "max_uncompressed_mib",
    "max_entry_mib",
    "max_compression_ratio",
    "max_rows_per_sheet",
    "max_cells_per_sheet",
    "max_file_mib",
)


def _lang_option(help: str, default: str | None = None) -> Callable[[Any], Any]:
    """A ``--lang en|ja`` option; ``None`` as default means "as the input workbook"."""
    return click.option(
        "--lang",
        type=click.Choice(["en", "ja"]),
        default=default,
        show_default=default is not None,
        help=help,
    )


lang_option = _lang_option(
    "Language of sheet names and labels in the workbooks written.", default="en"
)
output_lang_option = _lang_option(
    "Language of sheet names and labels in the workbook written "
    "(default: the input workbook's language, else en)."
)
report_lang_option = _lang_option(
    "Language of the report: sheet names, labels, summary sentences and finding "
    "messages, also in --json (default: the input workbook's language, else en)."
)
date_style_option = click.option(
    "--date-style",
    type=click.Choice(["iso", "wareki"]),
    default="iso",
    show_default=True,
    help="How dates are written in the workbook: iso (date cells) or wareki (Japanese-era "
    "text such as 令和6年5月12日, which kenshu reads back as the same dates). JSON keeps ISO 8601.",
)
redact_option = click.option(
    "--redact",
    is_flag=True,
    help="Remove or mask personal and sensitive values (names to initials; date of birth, "
    "e-mail, passport number, health notes, other personal fields and unclassified columns "
    "and sheets removed) and say what was removed: on stderr, and in a Redactions sheet or "
    'a "redactions" JSON key.',
)


def output_lang(lang: str | None, data: Any) -> str:
    """The language to write in: as asked, else the input workbook's (from _kenshu), else en."""
    if lang:
        return lang
    recorded = str(data.metadata.get("language") or "")
    return recorded if recorded in ("en", "ja") else "en"


@click.group(cls=KenshuGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kenshu")
@click.option(
    "--strict-plugins", is_flag=True, help="Exit 2 when any plugin fails to load or raises."
)
@click.option(
    "--disable-plugin",
    "disabled",
    multiple=True,
    metavar="NAME",
    help="Leave a plugin out for this run (also $KENSHU_DISABLE_PLUGINS, comma-separated).",
)
@click.pass_context
def cli(ctx: click.Context, strict_plugins: bool, disabled: tuple[str, ...]) -> None:
    """kenshu: cohort workbooks for international training and exchange programmes.

    Templates go out (`template`), filled workbooks come back and are checked
    (`validate`), reports go to hosts and funders (`report`), and `convert` moves a cohort
    between Excel and JSON. Each programme's rules come from its plugin: see
    `kenshu programmes`.
    """
    state = ctx.ensure_object(State)
    state.strict = strict_plugins
    if disabled and not state.disabled:
        state.disabled = disabled
    if ctx.invoked_subcommand not in (None, "plugins"):
        state.report_problems()
        if state.strict and state.registry.problems:
            state.finish(EXIT_USAGE)


def need_programme(state: State, code: str):
    programme = state.registry.programme(code)
    if programme is None:
        installed = ", ".join(sorted(state.registry.programmes)) or "none"
        fail(f"unknown programme {code!r} (installed: {installed}). " + HOW_TO_ADD)
    return programme


HOW_TO_ADD = (
    "Programmes come from plugins: install one with pip (e.g. `pip install kenshu-lgotp`), "
    "then `kenshu programmes` lists it."
)


@cli.command()
@click.argument("programme")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The workbook to write."
)
@lang_option
@click.pass_obj
def template(state: State, programme: str, output: str, lang: str) -> None:
    """Write an empty cohort workbook for PROGRAMME, ready to fill in."""
    from kenshu.dataset import CohortData
    from kenshu.workbook.export import write_cohort_workbook

    prog = need_programme(state, programme)
    schema = state.registry.schema(prog)
    data = CohortData()
    data.cohort_fallback = {"programme": prog.code}
    data.metadata["programme"] = prog.code
    write_cohort_workbook(
        output, data, schema, lang=lang, plugin_versions=plugin_versions(state, schema)
    )
    click.echo(f"wrote {output} ({prog.code} template, {lang})")
    state.finish(EXIT_OK)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option(
    "--annotate",
    type=click.Path(dir_okay=False),
    help="Write a copy with failing cells coloured and explained (one input file only).",
)
@click.option(
    "--engine", type=click.Choice(["calamine", "openpyxl"]), default=None, help="Reading engine."
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    default=None,
    help="Language of the finding messages, printed, in --json and in --annotate's comments "
    "(default: en; --annotate writes in the input workbook's language unless given).",
)
@set_option
@click.pass_obj
def validate(
    state: State,
    files: tuple[str, ...],
    as_json: bool,
    annotate: str | None,
    engine: str | None,
    lang: str | None,
    sets: tuple[str, ...],
) -> None:
    """Check cohort workbooks (or JSON) against the core and their programme's rules.

    Exit 0 when no file has errors (warnings allowed), 1 when any has, 2 when a file
    cannot be read or the command is misused.
    """
    from kenshu.workbook.engines import ReadError

    overrides = parse_sets(sets)
    if annotate and len(files) != 1:
        fail("--annotate takes exactly one input file")
    if annotate:
        check_output(annotate, list(files))
    results: list[dict[str, Any]] = []
    exit_code = EXIT_OK
    for path in files:
        try:
            from kenshu.io import load_cohort
            from kenshu.settings import SettingError
            from kenshu.validate import validate as run

            data, reading, schema = load_cohort(
                path, state.registry, engine=engine, limits=limits_from(overrides)
            )
            try:
                outcome = run(data, state.registry, schema, reading, overrides)
            except SettingError as exc:
                fail(str(exc))
        except ReadError as exc:
            exit_code = EXIT_USAGE
            results.append(
                {
                    "path": path,
                    "programme": None,
                    "valid": False,
                    "error": exc.reason,
                    "error_code": exc.code,
                    "counts": None,
                    "findings": [],
                }
            )
            if not as_json:
                click.echo(f"kenshu: error: {exc}", err=True)
            continue
        if not outcome.valid and exit_code == EXIT_OK:
            exit_code = EXIT_FINDINGS
        results.append(
            {
                "path": path,
                "programme": data.programme_code,
                "valid": outcome.valid,
                "counts": outcome.counts(),
                "findings": [f.as_dict(lang or "en") for f in outcome.findings],
            }
        )
        if not as_json:
            print_validation(path, outcome, lang or "en")
        if annotate:
            from kenshu.workbook.export import write_cohort_workbook

            write_cohort_workbook(
                annotate,
                data,
                schema,
                lang=output_lang(lang, data),
                plugin_versions=plugin_versions(state, schema),
                findings=outcome.findings,
            )
            if not as_json:
                click.echo(f"wrote {annotate} (annotated copy)")
    if as_json:
        click.echo(json.dumps({"files": results}, ensure_ascii=False, indent=2))
    state.finish(exit_code)


_SEVERITY_JA = {"error": "エラー", "warning": "警告", "info": "情報"}


def print_validation(path: str, outcome, lang: str = "en") -> None:
    counts = outcome.counts()
    cohort = outcome.data.cohort
    head = f"{path}: {outcome.data.programme_code or '?'}"
    if lang == "ja":
        if cohort is not None:
            head += f"、コホート {cohort.cohort_id}"
        verdict = "問題なし" if outcome.valid else "要修正"
        click.echo(
            f"{head}: {verdict}(エラー{counts['error']}件、警告{counts['warning']}件、"
            f"情報{counts['info']}件)"
        )
    else:
        if cohort is not None:
            head += f", cohort {cohort.cohort_id}"
        verdict = "valid" if outcome.valid else "INVALID"
        click.echo(
            f"{head}: {verdict} ({counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s))"
        )
    lines = []  # echoed at once: one write, not one (flushed) write per finding
    for severity in ("error", "warning", "info"):
        group = [f for f in outcome.findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"  {_SEVERITY_JA[severity]}:" if lang == "ja" else f"  {severity}s:")
        for f in group:
            where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "")
            who = f" [{f.subject}]" if f.subject else ""
            lines.append(f"    {where}{who}: {f.message_in(lang)} ({f.code})")
    if lines:
        click.echo("\n".join(lines))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="The report workbook to write."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@report_lang_option
@date_style_option
@redact_option
@click.option(
    "--provenance",
    is_flag=True,
    help='With --json: add to each cost line (and total) the cell of its amount ("_provenance").',
)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False),
    help="Also write the report's sheets as CSV files (one per sheet) into this folder.",
)
@encoding_option
@set_option
@click.pass_obj
def report(
    state: State,
    file: str,
    output: str | None,
    as_json: bool,
    lang: str | None,
    date_style: str,
    redact: bool,
    provenance: bool,
    csv_dir: str | None,
    encoding: str | None,
    sets: tuple[str, ...],
) -> None:
    """Validate FILE, then plan the schedule, groups, costs and follow-ups, and write the
    report (also when the cohort has errors: they are in its Findings sheet; exit 1)."""
    from kenshu.report import build_report, report_json

    if not output and not as_json and not csv_dir:
        fail("give -o OUT.xlsx, --csv DIR, --json, or several of them")
    if encoding and not csv_dir:
        fail("--encoding applies to the CSV files of --csv DIR")
    if provenance and not as_json:
        fail("--provenance adds the cells of the amounts to --json's output: give --json")
    if output:
        check_output(output, [file])
    overrides = parse_sets(sets)
    outcome = run_validation(state, file, overrides)
    lang = output_lang(lang, outcome.data)
    redactions = None
    if redact:
        # validated on the real values; planned and written from the redacted copy
        from kenshu.privacy import redact as redact_cohort
        from kenshu.privacy import redact_findings
        from kenshu.validate import Validation

        redacted, redactions = redact_cohort(outcome.data, outcome.schema)
        outcome = Validation(
            redacted,
            outcome.programme,
            outcome.schema,
            outcome.settings,
            redact_findings(outcome.findings, outcome.schema),
        )
        click.echo(f"kenshu: {redactions.summary(lang)}", err=True)
    result = build_report(outcome, state.registry, lang=lang, date_style=date_style)
    if redactions is not None:
        result.redactions = redactions
        result.findings = redact_findings(result.findings, outcome.schema)
    if output:
        from kenshu.report_write import write_report_workbook

        write_report_workbook(output, result, lang=lang)
    if csv_dir:
        from kenshu.csvout import CsvEncodingError, write_via_workbook
        from kenshu.report_write import write_report_workbook

        try:
            written = write_via_workbook(
                csv_dir,
                lambda path: write_report_workbook(path, result, lang=lang),
                encoding or "utf-8-sig",
                workbook=output,
            )
        except CsvEncodingError as exc:
            fail(str(exc))
    if as_json:
        payload = report_json(result)
        if provenance:
            from kenshu.provenance import report_provenance

            report_provenance(payload, result)
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for line in result.summary:
            click.echo(line)
        if output:
            click.echo(f"wrote {output}")
        if csv_dir:
            click.echo(f"wrote {len(written)} CSV file(s) in {csv_dir}")
    errors = any(f.severity == "error" for f in result.findings)
    state.finish(EXIT_FINDINGS if errors else EXIT_OK)


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path())
@click.option(
    "--to",
    "to",
    type=click.Choice(["json", "xlsx", "csv"]),
    default=None,
    help="What to write: json, xlsx, or csv (TARGET is then a folder: one CSV file per "
    "sheet). Default: by TARGET's extension.",
)
@encoding_option
@output_lang_option
@date_style_option
@redact_option
@click.option(
    "--provenance",
    is_flag=True,
    help="With a workbook SOURCE and a .json TARGET: record beside each record the file, "
    'sheet and cell of each of its values ("_provenance").',
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="ID=VALUE",
    help="Raise a reading limit for this run (max_rows_per_sheet=N...; see SECURITY.md). "
    "Repeatable.",
)
@click.pass_obj
def convert(
    state: State,
    source: str,
    target: str,
    to: str | None,
    encoding: str | None,
    lang: str | None,
    date_style: str,
    redact: bool,
    provenance: bool,
    sets: tuple[str, ...],
) -> None:
    """Convert a cohort between workbook and JSON (by the files' extensions), keeping
    every value, unknown columns and unknown sheets (unless --redact)."""
    from kenshu.serial import cohort_to_json, write_json

    check_output(target, [source])
    suffix = {"json": ".json", "xlsx": ".xlsx", "csv": ""}.get(
        to or "", Path(target).suffix.lower()
    )
    if encoding and to != "csv":
        fail("--encoding applies to --to csv")
    overrides = parse_sets(sets)
    unknown = sorted(set(overrides) - set(LIMIT_IDS))
    if unknown:
        fail(f"--set {unknown[0]}: convert takes only the reading limits ({', '.join(LIMIT_IDS)})")
    if to != "csv" and Path(target).is_dir():
        fail(f"{target}: is a folder; give a file name, or --to csv to write CSV files into it")
    if suffix == ".json" and date_style != "iso":
        fail("--date-style wareki applies to workbooks; JSON dates are always ISO 8601")
    if provenance and (suffix != ".json" or Path(source).suffix.lower() == ".json"):
        fail("--provenance records the cells of a workbook SOURCE in a .json TARGET")
    # JSON to a workbook: the records go from the one file to the other through temporary
    # files, so that memory stays flat in the cohort's size
    spill = suffix != ".json" and not redact and Path(source).suffix.lower() == ".json"
    data, findings, schema = load(state, source, overrides, spill=spill)
    redactions = None
    if redact:
        from kenshu.privacy import redact as redact_cohort

        data, redactions = redact_cohort(data, schema)
        click.echo(f"kenshu: {redactions.summary(output_lang(lang, data))}", err=True)
    if suffix == ".json":
        # written a record at a time, unless --provenance first adds to each record
        payload = cohort_to_json(data, lazy=not provenance)
        if redactions is not None:
            payload["redactions"] = redactions.as_json()
        if provenance:
            from kenshu.provenance import cohort_provenance

            cohort_provenance(payload, data)
        write_json(target, payload)
    elif to == "csv":
        from kenshu.csvout import CsvEncodingError, write_via_workbook
        from kenshu.workbook.export import write_cohort_workbook

        if redactions is not None:
            data.unknown_sheets.append(redactions.sheet(output_lang(lang, data)))
        try:
            written = write_via_workbook(
                target,
                lambda path: write_cohort_workbook(
                    path,
                    data,
                    schema,
                    lang=output_lang(lang, data),
                    plugin_versions=plugin_versions(state, schema),
                    date_style=date_style,
                ),
                encoding or "utf-8-sig",
            )
        except CsvEncodingError as exc:
            fail(str(exc))
        target = f"{len(written)} CSV file(s) in {target}"
    elif suffix == ".xlsx":  # never .xlsm: kenshu writes no macros, so no macro-enabled file
        from kenshu.workbook.export import write_cohort_workbook

        if redactions is not None:
            data.unknown_sheets.append(redactions.sheet(output_lang(lang, data)))
        write_cohort_workbook(
            target,
            data,
            schema,
            lang=output_lang(lang, data),
            plugin_versions=plugin_versions(state, schema),
            date_style=date_style,
        )
    else:
        fail(
            f"{target}: cannot write {suffix or 'a file without extension'} "
            "(use .json or .xlsx, or --to csv)"
        )
    unreadable = sum(f.code == "core.invalid-value" for f in findings)
    unkeyed = sum(f.code == "core.missing-id" for f in findings)
    notes = []
    if unreadable:
        notes.append(f"{unreadable} value(s) could not be read and were kept as they were")
    if unkeyed:
        notes.append(f"{unkeyed} row(s) without an id were kept as they were")
    if notes:
        notes.append("run `kenshu validate`")
    click.echo(f"wrote {target}" + (f" ({'; '.join(notes)})" if notes else ""))
    state.finish(EXIT_OK)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def plugins(state: State, as_json: bool) -> None:
    """List installed plugins: distribution, version, programmes, hooks and status."""
    registry = state.registry
    infos = [info for name, info in registry.plugins.items() if name != "core"]
    if as_json:
        click.echo(
            json.dumps(
                {"plugin_api": _api(), "plugins": [i.as_dict() for i in infos]},
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not infos:
        click.echo("No plugins installed. " + HOW_TO_ADD)
    else:
        for info in infos:
            version = f" {info.version}" if info.version else ""
            click.echo(f"{info.name} ({info.distribution or '?'}{version}): {info.status}")
            if info.reason:
                click.echo(f"  reason: {info.reason}")
            if info.programmes:
                click.echo(f"  programmes: {', '.join(info.programmes)}")
            if info.hooks:
                click.echo(f"  hooks: {', '.join(info.hooks)}")
    state.finish(EXIT_OK)


def _api() -> str:
    from kenshu.plugins import PLUGIN_API_VERSION

    return PLUGIN_API_VERSION


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def programmes(state: State, as_json: bool) -> None:
    """List the programmes the installed plugins provide."""
    items = sorted(state.registry.programmes.values(), key=lambda p: p.code)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "programmes": [
                        {
                            "code": p.code,
                            "title": p.title,
                            "title_ja": p.title_ja,
                            "organiser": p.organiser,
                            "direction": p.direction,
                            "enrolled": p.enrolled,
                            "plugin": p.plugin,
                            "sheets": list(p.sheets),
                        }
                        for p in items
                    ]
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not items:
        click.echo("No programmes installed. " + HOW_TO_ADD)
    else:
        for p in items:
            click.echo(
                f"{p.code}: {p.title}"
                + (f" / {p.title_ja}" if p.title_ja else "")
                + f" [{p.direction}{'' if p.enrolled else ', events'}; plugin {p.plugin}]"
            )
    state.finish(EXIT_OK)


@cli.command()
@click.argument("programme")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True)
@click.pass_obj
def schema(state: State, programme: str, as_json: bool, lang: str) -> None:
    """Show every field of every sheet and every setting of PROGRAMME."""
    prog = need_programme(state, programme)
    described = state.registry.schema(prog).as_dict(lang)
    if as_json:
        click.echo(json.dumps(described, ensure_ascii=False, indent=2, default=str))
        state.finish(EXIT_OK)
    click.echo(f"Programme {prog.code}: {prog.title}")
    for sheet in described["sheets"]:
        if not sheet["fields"]:
            continue
        click.echo(f"\n{sheet['name']} ({sheet['names']['en']} / {sheet['names']['ja']})")
        for f in sheet["fields"]:
            flags = ("required, " if f["required"] else "") + f["type"]
            if f["sensitivity"] != "public":
                flags += f", {f['sensitivity']}"
            choices = f" [{', '.join(f['choices'])}]" if f["choices"] else ""
            click.echo(
                f"  {f['id']:<24} {f['labels']['en']} / {f['labels']['ja']} ({flags}){choices}"
            )
    click.echo("\nSettings (override in the Settings sheet or with --set ID=VALUE)")
    for s in described["settings"]:
        click.echo(f"  {s['id']} = {s['default']}: {s['help']} [source: {s['source']}]")
    state.finish(EXIT_OK)


@cli.command()
@click.argument("programme", required=False)
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False),
    help="Copy the example workbooks into this folder.",
)
@click.pass_obj
def examples(state: State, programme: str | None, output_dir: str | None) -> None:
    """List (or copy) the example workbooks the programme plugins ship."""
    import shutil

    items = (
        [state.registry.programme(programme)]
        if programme
        else list(state.registry.programmes.values())
    )
    if programme and items[0] is None:
        need_programme(state, programme)
    copied = 0
    for prog in items:
        for example in prog.examples:
            source = Path(example)
            if output_dir:
                Path(output_dir).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, Path(output_dir) / source.name)
                copied += 1
                click.echo(str(Path(output_dir) / source.name))
            else:
                click.echo(f"{prog.code}: {source}")
    if not copied and not any(p.examples for p in items):
        click.echo("No example workbooks installed. " + HOW_TO_ADD)
    state.finish(EXIT_OK)


@cli.command("new-plugin")
@click.argument("name")
@click.option(
    "--programme", "programme", metavar="CODE", help="The programme code (default: NAME with '-')."
)
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False),
    help="The project's root folder, created if missing (default: ./kenshu-NAME).",
)
@click.pass_obj
def new_plugin(state: State, name: str, programme: str | None, output_dir: str | None) -> None:
    """Write an installable plugin project for a new programme, with worked examples
    (a field, a setting, an eligibility rule, a cost rule, a follow-up), tests, a README
    and a CI script. `pip install` it and its tests pass straight away."""
    from kenshu.scaffold import ScaffoldError, names, write_project

    try:
        target = Path(output_dir or names(name, programme)["distribution"])
        files = write_project(target, name, programme)
    except ScaffoldError as exc:
        fail(str(exc))
    click.echo(f"wrote {len(files)} files in {target}:")
    for path in files:
        click.echo(f"  {path.relative_to(target)}")
    click.echo(f"next: cd {target} && pip install -e '.[test]' && pytest")
    state.finish(EXIT_OK)


def _disabled_from_argv(argv: list[str]) -> tuple[str, ...]:
    """``--disable-plugin`` must act before plugins load (they may add commands)."""
    names: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--disable-plugin" and index + 1 < len(argv):
            names.append(argv[index + 1])
        elif arg.startswith("--disable-plugin="):
            names.append(arg.split("=", 1)[1])
    return tuple(names)


#: Modules of further built-in commands; each defines ``register(cli)`` adding its commands.
#: (Kept apart from this module so that each command family lives in its own file.)
COMMAND_MODULES: tuple[str, ...] = ("kenshu.cli.exchange", "kenshu.cli.batch")


def add_builtin_commands(group: click.Group) -> None:
    """Import each of :data:`COMMAND_MODULES` and let it add its commands (once)."""
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(group)


def build_cli(state: State) -> click.Group:
    """The root group with the built-in command modules' and every plugin's commands added."""
    add_builtin_commands(cli)
    state.registry.register_commands(cli)
    return cli


def main(argv: list[str] | None = None) -> None:
    """The console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    state = State(disabled=_disabled_from_argv(args))
    group = build_cli(state)
    try:
        group.main(args=args, prog_name="kenshu", obj=state)
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("KENSHU_DEBUG"):
            raise
        click.echo(
            f"kenshu: internal error: {type(exc).__name__}: {exc} "
            "(a bug; please report it, with KENSHU_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
