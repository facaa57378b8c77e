"""Where each value came from: the file, sheet and cell, for a reviewer to trace it.

Cells are derived after reading from what the reader already records (the row of each
record, the column of each field and unknown column: :meth:`CohortData.location` and the
sheet layouts), so reading itself costs nothing more. A reference is written
``FILE!SHEET!CELL`` (``cohort.xlsx!Participants!H5``); the cell is the part after the last
``!``, the file the part before the first.

``kenshu convert IN.xlsx OUT.json --provenance`` adds :func:`cohort_provenance` to the
JSON; ``kenshu report --json --provenance`` adds :func:`report_provenance`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from kenshu.dataset import TABLE_SHEETS, CohortData
from kenshu.model import Cohort
from kenshu.workbook.cells import column_letter

_BEYOND_HEADER = re.compile(r"^\(column ([A-Z]{1,3})\)$")  # the reader's name for such cells


class CellIndex:
    """Cells of one cohort's values, as ``SHEET!CELL`` (no file) or ``None`` when unknown.

    Column letters are worked out once per sheet; a record's row comes from the reader.
    """

    def __init__(self, data: CohortData) -> None:
        self.data = data
        self._letters: dict[str, tuple[str | None, dict[str, str], dict[str, str]]] = {}

    def _sheet(self, sheet_id: str) -> tuple[str | None, dict[str, str], dict[str, str]]:
        known = self._letters.get(sheet_id)
        if known is None:
            layout = self.data.layouts.get(sheet_id)
            if layout is None:
                known = (None, {}, {})
            else:
                known = (
                    layout.name,
                    {k: column_letter(c) for k, c in layout.columns.items()},
                    {k: column_letter(c) for k, c in layout.unknown.items()},
                )
            self._letters[sheet_id] = known
        return known

    def row(self, record: Any) -> tuple[str | None, int | None]:
        """``(sheet name, row)`` a table record was read from."""
        name, row, _, _ = self.data.location(record)
        return name, row

    def cell(self, sheet_id: str, record: Any, name: str, *, unknown: bool = False) -> str | None:
        """``SHEET!CELL`` of a record's field (or, with ``unknown``, unknown column)."""
        if isinstance(record, Cohort) or sheet_id == "cohort":
            sheet_name, _, _, cell = self.data.location(record, name, "cohort")
            return f"{sheet_name}!{cell}" if cell else None
        sheet_name, row = self.row(record)
        return self.cell_in_row(sheet_id, sheet_name, row, name, unknown=unknown)

    def cell_in_row(
        self, sheet_id: str, sheet_name: str | None, row: int | None, name: str, *, unknown: bool
    ) -> str | None:
        """``SHEET!CELL`` for a column of a known row (the fast path for whole records)."""
        if row is None:
            return None
        layout_name, fields, columns = self._sheet(sheet_id)
        letter = (columns if unknown else fields).get(name)
        if letter is None and unknown:
            match = _BEYOND_HEADER.match(name)
            letter = match[1] if match else None
        if letter is None:
            return None
        return f"{sheet_name or layout_name}!{letter}{row}"

    def settings_cell(self, key: str) -> str | None:
        """``SHEET!CELL`` of a setting's value on the Settings sheet."""
        layout = self.data.layouts.get("settings")
        row = self.data.settings_rows.get(key)
        if layout is None or row is None:
            return None
        return f"{layout.name}!{column_letter(layout.columns.get('value', 2))}{row}"


def reference(file_name: str, cell: str | None) -> str | None:
    """``FILE!SHEET!CELL`` from a file name and ``SHEET!CELL``."""
    return f"{file_name}!{cell}" if cell else None


def record_provenance(
    index: CellIndex, sheet_id: str, record: Any, file_name: str
) -> dict[str, Any]:
    """``{field id: reference, ..., "_unknown": {header: reference}}`` for the values a
    record holds (empty fields have no entry)."""
    out: dict[str, Any] = {}
    if isinstance(record, Cohort):

        def cell(name: str, unknown: bool) -> str | None:
            return index.cell("cohort", record, name, unknown=unknown)
    else:
        sheet_name, row = index.row(record)

        def cell(name: str, unknown: bool) -> str | None:
            return index.cell_in_row(sheet_id, sheet_name, row, name, unknown=unknown)

    for name in _present_fields(record):
        ref = reference(file_name, cell(name, False))
        if ref:
            out[name] = ref
    unknown: dict[str, str] = {}
    for header, value in record.unknown.items():
        if value is None:
            continue
        ref = reference(file_name, cell(header, True))
        if ref:
            unknown[header] = ref
    if unknown:
        out["_unknown"] = unknown
    return out


def _present_fields(record: Any) -> list[str]:
    """The field ids a record holds a value for: core, plugin and unconvertible ones."""
    names = [
        a.name
        for a in type(record).__attrs_attrs__
        if a.name not in ("extra", "unknown", "invalid")
        and getattr(record, a.name) not in (None, (), "")
    ]
    names += [k for k, v in record.extra.items() if v is not None]
    names += [k for k in record.invalid if k not in names]
    return names


def cohort_provenance(
    payload: dict[str, Any], data: CohortData, file_name: str | None = None
) -> dict[str, Any]:
    """Add ``_provenance`` to the cohort JSON ``payload`` (from
    :func:`kenshu.serial.cohort_to_json` of ``data``) and return it.

    Each record (and the cohort) gets ``"_provenance": {field id: "FILE!SHEET!CELL", ...,
    "_unknown": {header: ...}}``; the top level gets ``"_provenance": {"file": FILE,
    "settings": {setting id: ...}}``.
    """
    file_name = file_name or (Path(data.path).name if data.path else "?")
    index = CellIndex(data)
    if data.cohort is not None and isinstance(payload.get("cohort"), dict):
        found = _only_written(
            record_provenance(index, "cohort", data.cohort, file_name), payload["cohort"]
        )
        if found:
            payload["cohort"]["_provenance"] = found
    elif data.cohort_fallback and isinstance(payload.get("cohort"), dict):
        found = {}
        for key in data.cohort_fallback:
            sheet_name, _, _, cell = data.location(None, key, "cohort")
            if cell:
                found[key] = f"{file_name}!{sheet_name}!{cell}"
        if found:
            payload["cohort"]["_provenance"] = found
    for sheet in TABLE_SHEETS:
        items = payload.get(sheet) or []
        for item, record in zip(items, data.records(sheet), strict=False):
            found = _only_written(record_provenance(index, sheet, record, file_name), item)
            if found:
                item["_provenance"] = found
    settings = {
        key: ref
        for key in data.settings
        if (ref := reference(file_name, index.settings_cell(key))) is not None
    }
    payload["_provenance"] = {"file": file_name, "settings": settings}
    return payload


def _only_written(found: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """The references of the values the JSON item holds (a redacted value has none)."""
    present = set(item) | set(item.get("_invalid") or {})
    out = {k: v for k, v in found.items() if k != "_unknown" and k in present}
    unknown = {
        k: v for k, v in found.get("_unknown", {}).items() if k in (item.get("_unknown") or {})
    }
    if unknown:
        out["_unknown"] = unknown
    return out


def report_provenance(
    payload: dict[str, Any], report: Any, file_name: str | None = None
) -> dict[str, Any]:
    """Add to ``kenshu report --json``'s ``payload`` the cell of each cost line's amount
    (``"_provenance": {"amount": "FILE!Costs!C5"}``) and, for each total, the cells it
    adds up (``"_provenance": {"amount": [...]}``); returns the payload."""
    data: CohortData = report.data
    file_name = file_name or (Path(data.path).name if data.path else "?")
    index = CellIndex(data)
    lines = {line.cost_id: line for line in data.costs}
    by_total: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for item, cost in zip(payload.get("costs") or [], report.costs, strict=False):
        line = lines.get(cost.cost_id) if cost.cost_id else None
        ref = reference(file_name, index.cell("costs", line, "amount")) if line else None
        item["_provenance"] = {"amount": ref}
        if ref and cost.amount is not None:
            by_total[(cost.payer, cost.reimbursement, cost.host_id, cost.currency)].append(ref)
    for total in payload.get("totals") or []:
        key = (total["payer"], total["reimbursement"], total["host_id"], total["currency"])
        total["_provenance"] = {"amount": by_total.get(key, [])}
    payload["_provenance"] = {"file": file_name}
    return payload
