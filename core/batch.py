"""Converting every workbook of a folder, in parallel processes.

:func:`find_workbooks` lists a folder's workbooks (recursively, optionally filtered by a
shell pattern); :func:`run_batch` converts each to JSON, to a normalised workbook or to
a report, in worker processes (one per core by default), and returns one
:class:`BatchItem` per file: converted cleanly, converted with findings, or failed and
why. No file stops the others: an unreadable file, a plugin that raises, even a worker
process that dies, is one failed item.

Each workbook is validated on the way, so that the summary says which files have
errors ("with findings"; warnings are counted but leave a file "ok", as ``kenshu
validate`` exits 0 with warnings); the outputs are written whatever the findings, as
``kenshu report`` does.
"""

from __future__ import annotations

import concurrent.futures
import fnmatch
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

#: What ``--to`` accepts, and the suffix each output gets.
TARGETS = {"json": ".json", "xlsx": ".xlsx", "report": "-report.xlsx"}
#: The workbooks a batch picks up (kenshu's JSON is not a workbook: convert it one by one).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
#: Lock files spreadsheet programs leave beside an open workbook: not workbooks.
_LOCK_PREFIXES = ("~$", ".~lock.")

OK, FINDINGS, FAILED = "ok", "with findings", "failed"


@frozen
class BatchItem:
    """What happened to one workbook of a batch."""

    source: Path
    target: Path | None
    status: str  # OK, FINDINGS or FAILED
    errors: int = 0
    warnings: int = 0
    reason: str | None = None  # why it failed (one line)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "target": str(self.target) if self.target else None,
            "status": self.status,
            "errors": self.errors,
            "warnings": self.warnings,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
        }


def find_workbooks(
    source_dir: str | Path, pattern: str | None = None, exclude: str | Path | None = None
) -> list[Path]:
    """The workbooks under ``source_dir`` (recursively), sorted.

    ``pattern`` (a shell pattern like ``*.xlsx`` or ``2024/*``) must match the file's path
    relative to ``source_dir`` or its name. Files under ``exclude`` (the output folder,
    when it is inside the source) and spreadsheet lock files are left out.
    """
    root = Path(source_dir)
    # The folder to leave out, as a path under root (None when it is not under root: the
    # walk does not follow links to folders, so nothing it finds can be inside it).
    skip: tuple[str, ...] | None = None
    if exclude is not None:
        excluded, resolved_root = Path(exclude).resolve(), root.resolve()
        if excluded.is_relative_to(resolved_root):
            skip = excluded.relative_to(resolved_root).parts
    found = []
    for path in root.rglob("*"):
        if path.suffix.lower() not in WORKBOOK_SUFFIXES or not path.is_file():
            continue
        if path.name.startswith(_LOCK_PREFIXES):
            continue
        parts = path.relative_to(root).parts
        if skip is not None and parts[: len(skip)] == skip:
            continue
        relative = "/".join(parts)
        if pattern and not (
            fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.name, pattern)
        ):
            continue
        found.append(path)
    return sorted(found)


def target_for(source: Path, source_dir: Path, dest_dir: Path, to: str) -> Path:
    """Where ``source``'s output goes: the same place under ``dest_dir``."""
    relative = source.relative_to(source_dir)
    return dest_dir / relative.parent / (relative.stem + TARGETS[to])


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_batch(
    source_dir: str | Path,
    dest_dir: str | Path,
    to: str,
    *,
    jobs: int | None = None,
    pattern: str | None = None,
    disabled: Sequence[str] = (),
    progress: Callable[[BatchItem], None] | None = None,
    registry: Any = None,
    files: Sequence[Path] | None = None,
) -> list[BatchItem]:
    """Convert every workbook under ``source_dir`` into ``dest_dir`` (see the module).

    ``progress`` is called with each item as it finishes (in the order they finish);
    the list returned is in the files' order. ``registry``, the caller's plugin registry
    (discovered with the same ``disabled``), saves discovering the plugins again, and
    ``files``, the caller's :func:`find_workbooks` of the same folder and ``pattern``
    (with ``exclude=dest_dir``), saves walking the folder again.
    """
    if to not in TARGETS:
        raise ValueError(f"cannot convert to {to!r} (use {', '.join(TARGETS)})")
    source_dir, dest_dir = Path(source_dir), Path(dest_dir)
    if files is None:
        files = find_workbooks(source_dir, pattern, exclude=dest_dir)
    work = [(f, target_for(f, source_dir, dest_dir, to), to) for f in files]
    jobs = max(1, jobs or default_jobs())
    done: dict[Path, BatchItem] = {}

    def finish(item: BatchItem) -> None:
        done[item.source] = item
        if progress is not None:
            progress(item)

    _start_worker(tuple(disabled), registry)  # here: forked workers inherit the plugins
    if jobs == 1 or len(work) <= 1:
        for job in work:
            finish(convert_one(job))
    else:
        _in_pool(work, min(jobs, len(work)), tuple(disabled), finish)
    return [done[f] for f in files]


def _in_pool(
    work: list[tuple[Path, Path, str]],
    jobs: int,
    disabled: tuple[str, ...],
    finish: Callable[[BatchItem], None],
) -> None:
    # Forked workers start with the conversion's modules loaded, once, here, instead of
    # each loading them again (the plugins are loaded already: see run_batch).
    _load_modules({to for _, _, to in work})
    # No gc.freeze() before forking, though it would keep the collector off the pages the
    # workers share: with objects frozen, reading cannot move what it made to the oldest
    # generation in one step (load.paused_gc), and each conversion cost more (measured:
    # 10% more CPU time over the 200 workbooks of the benchmark's batch).
    with _pool(jobs, disabled) as pool:
        futures = {pool.submit(convert_one, job): job for job in work}
        broken: list[tuple[Path, Path, str]] = []
        for future in concurrent.futures.as_completed(futures):
            job = futures[future]
            try:
                finish(future.result())
            except concurrent.futures.process.BrokenProcessPool:
                broken.append(job)
    # A worker died (a crash, or the system ran out of memory): the pool is gone with
    # every file it had not finished. Each of those runs again in a process of its own,
    # so that only the file that kills its process fails.
    for job in sorted(broken):
        finish(_isolated(job, disabled))


def _pool(jobs: int, disabled: tuple[str, ...]) -> concurrent.futures.ProcessPoolExecutor:
    """``jobs`` worker processes, forked where the system can, each with the plugins."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_fork_context(),
        initializer=_start_worker,
        initargs=(disabled,),
    )


def _fork_context() -> Any:
    """Fork where the system can (Linux, macOS): a forked worker inherits what this process
    has loaded. ``None`` elsewhere: the platform's default start method (Python 3.14 starts
    workers from a fresh server process by default, which would load everything again)."""
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _load_modules(targets: Iterable[str]) -> None:
    """Import what converting to ``targets`` needs (each import is lazy in the commands)."""
    import kenshu.io
    import kenshu.validate
    import python_calamine  # noqa: F401

    for to in targets:
        if to == "json":
            import kenshu.serial
        elif to == "xlsx":
            import kenshu.workbook.export
        else:
            import kenshu.report
            import kenshu.report_write  # noqa: F401


def _isolated(job: tuple[Path, Path, str], disabled: tuple[str, ...]) -> BatchItem:
    started = time.perf_counter()
    try:
        with _pool(1, disabled) as pool:
            return pool.submit(convert_one, job).result()
    except concurrent.futures.process.BrokenProcessPool:
        return BatchItem(
            job[0],
            None,
            FAILED,
            reason="the process converting it died (a crash, or out of memory)",
            seconds=time.perf_counter() - started,
        )


# ---------------------------------------------------------------------------
# In each worker process

_registry: Any = None
_registry_disabled: tuple[str, ...] | None = None  # the plugins _registry was found without


def _start_worker(disabled: tuple[str, ...] = (), registry: Any = None) -> None:
    """Load the plugins once per process (a forked worker inherits them), or take the
    caller's ``registry``."""
    global _registry, _registry_disabled
    if registry is not None:
        _registry, _registry_disabled = registry, disabled
    elif _registry is None or _registry_disabled != disabled:
        from kenshu.plugins import PluginRegistry

        _registry = PluginRegistry.discover(disabled=disabled)
        _registry_disabled = disabled


def convert_one(job: tuple[Path, Path, str]) -> BatchItem:
    """Read, validate and write one workbook; never raises."""
    source, target, to = job
    started = time.perf_counter()
    try:
        errors, warnings = _convert(source, target, to)
    except Exception as exc:
        return BatchItem(
            source, None, FAILED, reason=_why(exc), seconds=time.perf_counter() - started
        )
    status = FINDINGS if errors else OK  # warnings are counted, as validate's exit 0 allows
    return BatchItem(
        source, target, status, errors, warnings, seconds=time.perf_counter() - started
    )


def _convert(source: Path, target: Path, to: str) -> tuple[int, int]:
    from kenshu.io import load_cohort
    from kenshu.validate import validate

    if _registry is None:
        _start_worker()
    registry = _registry
    data, reading, schema = load_cohort(source, registry)
    outcome = validate(data, registry, schema, reading)
    lang = str(data.metadata.get("language") or "en")
    lang = lang if lang in ("en", "ja") else "en"
    if to == "json":
        from kenshu.serial import write_cohort_json

        write_cohort_json(target, data)
    elif to == "xlsx":
        from kenshu.workbook.export import write_cohort_workbook

        versions = registry.versions_for(schema.programme)
        write_cohort_workbook(target, data, schema, lang=lang, plugin_versions=versions)
    else:
        from kenshu.report import build_report
        from kenshu.report_write import write_report_workbook

        write_report_workbook(target, build_report(outcome, registry, lang=lang), lang=lang)
    counts = outcome.counts()
    return counts["error"], counts["warning"]


def _why(exc: BaseException) -> str:
    """One line for people: a reading problem as kenshu says it, anything else named."""
    from kenshu.workbook.engines import ReadError

    if isinstance(exc, ReadError):
        return exc.reason
    text = str(exc).strip().splitlines()
    detail = text[0][:200] if text else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def summary(items: Iterable[BatchItem]) -> dict[str, int]:
    """How many files ended in each status."""
    counts = {OK: 0, FINDINGS: 0, FAILED: 0}
    for item in items:
        counts[item.status] += 1
    return counts
