"""Shared test helpers: templates written by ``kenshu template``, filled with openpyxl, and
the command line run in-process (click's CliRunner) or as a real subprocess.

Import with ``from helpers import ...`` (pytest puts this folder on ``sys.path``).

Cells are found the way a person fills a template: the Cohort sheet by its label column,
table sheets by their header row. A header is matched by the ``id: FIELD`` line that kenshu
writes into each header's comment, else by its label or id (ignoring case, spacing and
full-width forms), so the helpers also work on workbooks built by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner, Result
from kenshu.catalogue import SHEETS_BY_ID
from kenshu.cli.main import State, _disabled_from_argv, build_cli
from kenshu.workbook.cells import normalise_label

PROGRAMME = "lgotp"
HEADER_SEARCH_ROWS = 30
_ID_IN_COMMENT = re.compile(r"\bid: ([A-Za-z0-9_]+)\s*$")


# ---------------------------------------------------------------------------
# Running the command line


def run_cli(
    *args: str,
    state: State | None = None,
    env: Mapping[str, str] | None = None,
) -> Result:
    """Run ``kenshu ARGS`` in-process through click's CliRunner, as the console script does.

    ``state`` lets a test hand in a :class:`State` whose registry it built itself (test
    plugins); by default a fresh one discovers the installed plugins. Exceptions propagate
    (exit code 3 paths are tested through :func:`run_kenshu`).
    """
    with environment(env or {}):
        # plugins load in build_cli, before the command runs: the environment must be set
        state = state or State(disabled=_disabled_from_argv(list(args)))
        group = build_cli(state)
        return CliRunner().invoke(group, list(args), obj=state, catch_exceptions=False)


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a block, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_kenshu(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    python: str | Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kenshu ARGS`` as a subprocess (of this interpreter, or ``python``).

    ``env`` entries are added to the current environment, from which kenshu's own variables
    (``KENSHU_DISABLE_PLUGINS``, ``KENSHU_DEBUG``) are first removed.
    """
    merged = dict(os.environ)
    merged.pop("KENSHU_DISABLE_PLUGINS", None)
    merged.pop("KENSHU_DEBUG", None)
    merged.update(env or {})
    return subprocess.run(
        [str(python or sys.executable), "-m", "kenshu", *args],
        capture_output=True,
        text=True,
        env=merged,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def json_output(result: Result | subprocess.CompletedProcess[str]) -> Any:
    """The JSON a command printed on stdout."""
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------
# Templates and workbooks


def write_template(path: str | Path, programme: str = PROGRAMME, lang: str = "en") -> Path:
    """Write a template with ``kenshu template`` and return its path."""
    result = run_cli("template", programme, "-o", str(path), "--lang", lang)
    assert result.exit_code == 0, result.output
    return Path(path)


def find_sheet(wb: openpyxl.Workbook, sheet_id: str) -> Any:
    """The worksheet for a sheet id, named in English, Japanese or by its id."""
    spec = SHEETS_BY_ID[sheet_id]
    wanted = {normalise_label(text) for text in (spec.label, spec.label_ja, spec.id)}
    for ws in wb.worksheets:
        if normalise_label(ws.title) in wanted:
            return ws
    raise KeyError(f"no {spec.label} sheet in {wb.sheetnames}")


@lru_cache(maxsize=8)
def _label_index(programme: str | None, sheet_id: str) -> dict[str, str]:
    from kenshu.plugins import PluginRegistry

    registry = PluginRegistry.discover(disabled=())
    return registry.schema(registry.programme(programme)).label_index(sheet_id)


def _cell_field(cell: Any, sheet_id: str, programme: str | None) -> str | None:
    """The field id a label or header cell stands for."""
    if cell.comment is not None:
        match = _ID_IN_COMMENT.search(cell.comment.text.strip())
        if match:
            return match[1]
    if isinstance(cell.value, str):
        return _label_index(programme, sheet_id).get(normalise_label(cell.value))
    return None


def header_columns(
    ws: Any, sheet_id: str, programme: str | None = PROGRAMME
) -> tuple[int, dict[str, int]]:
    """``(header row, {field id: column})`` of a table sheet (both 1-based)."""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, HEADER_SEARCH_ROWS)):
        columns = {}
        for cell in row:
            field_id = _cell_field(cell, sheet_id, programme)
            if field_id is not None:
                columns.setdefault(field_id, cell.column)
        if len(columns) >= 2:
            return row[0].row, columns
    raise KeyError(f"no header row in sheet {ws.title!r}")


def cohort_rows(ws: Any, programme: str | None = PROGRAMME) -> dict[str, int]:
    """``{field id: row}`` of the Cohort sheet's label column."""
    rows = {}
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        field_id = _cell_field(cell, "cohort", programme)
        if field_id is not None:
            rows.setdefault(field_id, cell.row)
    return rows


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write a value as a person types it, except that text starting with ``=`` stays text
    (openpyxl would otherwise store a formula)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def set_cohort(wb: openpyxl.Workbook, values: Mapping[str, Any]) -> None:
    """Fill Cohort values by field id or label (a key kenshu knows, else a KeyError)."""
    ws = find_sheet(wb, "cohort")
    rows = cohort_rows(ws)
    for key, value in values.items():
        field_id = (
            key if key in rows else _label_index(PROGRAMME, "cohort").get(normalise_label(key))
        )
        if field_id not in rows:
            raise KeyError(f"Cohort sheet has no field {key!r}")
        put(ws, rows[field_id], 2, value)


def append_rows(
    wb: openpyxl.Workbook, sheet_id: str, rows: Iterable[Mapping[str, Any]]
) -> list[int]:
    """Append rows to a table sheet by field id; returns the row numbers written."""
    ws = find_sheet(wb, sheet_id)
    header_row, columns = header_columns(ws, sheet_id)
    written = []
    for values in rows:
        number = max(ws.max_row, header_row) + 1
        for key, value in values.items():
            if key not in columns:
                raise KeyError(f"sheet {ws.title!r} has no column for {key!r}")
            put(ws, number, columns[key], value)
        written.append(number)
    return written


def set_settings(wb: openpyxl.Workbook, values: Mapping[str, Any]) -> None:
    """Add ``setting | value`` rows to the Settings sheet."""
    append_rows(wb, "settings", [{"setting": k, "value": v} for k, v in values.items()])


def build_workbook(
    path: str | Path,
    cohort: Iterable[tuple[str, Any]] | None,
    sheets: Mapping[str, Iterable[Iterable[Any]]],
) -> Path:
    """A workbook built without kenshu: a Cohort sheet of ``(label, value)`` rows (none when
    ``cohort`` is None) and table sheets given as rows, header included, written as given."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if cohort is not None:
        ws = wb.create_sheet("Cohort")
        for number, (label, value) in enumerate(cohort, start=1):
            put(ws, number, 1, label)
            put(ws, number, 2, value)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    put(ws, r, c, value)
    wb.save(path)
    return Path(path)


def fill_workbook(
    template: str | Path,
    output: str | Path,
    *,
    cohort: Mapping[str, Any] | None = None,
    participants: Iterable[Mapping[str, Any]] = (),
    hosts: Iterable[Mapping[str, Any]] = (),
    costs: Iterable[Mapping[str, Any]] = (),
    phases: Iterable[Mapping[str, Any]] = (),
    settings: Mapping[str, Any] | None = None,
) -> Path:
    """Fill ``template`` with openpyxl and save it as ``output``."""
    wb = openpyxl.load_workbook(template)
    set_cohort(wb, cohort if cohort is not None else cohort_values())
    for sheet_id, rows in (
        ("participants", participants),
        ("hosts", hosts),
        ("costs", costs),
        ("phases", phases),
    ):
        rows = list(rows)
        if rows:
            append_rows(wb, sheet_id, rows)
    if settings:
        set_settings(wb, settings)
    wb.save(output)
    return Path(output)


def make_cohort(
    folder: str | Path,
    name: str = "cohort.xlsx",
    *,
    lang: str = "en",
    cohort: Mapping[str, Any] | None = None,
    participants: Iterable[Mapping[str, Any]] | None = None,
    hosts: Iterable[Mapping[str, Any]] | None = None,
    costs: Iterable[Mapping[str, Any]] | None = None,
    phases: Iterable[Mapping[str, Any]] = (),
    settings: Mapping[str, Any] | None = None,
) -> Path:
    """A filled LGOTP workbook in ``folder``: a valid cohort unless told otherwise."""
    folder = Path(folder)
    template = write_template(folder / f"template-{lang}-{name}", lang=lang)
    return fill_workbook(
        template,
        folder / name,
        cohort=cohort,
        participants=valid_participants() if participants is None else participants,
        hosts=valid_hosts() if hosts is None else hosts,
        costs=valid_costs() if costs is None else costs,
        phases=phases,
        settings=settings,
    )


# ---------------------------------------------------------------------------
# Valid LGOTP data (each rule satisfied; two trainees give only a class-size warning)


def cohort_values(**overrides: Any) -> dict[str, Any]:
    """A valid Cohort sheet by field id."""
    values = {
        "programme": PROGRAMME,
        "cohort_id": "lgotp-2024",
        "edition": 37,
        "title": "LGOTP 2024",
        "start_date": dt.datetime(2024, 5, 20),
        "end_date": dt.datetime(2025, 3, 31),
        "status": "in_progress",
    }
    values.update(overrides)
    return values


def participant(pid: str = "P01", **overrides: Any) -> dict[str, Any]:
    """A participant who meets every LGOTP rule."""
    values = {
        "participant_id": pid,
        "family_name": "Nguyen",
        "given_name": "Lan",
        "gender": "F",
        "nationality": "VN",
        "home_country": "VN",
        "home_organisation": "Da Nang City People's Committee",
        "organisation_type": "local_government",
        "position": "Officer",
        "english_level": "B2",
        "host_id": "H01",
        "arrival_date": dt.datetime(2024, 5, 20),
        "departure_date": dt.datetime(2024, 12, 19),
        "status": "selected",
        "placement_test_score": 72,
        "recommended": "yes",
        "field_of_training": "Tourism",
        "leadership_evidence": "Leads the city's tourism promotion team",
    }
    values.update(overrides)
    return values


def valid_participants() -> list[dict[str, Any]]:
    """Two participants placed with two hosts."""
    return [
        participant("P01"),
        participant(
            "P02",
            family_name="Santos",
            given_name="Maria",
            nationality="PH",
            home_country="PH",
            home_organisation="Cebu Provincial Government",
            host_id="H02",
            placement_test_score=55,
            field_of_training="Agriculture",
        ),
    ]


def host(host_id: str = "H01", **overrides: Any) -> dict[str, Any]:
    """A host that may take LGOTP trainees."""
    values = {
        "host_id": host_id,
        "name": "Sendai City",
        "name_ja": "仙台市",
        "kind": "designated_city",
        "prefecture": "Miyagi",
        "capacity": 2,
    }
    values.update(overrides)
    return values


def valid_hosts() -> list[dict[str, Any]]:
    """A designated city and a prefecture."""
    return [
        host("H01"),
        host(
            "H02", name="Kochi Prefecture", name_ja="高知県", kind="prefecture", prefecture="Kochi"
        ),
    ]


def valid_costs() -> list[dict[str, Any]]:
    """Two cost lines the hosts bear."""
    return [
        {
            "cost_id": "C01",
            "item": "airfare",
            "amount": 150000,
            "currency": "JPY",
            "participant_id": "P01",
        },
        {
            "cost_id": "C02",
            "item": "accommodation",
            "amount": 420000,
            "currency": "JPY",
            "participant_id": "P02",
        },
    ]


# ---------------------------------------------------------------------------
# Reading results back


def sheet_rows(path: str | Path, sheet: str) -> list[list[Any]]:
    """A sheet's values as lists (trailing empty rows dropped)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def sheet_records(path: str | Path, sheet: str) -> list[dict[str, Any]]:
    """A report sheet as dictionaries keyed by its header."""
    rows = sheet_rows(path, sheet)
    header = rows[0]
    # read-only openpyxl drops trailing empty cells of streamed rows: pad them back
    return [
        dict(zip(header, [*row, *[None] * (len(header) - len(row))], strict=True))
        for row in rows[1:]
    ]


def findings_with(payload: Mapping[str, Any], code: str) -> list[dict[str, Any]]:
    """The findings of ``validate --json`` (first file) or ``report --json`` with ``code``."""
    items = payload["files"][0]["findings"] if "files" in payload else payload["findings"]
    return [f for f in items if f["code"] == code]


def state_for(registry: Any) -> State:
    """A CLI :class:`State` that uses ``registry`` (with test plugins) instead of discovering."""
    state = State()
    state._registry = registry
    return state
