"""``kenshu hokkaido ...``: the centre's commands (imported only when kenshu starts)."""

from __future__ import annotations

import json
import sys

import click

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"kenshu: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group()
def hokkaido() -> None:
    """Commands of the Hokkaido International Exchange and Cooperation Center (HIECC)."""


@hokkaido.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="The annual report workbook to write."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--fiscal-year",
    type=int,
    default=None,
    help="The fiscal year (by the calendar year it starts in: 2024 = April 2024 to March "
    "2025); default: the one most of the workbooks fall in.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    default="en",
    show_default=True,
    help="Language of the summary, the sheet names and headers of the workbook and the "
    "reasons in Excluded (also in --json, whose keys stay English).",
)
@click.pass_context
def annual(
    ctx: click.Context,
    files: tuple[str, ...],
    output: str | None,
    as_json: bool,
    fiscal_year: int | None,
    lang: str,
) -> None:
    """The fiscal-year activity report over FILES, workbooks of any of the centre's six
    programmes: events and attendance by municipality and theme, missions and who went
    where, trainees by country and host. A workbook of another fiscal year or programme is
    listed in the Excluded sheet (exit 1), never dropped silently. A cohort given in several
    workbooks is counted once, from the first: a later identical copy is listed as a note,
    a later copy whose events or participants differ is listed as a problem (exit 1). An
    unreadable file stops the run (exit 2)."""
    from kenshu.atomic import SameFileError, refuse_overwriting_inputs
    from kenshu.io import ReadError, load_cohort
    from kenshu.settings import SettingError
    from kenshu.validate import validate

    from kenshu_hokkaido.annual import Loaded, build_annual, write_workbook
    from kenshu_hokkaido.annual import as_json as annual_json

    if not output and not as_json:
        _fail("give -o ANNUAL.xlsx, --json, or both")
    if output:
        try:
            refuse_overwriting_inputs(output, list(files))
        except SameFileError as exc:
            _fail(str(exc))
    state = ctx.obj  # kenshu's per-run State: its plugin registry and exit handling
    registry = getattr(state, "registry", None)
    if registry is None:
        from kenshu.plugins import PluginRegistry

        registry = PluginRegistry.discover()
    loaded = []
    for path in files:
        try:
            data, reading, schema = load_cohort(path, registry)
            outcome = validate(data, registry, schema, reading)
        except ReadError as exc:
            _fail(str(exc))
        except SettingError as exc:  # pragma: no cover - no --set here
            _fail(str(exc))
        loaded.append(Loaded(path, outcome))
    report = build_annual(loaded, fiscal_year)
    if output:
        write_workbook(output, report, lang)
    if as_json:
        click.echo(json.dumps(annual_json(report, lang), ensure_ascii=False, indent=2))
    else:
        for line in report.summary(lang):
            click.echo(line)
        label = "除外" if lang == "ja" else "left out"
        for left in report.excluded:
            name, what, reason = left.row(lang)
            click.echo(f"  {label}: {name}: {what}: {reason}")
        if output:
            click.echo(f"{output} を書き出しました" if lang == "ja" else f"wrote {output}")
    finish = getattr(state, "finish", None)
    code = EXIT_FINDINGS if report.problems else EXIT_OK
    if finish is not None:
        finish(code)
    sys.exit(code)
