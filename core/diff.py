"""What changed between two versions of a cohort: rows added and removed, fields changed.

Rows are matched by their id (``participant_id``, ``host_id``...; an attendance row by its
event and participant), never by position, so sorting a sheet changes nothing. Every value
is compared: core fields, plugin fields, values that could not be converted, unknown
columns (by header), the Cohort's fields, settings, rows without an id, and unknown sheets
(cell by cell). Values are compared as kenshu reads them: ``12`` and ``12.0``, a date cell
and ``2024-05-14`` typed as text, or surrounding spaces, are no change.

The helpers at the top (:class:`Slot`, :func:`record_values`, :func:`comparable`) are
shared with :mod:`kenshu.merge`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from attrs import frozen
from kenshu.catalogue import SHEETS, SHEETS_BY_ID
from kenshu.dataset import TABLE_SHEETS, CohortData, record_key
from kenshu.fields import Field
from kenshu.provenance import CellIndex
from kenshu.schema import Schema
from kenshu.workbook.cells import column_letter

FORMAT = "kenshu-diff/1"
CHANGE_KINDS = ("added", "removed", "changed")


# ---------------------------------------------------------------------------
# Records as values by field (shared with merge)


class Slot(NamedTuple):
    """A place for a value in a record: a field id, or the header of an unknown column.

    (A tuple: records have many slots, and tuples hash and compare fast.)
    """

    name: str
    unknown: bool = False


def field_value(record: Any, f: Field) -> Any:
    """A field's value as read: the typed value, or the raw cell it could not convert."""
    if f.id in record.invalid:
        return record.invalid[f.id]
    if f.source == "core":
        return getattr(record, f.id, None)
    return record.extra.get(f.id)


def record_values(record: Any, fields: Iterable[Field]) -> dict[Slot, Any]:
    """Every non-empty value of a record: its fields in schema order, plugin values the
    schema does not know, then its unknown columns."""
    out: dict[Slot, Any] = {}
    known: set[str] = set()
    for f in fields:
        known.add(f.id)
        value = field_value(record, f)
        if not is_empty(value):
            out[Slot(f.id)] = value
    for bag in (record.extra, record.invalid):
        for key, value in bag.items():
            if key not in known and not is_empty(value):
                out[Slot(key)] = value
    for header, value in record.unknown.items():
        if not is_empty(value):
            out[Slot(header, unknown=True)] = value
    return out


def cohort_values(data: CohortData, schema: Schema) -> dict[Slot, Any]:
    """The Cohort sheet's non-empty values (also when it lacks its programme or id)."""
    if data.cohort is not None:
        return record_values(data.cohort, schema.fields["cohort"])
    ids = {f.id for f in schema.fields["cohort"]}
    return {
        Slot(key, unknown=key not in ids): value
        for key, value in data.cohort_fallback.items()
        if not is_empty(value)
    }


def is_empty(value: Any) -> bool:
    """None, blank text and empty lists are empty: no value, so never a change or conflict."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, tuple | list) and not value


def comparable(value: Any) -> Any:
    """A value reduced for comparison: text stripped, whole floats as ints, midnight
    datetimes as dates, lists as tuples."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, list | tuple):
        return tuple(comparable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), repr(comparable(v))) for k, v in value.items()))
    return value


def json_value(value: Any) -> Any:
    """A value as JSON: ISO dates, lists for tuples, text for times."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


def show(value: Any) -> str:
    """A value for people: text quoted, dates ISO, lists joined with ``;``."""
    if is_empty(value):
        return "(empty)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def sheet_name(data: CohortData, sheet_id: str, lang: str = "en") -> str:
    """The sheet's name as the workbook spells it, else its standard name."""
    layout = data.layouts.get(sheet_id)
    return layout.name if layout else SHEETS_BY_ID[sheet_id].name_in(lang)


# ---------------------------------------------------------------------------
# The diff


@frozen
class Change:
    """One difference.

    ``change`` is ``added`` or ``removed`` for a whole row (``field`` is None, ``new`` or
    ``old`` holds the row's values) or unknown sheet, ``changed`` for one field (or
    unknown column, or, on an unknown sheet, one cell named in ``field``).
    """

    sheet: str | None  # sheet id; None for an unknown sheet
    sheet_name: str
    id: str | None
    field: str | None
    change: str
    old: Any = None
    new: Any = None
    unknown_column: bool = False
    old_cell: str | None = None
    new_cell: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one entry of ``kenshu diff --json``'s ``changes``."""
        return {
            "sheet": self.sheet,
            "sheet_name": self.sheet_name,
            "id": self.id,
            "field": self.field,
            "unknown_column": self.unknown_column,
            "change": self.change,
            "old": json_value(self.old),
            "new": json_value(self.new),
            "old_cell": self.old_cell,
            "new_cell": self.new_cell,
        }


def diff_cohorts(
    old: CohortData, old_schema: Schema, new: CohortData, new_schema: Schema
) -> list[Change]:
    """Every difference from ``old`` to ``new``, sheet by sheet in workbook order."""
    return list(_Differ(old, old_schema, new, new_schema).run())


class _Differ:
    def __init__(
        self, old: CohortData, old_schema: Schema, new: CohortData, new_schema: Schema
    ) -> None:
        self.old, self.new = old, new
        self.old_schema, self.new_schema = old_schema, new_schema
        self.old_cells, self.new_cells = CellIndex(old), CellIndex(new)

    def name(self, sheet_id: str) -> str:
        layout = self.new.layouts.get(sheet_id) or self.old.layouts.get(sheet_id)
        return layout.name if layout else SHEETS_BY_ID[sheet_id].label

    def run(self) -> Iterator[Change]:
        for spec in SHEETS:
            if spec.id == "cohort":
                yield from self._cohort()
            elif spec.id == "settings":
                yield from self._settings()
            elif spec.id in TABLE_SHEETS:
                yield from self._table(spec.id)
                yield from self._unkeyed(spec.id)
        yield from self._unknown_sheets()

    def _fields(self, sheet_id: str) -> list[Field]:
        fields = list(self.new_schema.fields.get(sheet_id, ()))
        ids = {f.id for f in fields}
        fields += [f for f in self.old_schema.fields.get(sheet_id, ()) if f.id not in ids]
        return fields

    def _compare(
        self,
        sheet_id: str,
        ident: str | None,
        old_values: dict[Slot, Any],
        new_values: dict[Slot, Any],
        old_record: Any,
        new_record: Any,
    ) -> Iterator[Change]:
        slots = list(new_values) + [s for s in old_values if s not in new_values]
        order = {f.id: i for i, f in enumerate(self._fields(sheet_id))}
        slots.sort(key=lambda s: (s.unknown, order.get(s.name, len(order)) if not s.unknown else 0))
        for slot in slots:
            before, after = old_values.get(slot), new_values.get(slot)
            if comparable(before) == comparable(after):
                continue
            yield Change(
                sheet=sheet_id,
                sheet_name=self.name(sheet_id),
                id=ident,
                field=slot.name,
                change="changed",
                old=before,
                new=after,
                unknown_column=slot.unknown,
                old_cell=self._cell(self.old_cells, sheet_id, old_record, slot),
                new_cell=self._cell(self.new_cells, sheet_id, new_record, slot),
            )

    @staticmethod
    def _cell(cells: CellIndex, sheet_id: str, record: Any, slot: Slot) -> str | None:
        if record is None and sheet_id != "cohort":  # the Cohort's rows are known without it
            return None
        return cells.cell(sheet_id, record, slot.name, unknown=slot.unknown)

    def _cohort(self) -> Iterator[Change]:
        old_values = cohort_values(self.old, self.old_schema)
        new_values = cohort_values(self.new, self.new_schema)
        cohort = self.new.cohort or self.old.cohort
        ident = cohort.cohort_id if cohort else None
        yield from self._compare(
            "cohort", ident, old_values, new_values, self.old.cohort, self.new.cohort
        )

    def _table(self, sheet_id: str) -> Iterator[Change]:
        old_rows = _by_key(sheet_id, self.old.records(sheet_id))
        new_rows = _by_key(sheet_id, self.new.records(sheet_id))
        fields = self._fields(sheet_id)
        key_field = SHEETS_BY_ID[sheet_id].key or "participant_id"
        name = self.name(sheet_id)
        for ident, record in old_rows.items():
            if ident not in new_rows:
                yield Change(
                    sheet=sheet_id,
                    sheet_name=name,
                    id=ident,
                    field=None,
                    change="removed",
                    old=_row_summary(record_values(record, fields)),
                    old_cell=self.old_cells.cell(sheet_id, record, key_field),
                )
        for ident, record in new_rows.items():
            before = old_rows.get(ident)
            if before is None:
                yield Change(
                    sheet=sheet_id,
                    sheet_name=name,
                    id=ident,
                    field=None,
                    change="added",
                    new=_row_summary(record_values(record, fields)),
                    new_cell=self.new_cells.cell(sheet_id, record, key_field),
                )
                continue
            yield from self._compare(
                sheet_id,
                ident,
                record_values(before, fields),
                record_values(record, fields),
                before,
                record,
            )

    def _unkeyed(self, sheet_id: str) -> Iterator[Change]:
        old_rows = [_frozen_row(r) for r in self.old.unkeyed_rows.get(sheet_id, [])]
        new_rows = [_frozen_row(r) for r in self.new.unkeyed_rows.get(sheet_id, [])]
        remaining = list(new_rows)
        for row in old_rows:
            if row in remaining:
                remaining.remove(row)
            else:
                yield Change(sheet_id, self.name(sheet_id), None, None, "removed", old=dict(row))
        matched = list(old_rows)
        for row in new_rows:
            if row in matched:
                matched.remove(row)
            else:
                yield Change(sheet_id, self.name(sheet_id), None, None, "added", new=dict(row))

    def _settings(self) -> Iterator[Change]:
        old, new = self.old.settings, self.new.settings
        name = self.name("settings")
        for key in list(new) + [k for k in old if k not in new]:
            before, after = old.get(key), new.get(key)
            if is_empty(before) and is_empty(after):
                continue
            if comparable(before) == comparable(after):
                continue
            kind = "changed"
            if key not in old:
                kind = "added"
            elif key not in new:
                kind = "removed"
            yield Change(
                sheet="settings",
                sheet_name=name,
                id=key,
                field="value",
                change=kind,
                old=before,
                new=after,
                old_cell=self.old_cells.settings_cell(key),
                new_cell=self.new_cells.settings_cell(key),
            )

    def _unknown_sheets(self) -> Iterator[Change]:
        old = {s.name: s for s in self.old.unknown_sheets}
        new = {s.name: s for s in self.new.unknown_sheets}
        for name, sheet in old.items():
            if name not in new:
                yield Change(None, name, None, None, "removed", old=f"{len(sheet.rows)} row(s)")
        for name, sheet in new.items():
            if name not in old:
                yield Change(None, name, None, None, "added", new=f"{len(sheet.rows)} row(s)")
                continue
            before, after = _cells(old[name].rows), _cells(sheet.rows)
            for ref in sorted(set(before) | set(after), key=_cell_order):
                if comparable(before.get(ref)) != comparable(after.get(ref)):
                    yield Change(
                        None,
                        name,
                        None,
                        ref,
                        "changed",
                        old=before.get(ref),
                        new=after.get(ref),
                        old_cell=f"{name}!{ref}" if ref in before else None,
                        new_cell=f"{name}!{ref}" if ref in after else None,
                    )


def _by_key(sheet_id: str, records: Iterable[Any]) -> dict[str, Any]:
    """Records by id; a repeated id gets ``#2``, ``#3``... in reading order."""
    out: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for record in records:
        key = record_key(sheet_id, record)
        seen[key] = seen.get(key, 0) + 1
        out[key if seen[key] == 1 else f"{key} #{seen[key]}"] = record
    return out


def _row_summary(values: dict[Slot, Any]) -> dict[str, Any]:
    return {slot.name: value for slot, value in values.items()}


def _frozen_row(row: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, comparable(v)) for k, v in row.items() if not is_empty(v)))


def _cells(rows: list[tuple[int, list[Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for number, values in rows:
        for col, value in enumerate(values, start=1):
            if not is_empty(value):
                out[f"{column_letter(col)}{number}"] = value
    return out


def _cell_order(ref: str) -> tuple[int, int, str]:
    letters = ref.rstrip("0123456789")
    return (int(ref[len(letters) :]), len(letters), letters)


# ---------------------------------------------------------------------------
# Outputs


def counts(changes: Iterable[Change]) -> dict[str, int]:
    """How many rows were added and removed and how many values changed."""
    out = dict.fromkeys(CHANGE_KINDS, 0)
    for change in changes:
        out[change.change] += 1
    return out


def diff_json(old_path: str, new_path: str, changes: list[Change]) -> dict[str, Any]:
    """The JSON of ``kenshu diff --json`` (documented in docs/cli.md)."""
    return {
        "format": FORMAT,
        "old": Path(old_path).name,
        "new": Path(new_path).name,
        "identical": not changes,
        "counts": counts(changes),
        "changes": [c.as_dict() for c in changes],
    }


def diff_lines(old_path: str, new_path: str, changes: list[Change]) -> list[str]:
    """The human output of ``kenshu diff``: a headline, then changes grouped by sheet."""
    if not changes:
        return [f"{old_path} and {new_path} hold the same cohort: no differences"]
    c = counts(changes)
    lines = [
        f"{old_path} -> {new_path}: {c['added']} added, {c['removed']} removed, "
        f"{c['changed']} value(s) changed"
    ]
    current = None
    for change in changes:
        if change.sheet_name != current:
            current = change.sheet_name
            lines.append(f"{current}:")
        who = change.id if change.id is not None else ""
        if change.sheet is None and change.field is None:  # a whole unknown sheet
            sign = "+" if change.change == "added" else "-"
            lines.append(f"  {sign} sheet {change.change} ({change.new or change.old})")
        elif change.change == "added":
            lines.append(f"  + {who or '(a row without id)'} added{_at(change.new_cell)}")
        elif change.change == "removed":
            lines.append(f"  - {who or '(a row without id)'} removed{_at(change.old_cell)}")
        else:
            label = f"[{change.field}]" if change.unknown_column else change.field
            head = f"{who} {label}" if who else str(label)
            lines.append(f"  ~ {head}: {show(change.old)} -> {show(change.new)}")
    return lines


def _at(cell: str | None) -> str:
    return f" ({cell})" if cell else ""


def write_diff_workbook(path: str | Path, changes: list[Change]) -> None:
    """One sheet, Changes: sheet, id, field, old, new, change, and the cells."""
    from kenshu.workbook.xlsxwrite import Cell, Style, xlsx_workbook

    with xlsx_workbook(path) as book:
        ws = book.sheet("Changes")
        ws.freeze(1)
        header = ["sheet", "id", "field", "old", "new", "change", "old cell", "new cell"]
        ws.append([Cell(h, Style(bold=True)) for h in header])
        for index, width in enumerate((14, 14, 22, 30, 30, 10, 18, 18)):
            ws.column(index, width=width)
        for c in changes:
            field = f"[{c.field}]" if c.unknown_column else c.field
            old, new = _cell_value(c.old), _cell_value(c.new)
            ws.append([c.sheet_name, c.id, field, old, new, c.change, c.old_cell, c.new_cell])


def _cell_value(value: Any) -> Any:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show(v)}" for k, v in value.items())
    return value
