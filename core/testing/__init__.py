"""kenshu's test kit for plugin authors, registered as a pytest plugin (``pytest11``).

Fixtures:

* ``kenshu_registry_for(*plugins)`` (factory fixture): a plugin registry isolated from the
  installed plugins, holding only kenshu's built-in checks and the plugins you give it;
* ``kenshu_cohort``: :func:`make_cohort`, to build a cohort in a few lines;
* ``kenshu_cli``: run the ``kenshu`` command line in-process against a registry.

Helpers: :func:`make_cohort`, :func:`write_cohort`, :func:`fill_template`,
:func:`validate_cohort`, :func:`report_cohort`; :func:`invoke` and :func:`invoke_json` (the
command line in-process), :func:`finding_codes` and :func:`only_finding` (findings by code),
:func:`sheet_rows` and :func:`sheet_dicts` (what a command wrote to a workbook);
:mod:`kenshu.testing.readme` (the README's settings table checked against
``kenshu schema``); :mod:`kenshu.testing.examples` (example workbooks built from their JSON
source, and checked against it); and the contract suite,
:func:`kenshu.testing.contract.contract_suite`, that a plugin runs against itself with one line::

    from kenshu.testing.contract import contract_suite

    TestContract = contract_suite("kenshu_myprogramme.plugin")
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from kenshu.dataset import CohortData
from kenshu.model import (
    Activity,
    Attendance,
    Cohort,
    CostLine,
    FollowUp,
    HostBody,
    Participant,
    Phase,
)
from kenshu.plugins import PluginRegistry

_RECORDS = {
    "participants": Participant,
    "hosts": HostBody,
    "phases": Phase,
    "activities": Activity,
    "follow_ups": FollowUp,
    "attendance": Attendance,
    "costs": CostLine,
}


def load_plugin(plugin: str | ModuleType | Any) -> tuple[Any, str]:
    """A plugin object and its name from a module path (``"pkg.plugin"``) or an object."""
    if isinstance(plugin, str):
        module = importlib.import_module(plugin)
        return module, plugin.split(".")[0].removeprefix("kenshu_")
    name = getattr(plugin, "__name__", type(plugin).__name__)
    return plugin, name.split(".")[0].removeprefix("kenshu_")


def isolated_registry(*plugins: str | ModuleType | Any) -> PluginRegistry:
    """A registry with kenshu's built-in checks and only ``plugins`` (no installed ones)."""
    registry = PluginRegistry.discover(entry_points=[])
    for plugin in plugins:
        obj, name = load_plugin(plugin)
        registry.add(obj, name)
    return registry


def _typed(record_cls: type, values: Mapping[str, Any]) -> Any:
    """A record from ``values``: unknown keys go to ``extra``; ISO date strings become dates."""
    names = {a.name for a in attrs.fields(record_cls)}
    core: dict[str, Any] = {}
    extra: dict[str, Any] = dict(values.get("extra", {}))
    for key, value in values.items():
        if key == "extra":
            continue
        if isinstance(value, str) and (key.endswith("_date") or key in ("date", "date_of_birth")):
            value = dt.date.fromisoformat(value)
        (core if key in names else extra)[key] = value
    return record_cls(**core, extra=extra)


def make_cohort(
    programme: str,
    *,
    cohort_id: str = "test-cohort",
    start_date: str | dt.date = "2024-05-20",
    end_date: str | dt.date = "2025-05-19",
    cohort: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
    **sheets: Iterable[Mapping[str, Any]],
) -> CohortData:
    """A :class:`CohortData` in a few lines::

        data = make_cohort("lgotp", participants=[{"participant_id": "P1", "recommended": True}])

    Keys that are not core fields of a sheet are plugin fields (``extra``); dates may be
    ISO strings. ``sheets`` takes ``participants``, ``hosts``, ``phases``, ``activities``,
    ``follow_ups``, ``attendance`` and ``costs``.
    """
    values = {
        "programme": programme,
        "cohort_id": cohort_id,
        "start_date": start_date,
        "end_date": end_date,
        **(cohort or {}),
    }
    data = CohortData(cohort=_typed(Cohort, values))
    data.metadata["programme"] = programme
    for sheet, rows in sheets.items():
        if sheet not in _RECORDS:
            raise TypeError(
                f"make_cohort() got an unknown sheet {sheet!r} (use {', '.join(_RECORDS)})"
            )
        data.records(sheet).extend(_typed(_RECORDS[sheet], row) for row in rows)
    data.settings = dict(settings or {})
    return data


def validate_cohort(
    data: CohortData, registry: PluginRegistry, overrides: Mapping[str, Any] | None = None
):
    """Validate ``data`` (built with :func:`make_cohort` or read from a file)."""
    from kenshu.validate import validate

    schema = registry.schema(registry.programme(data.programme_code))
    return validate(data, registry, schema, [], overrides)


def report_cohort(
    data: CohortData, registry: PluginRegistry, overrides: Mapping[str, Any] | None = None
):
    """Validate and build the report for ``data``."""
    from kenshu.report import build_report

    return build_report(validate_cohort(data, registry, overrides), registry)


def write_cohort(
    path: str | Path, data: CohortData, registry: PluginRegistry, lang: str = "en"
) -> Path:
    """Write ``data`` as a cohort workbook (as ``kenshu convert`` would)."""
    from kenshu.workbook.export import write_cohort_workbook

    schema = registry.schema(registry.programme(data.programme_code))
    write_cohort_workbook(path, data, schema, lang=lang)
    return Path(path)


def read_cohort(path: str | Path, registry: PluginRegistry):
    """Read a workbook or JSON cohort: ``(data, reading findings, schema)``."""
    from kenshu.io import load_cohort

    return load_cohort(path, registry)


def fill_template(
    template: str | Path,
    output: str | Path,
    *,
    cohort: Mapping[str, Any] | None = None,
    **sheets: Iterable[Mapping[str, Any]],
) -> Path:
    """Fill a template written by ``kenshu template`` as a person would, with openpyxl.

    ``cohort`` maps field ids to values (written in the Value column of the Cohort sheet);
    each of ``sheets`` (``participants=[{field id: value}]``...) appends rows under the
    header, finding each column by the field id in its header comment.
    """
    import openpyxl
    from kenshu.catalogue import SHEETS_BY_ID

    book = openpyxl.load_workbook(template)
    by_id = _sheets_by_id(book, SHEETS_BY_ID)
    if cohort:
        ws = by_id["cohort"]
        rows = {_field_id(ws.cell(row=r, column=1)): r for r in range(2, ws.max_row + 1)}
        for key, value in cohort.items():
            if key not in rows:
                raise KeyError(f"the template's Cohort sheet has no field {key!r}")
            ws.cell(row=rows[key], column=2, value=value)
    for sheet, records in sheets.items():
        ws = by_id[sheet]
        columns = {_field_id(cell): cell.column for cell in ws[1] if cell.value is not None}
        row = 2
        for record in records:
            for key, value in record.items():
                if key not in columns:
                    raise KeyError(f"the template's {ws.title} sheet has no field {key!r}")
                ws.cell(row=row, column=columns[key], value=value)
            row += 1
    book.save(output)
    return Path(output)


def _field_id(cell: Any) -> str | None:
    comment = cell.comment.text if cell.comment else ""
    if "id: " in comment:  # kenshu writes each field's id at the end of its header comment
        return comment.rsplit("id: ", 1)[1].split()[0]
    return str(cell.value) if cell.value is not None else None


def _sheets_by_id(book: Any, specs: Mapping[str, Any]) -> dict[str, Any]:
    from kenshu.workbook.cells import normalise_label

    names = {
        normalise_label(n): sid
        for sid, spec in specs.items()
        for n in (spec.label, spec.label_ja, sid)
    }
    return {
        names[normalise_label(ws.title)]: ws
        for ws in book.worksheets
        if normalise_label(ws.title) in names
    }


def invoke(
    *args: Any, registry: PluginRegistry | None = None, catch_exceptions: bool = True
) -> Any:
    """Run ``kenshu ARGS`` in-process with click's runner; returns click's ``Result``
    (``exit_code``, ``output``/``stdout``, ``stderr``).

    Arguments may be paths or numbers (they are passed as strings). Every call builds the
    command line afresh: the installed plugins and their commands, or only ``registry``'s.
    ``catch_exceptions=False`` lets an exception inside the command reach the test.
    """
    from click.testing import CliRunner
    from kenshu.cli.main import State, build_cli

    state = State()
    if registry is not None:
        state._registry = registry
    return CliRunner().invoke(
        build_cli(state), [str(a) for a in args], obj=state, catch_exceptions=catch_exceptions
    )


def invoke_json(
    *args: Any,
    exit_code: int | None = None,
    registry: PluginRegistry | None = None,
    catch_exceptions: bool = True,
) -> Any:
    """Run a ``--json`` command with :func:`invoke` and parse what it printed (stdout only);
    with ``exit_code``, first assert that the command exited with it."""
    import json

    result = invoke(*args, registry=registry, catch_exceptions=catch_exceptions)
    if exit_code is not None:
        assert result.exit_code == exit_code, (result.exit_code, result.output)
    return json.loads(result.stdout)


def _code(finding: Any) -> str:
    return finding["code"] if isinstance(finding, Mapping) else finding.code


def finding_codes(findings: Iterable[Any], prefix: str | tuple[str, ...] = "") -> list[str]:
    """The codes of ``findings`` (:class:`~kenshu.model.Finding` objects or their JSON) that
    start with ``prefix`` (or one of several), in their order: ``finding_codes(v.findings,
    "lgotp.")``."""
    return [code for code in map(_code, findings) if code.startswith(prefix)]


def only_finding(findings: Iterable[Any], code: str) -> Any:
    """The single finding (object or JSON) with ``code``; fails when there are none or
    several."""
    matches = [f for f in findings if _code(f) == code]
    assert len(matches) == 1, f"expected one {code}, got {matches}"
    return matches[0]


def sheet_rows(path: str | Path, sheet: str | int = 0) -> list[tuple[Any, ...]]:
    """A sheet's rows (by name, or position from 0) as tuples of values, header first:
    to read what ``kenshu report``, ``convert`` or a plugin command wrote."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]
        return [tuple(row) for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()


def sheet_dicts(path: str | Path, sheet: str | int = 0) -> list[dict[str, Any]]:
    """A sheet's rows below its header as dictionaries keyed by the header's cells. A row
    longer than the header fails; a shorter one (a written row leaves out its trailing
    empty cells) is padded with ``None``."""
    header, *rows = sheet_rows(path, sheet)
    return [
        dict(zip(header, row + (None,) * (len(header) - len(row)), strict=True)) for row in rows
    ]


# ---------------------------------------------------------------------------
# pytest fixtures


@pytest.fixture
def kenshu_registry_for() -> Callable[..., PluginRegistry]:
    """Factory: ``kenshu_registry_for("kenshu_mine.plugin")`` -> an isolated registry."""
    return isolated_registry


@pytest.fixture
def kenshu_cohort() -> Callable[..., CohortData]:
    """:func:`make_cohort`, as a fixture."""
    return make_cohort


@pytest.fixture
def kenshu_cli() -> Callable[..., Any]:
    """Run the command line in-process: ``kenshu_cli(["validate", path], registry=reg)``.

    Returns click's ``Result`` (``exit_code``, ``output``/``stdout``, ``stderr``). Without
    ``registry`` the installed plugins are used.
    """

    def run(args: list[str], registry: PluginRegistry | None = None) -> Any:
        return invoke(*args, registry=registry)

    return run
