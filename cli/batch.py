"""The ``batch`` command: every workbook of a folder, converted in parallel.

Kept light at import time: the work is imported inside the command.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from kenshu.cli.main import EXIT_FINDINGS, EXIT_OK, State, fail


def register(cli: click.Group) -> None:
    """Add ``batch`` to the root group."""
    if batch.name not in cli.commands:
        cli.add_command(batch)


@click.command()
@click.argument("source_dir", type=click.Path(file_okay=False))
@click.argument("dest_dir", type=click.Path(file_okay=False))
@click.option(
    "--to",
    "to",
    type=click.Choice(["json", "xlsx", "report"]),
    required=True,
    help="What to write for each workbook: its JSON, a normalised workbook, or its report "
    "(NAME-report.xlsx).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
@click.option(
    "--glob",
    "pattern",
    metavar="PATTERN",
    help="Only the workbooks whose path under SOURCE_DIR (or name) matches this shell "
    "pattern, e.g. '*.xlsx' or '2024/*'.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome of each file as JSON.")
@click.pass_obj
def batch(
    state: State,
    source_dir: str,
    dest_dir: str,
    to: str,
    jobs: int | None,
    pattern: str | None,
    as_json: bool,
) -> None:
    """Convert every workbook under SOURCE_DIR (recursively) into DEST_DIR, in parallel.

    The outputs mirror the source folders under DEST_DIR. Each workbook is validated on
    the way; a summary at the end counts the files converted cleanly, with findings, and
    failed, with why. No file stops the others. Exit 0 when every file was converted
    (findings allowed), 1 when any failed, 2 on a usage error.
    """
    import json

    from kenshu.batch import FAILED, OK, default_jobs, find_workbooks, run_batch, summary

    source, dest = Path(source_dir), Path(dest_dir)
    if not source.is_dir():
        fail(f"{source_dir}: no such folder")
    if dest.exists() and not dest.is_dir():
        fail(f"{dest_dir}: is a file; give a folder for the outputs")
    if dest.resolve() == source.resolve():
        fail("DEST_DIR is SOURCE_DIR: kenshu never writes beside its inputs; give another folder")
    files = find_workbooks(source, pattern, exclude=dest)
    total = len(files)
    if total == 0:
        fail(f"no workbooks under {source_dir}" + (f" matching {pattern!r}" if pattern else ""))
    workers = min(jobs or default_jobs(), total)
    bar = None
    if not as_json and sys.stderr.isatty():
        bar = click.progressbar(length=total, label=f"converting ({workers} jobs)", file=sys.stderr)
        bar.__enter__()
    done = 0

    def progress(item) -> None:
        nonlocal done
        done += 1
        if as_json:
            return
        if bar is not None:
            bar.update(1)
            return
        where = item.source.relative_to(source)
        if item.status == FAILED:
            tail = f"FAILED: {item.reason}"
        else:
            tail = f"-> {item.target} ({item.errors} error(s), {item.warnings} warning(s))"
        click.echo(f"[{done}/{total}] {where} {tail}", err=True)

    try:
        items = run_batch(
            source,
            dest,
            to,
            jobs=workers,
            pattern=pattern,
            disabled=state.disabled,
            progress=progress,
            registry=state.registry,  # discovered once, for the summary's plugin problems too
            files=files,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    counts = summary(items)
    if as_json:
        click.echo(
            json.dumps(
                {"summary": counts, "files": [item.as_dict() for item in items]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_summary(items, counts, source, OK)
    state.finish(EXIT_FINDINGS if counts[FAILED] else EXIT_OK)


def _print_summary(items, counts: dict[str, int], source: Path, ok: str) -> None:
    """The counts, then a line for each file that did not convert cleanly."""
    click.echo(
        f"{sum(counts.values())} workbook(s): {counts['ok']} ok, "
        f"{counts['with findings']} with findings, {counts['failed']} failed"
    )
    rows = [item for item in items if item.status != ok]
    if not rows:
        return
    names = [str(item.source.relative_to(source)) for item in rows]
    width = max(len("file"), *(len(n) for n in names))
    click.echo(f"\n{'file':<{width}}  {'status':<13}  {'errors':>6}  {'warnings':>8}  why")
    for name, item in zip(names, rows, strict=True):
        errors = "-" if item.status == "failed" else str(item.errors)
        warnings = "-" if item.status == "failed" else str(item.warnings)
        click.echo(
            f"{name:<{width}}  {item.status:<13}  {errors:>6}  {warnings:>8}  {item.reason or ''}"
        )
