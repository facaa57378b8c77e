"""Merging submissions (hosts' applications, partial participant lists) into one cohort.

Records are matched by their stable id across files, field by field: a value present in
one file and empty in another is taken; the same id with different values is a
:class:`Conflict`, never settled silently. ``prefer`` names files whose values win (the
conflict is still listed, as resolved); otherwise the first file's value is kept and the
conflict is unresolved. The merged cohort remembers where each of its records will be
written, so that :func:`conflict_findings` can mark the conflicting cells (as
``--annotate`` does) and :func:`conflicts_sheet` can list them.

Every file's unknown columns and sheets are kept; a file read without its programme (no
Cohort sheet naming it) has the merged programme's plugin fields taken from its unknown
columns. Files of different programmes cannot be merged (:class:`MergeError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
from attrs import define, field, frozen
from kenshu.catalogue import RECORDS, SHEETS_BY_ID
from kenshu.dataset import TABLE_SHEETS, CohortData, RawSheet, SheetLayout, record_key
from kenshu.diff import Slot, cohort_values, comparable, is_empty, record_values, show
from kenshu.fields import Field
from kenshu.model import Cohort, Finding
from kenshu.provenance import CellIndex
from kenshu.schema import Schema
from kenshu.workbook.cells import normalise_label
from kenshu.workbook.convert import convert, converter_for

CONFLICTS_SHEET = "Conflicts"
REDACTED = "(redacted)"  # a withheld value (merge --redact)


class MergeError(ValueError):
    """Files that cannot be merged (different programmes): a usage error."""


@frozen
class Source:
    """One input: its display name (for messages), what was read, and the schema used."""

    name: str
    data: CohortData
    schema: Schema


@frozen
class Seen:
    """A value as one file has it, with its cell there (``SHEET!CELL``)."""

    value: Any
    file: str
    cell: str | None = None
    invalid: bool = False  # the raw text of a cell that did not fit its field

    def where(self) -> str:
        return f"{self.file}!{self.cell}" if self.cell else self.file


@define
class Conflict:
    """The same id with different values for one field across (or within) files."""

    sheet: str  # sheet id (cohort, participants, ..., settings)
    sheet_name: str  # as written in the merged workbook
    id: str | None
    field: str  # field id, or an unknown column's header
    unknown_column: bool
    seen: list[Seen]  # every non-empty value, in the order of the files
    kept: Seen
    resolved_by: str | None = None  # the --prefer file that settled it
    merged_cell: str | None = None  # the cell in the merged workbook

    @property
    def resolved(self) -> bool:
        return self.resolved_by is not None

    def as_dict(self) -> dict[str, Any]:
        from kenshu.diff import json_value

        return {
            "sheet": self.sheet,
            "sheet_name": self.sheet_name,
            "id": self.id,
            "field": self.field,
            "unknown_column": self.unknown_column,
            "values": [
                {"value": json_value(s.value), "file": s.file, "cell": s.cell} for s in self.seen
            ],
            "kept": {"value": json_value(self.kept.value), "file": self.kept.file},
            "resolved_by": self.resolved_by,
            "merged_cell": self.merged_cell,
        }

    def lines(self) -> list[str]:
        """For people: what and where (in the merged workbook), then each file's value."""
        label = f"[{self.field}]" if self.unknown_column else self.field
        who = f" {self.id}" if self.id else ""
        where = f" ({self.merged_cell})" if self.merged_cell else ""
        head = f"resolved by --prefer {self.resolved_by}:" if self.resolved else "CONFLICT"
        out = [f"{head} {self.sheet_name}{who} {label}{where}"]
        for s in self.seen:
            kept = " (kept)" if s is self.kept else ""
            out.append(f"    {s.where()}: {_shown(s.value)}{kept}")
        return out


@define
class MergeResult:
    """The merged cohort, the schema to write it with, and what did not agree."""

    data: CohortData
    schema: Schema
    conflicts: list[Conflict] = field(factory=list)
    notes: list[str] = field(factory=list)

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if not c.resolved]


def display_names(paths: Sequence[str | Path]) -> list[str]:
    """Each file's name, or its path as given when two inputs share a name."""
    names = [Path(p).name for p in paths]
    if len(set(names)) == len(names):
        return names
    return [str(p) for p in paths]


def merge_cohorts(
    sources: Sequence[Source],
    registry: Any,
    *,
    prefer: Sequence[str] = (),
    lang: str = "en",
) -> MergeResult:
    """Merge ``sources`` (in order: the first file's value is kept on an unresolved
    conflict); ``prefer`` lists source names whose values win, first one first."""
    codes = {s.name: code for s in sources if (code := _programme_of(s.data))}
    if len(set(codes.values())) > 1:
        listed = ", ".join(f"{name} is {code}" for name, code in codes.items())
        raise MergeError(
            f"the files belong to different programmes ({listed}); merge one at a time"
        )
    code = next(iter(codes.values()), None)
    schema = registry.schema(registry.programme(code))
    for source in sources:
        if source.schema is not schema:
            adopt_schema(source.data, source.schema, schema)
    return _Merger(list(sources), schema, list(prefer), lang, code).run()


def _programme_of(data: CohortData) -> str | None:
    """The programme a file says it belongs to: its Cohort sheet, else its metadata (the
    template it was made from)."""
    if data.cohort is not None:
        return data.cohort.programme
    code = data.cohort_fallback.get("programme") or data.metadata.get("programme")
    return str(code) if code else None


# ---------------------------------------------------------------------------
# A file read without its programme: its plugin fields are unknown columns


def adopt_schema(data: CohortData, read_with: Schema, schema: Schema) -> None:
    """Turn ``data``'s unknown columns whose header is a label of a field of ``schema``
    (not of ``read_with``, the schema it was read with) into that field's values."""
    for sheet in TABLE_SHEETS:
        headers = data.unknown_columns.get(sheet) or []
        index = schema.label_index(sheet)
        promote = {
            header: field_id
            for header in headers
            if (field_id := index.get(normalise_label(header)))
            and read_with.field(sheet, field_id) is None
        }
        if not promote:
            continue
        fields = {fid: schema.field(sheet, fid) for fid in promote.values()}
        converters = {fid: converter_for(f) for fid, f in fields.items() if f is not None}
        records = data.records(sheet)
        for position, record in enumerate(records):
            _, row, _, _ = data.location(record)
            extra, invalid, unknown = dict(record.extra), dict(record.invalid), dict(record.unknown)
            for header, field_id in promote.items():
                if header in unknown:
                    _take(unknown.pop(header), field_id, converters[field_id], extra, invalid)
            adopted = attrs.evolve(record, extra=extra, unknown=unknown, invalid=invalid)
            records[position] = adopted
            if row is not None:
                data.remember_row(adopted, sheet, row)
        data.unknown_columns[sheet] = [h for h in headers if h not in promote]
        layout = data.layouts.get(sheet)
        if layout is not None:
            for header, field_id in promote.items():
                if header in layout.unknown:
                    layout.columns[field_id] = layout.unknown.pop(header)
    cohort = data.cohort
    if cohort is not None and cohort.unknown:
        index = schema.label_index("cohort")
        extra, invalid, unknown = dict(cohort.extra), dict(cohort.invalid), {}
        for label, value in cohort.unknown.items():
            field_id = index.get(normalise_label(label))
            f = schema.field("cohort", field_id) if field_id else None
            if f is None or read_with.field("cohort", f.id) is not None:
                unknown[label] = value
                continue
            _take(value, f.id, converter_for(f), extra, invalid)
            row = data.location(None, label, "cohort")[1]
            if row is not None:
                data.remember_cohort_row(f.id, row)
        data.cohort = attrs.evolve(cohort, extra=extra, unknown=unknown, invalid=invalid)


def _take(raw: Any, field_id: str, conv: Any, extra: dict, invalid: dict) -> None:
    value, problem = convert(conv, raw)
    if problem is not None:
        invalid[field_id] = raw
    elif value is not None:
        extra[field_id] = value


# ---------------------------------------------------------------------------
# The merge


class _Merger:
    def __init__(
        self,
        sources: list[Source],
        schema: Schema,
        prefer: list[str],
        lang: str,
        code: str | None,
    ) -> None:
        self.sources = sources
        self.schema = schema
        self.prefer = prefer
        self.lang = lang
        self.cells = [CellIndex(s.data) for s in sources]
        self.merged = CohortData()
        if code:
            self.merged.metadata["programme"] = code
        self.merged.metadata["language"] = lang
        self.result = MergeResult(self.merged, schema)
        # each conflict with its merged record's holder, to find its cell once placed
        self.pending: list[tuple[Conflict, Any]] = []
        self._header_rows: dict[str, int] = {}  # header row of sheets keeping a preamble
        self._cohort_unknown: list[str] = []  # unknown Cohort entries, in writing order

    def run(self) -> MergeResult:
        self._cohort()
        for sheet in TABLE_SHEETS:
            self._table(sheet)
        self._settings()
        self._leftovers()
        self._place()
        return self.result

    # -- choosing a value ---------------------------------------------------------

    def _choose(
        self, sheet: str, ident: str | None, slot: Slot, seen: list[Seen], record_ref: Any
    ) -> Seen:
        """The value to write; records a conflict when the files disagree."""
        first = seen[0]
        if len({_key(s.value) for s in seen}) == 1:
            return first
        kept, resolved_by = first, None
        for name in self.prefer:
            chosen = next((s for s in seen if s.file == name), None)
            if chosen is not None:
                kept, resolved_by = chosen, name
                break
        conflict = Conflict(
            sheet=sheet,
            sheet_name=self._sheet_name(sheet),
            id=ident,
            field=slot.name,
            unknown_column=slot.unknown,
            seen=seen,
            kept=kept,
            resolved_by=resolved_by,
        )
        self.result.conflicts.append(conflict)
        self.pending.append((conflict, record_ref))
        return kept

    def _sheet_name(self, sheet: str) -> str:
        return SHEETS_BY_ID[sheet].name_in(self.lang)

    def _merge_values(
        self,
        sheet: str,
        ident: str | None,
        occurrences: list[tuple[int, dict[Slot, Any], Any]],
        fields: list[Field],
        record_ref: Any,
    ) -> dict[Slot, Seen]:
        """Slot by slot, the value each occurrence gives; conflicts recorded."""
        order = {f.id: i for i, f in enumerate(fields)}
        slots: list[Slot] = []
        for _, values, _ in occurrences:
            slots += [s for s in values if s not in slots]
        slots.sort(key=lambda s: (s.unknown, 0 if s.unknown else order.get(s.name, len(order))))
        chosen: dict[Slot, Seen] = {}
        for slot in slots:
            found = [
                (i, values[slot], record) for i, values, record in occurrences if slot in values
            ]
            agree = len({_key(value) for _, value, _ in found}) == 1
            seen = []
            for index, value, record in found:
                invalid = (
                    not slot.unknown
                    and record is not None
                    and slot.name in getattr(record, "invalid", {})
                )
                # cells are only needed to report a conflict: skip the look-up otherwise
                cell = (
                    None
                    if agree
                    else self.cells[index].cell(sheet, record, slot.name, unknown=slot.unknown)
                )
                seen.append(Seen(value, self.sources[index].name, cell, invalid))
                if agree:
                    break
            chosen[slot] = self._choose(sheet, ident, slot, seen, record_ref)
        return chosen

    # -- the Cohort -----------------------------------------------------------------

    def _cohort(self) -> None:
        occurrences = []
        for index, source in enumerate(self.sources):
            values = cohort_values(source.data, source.schema)
            if values:
                occurrences.append((index, values, source.data.cohort))
        ident = next(
            (
                str(values[Slot("cohort_id")])
                for _, values, _ in occurrences
                if Slot("cohort_id") in values
            ),
            None,
        )
        fields = self.schema.fields["cohort"]
        chosen = self._merge_values("cohort", ident, occurrences, fields, "cohort")
        core: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        invalid: dict[str, Any] = {}
        unknown: dict[str, Any] = {}
        for slot, seen in chosen.items():
            f = None if slot.unknown else self.schema.field("cohort", slot.name)
            # a Cohort sheet without its identity was never converted: convert now
            _place_value(slot, seen, f, core, extra, invalid, unknown, convert_value=True)
        if "programme" in core and "cohort_id" in core:
            self.merged.cohort = Cohort(**core, extra=extra, unknown=unknown, invalid=invalid)
        else:
            self.merged.cohort_fallback = {**core, **extra, **unknown, **invalid}
        self._cohort_unknown = list(unknown)
        for source in self.sources:
            if "cohort" in source.data.preambles and "cohort" not in self.merged.preambles:
                self.merged.preambles["cohort"] = source.data.preambles["cohort"]

    # -- table sheets ---------------------------------------------------------------

    def _table(self, sheet: str) -> None:
        fields = self.schema.fields[sheet]
        groups: dict[str, list[tuple[int, dict[Slot, Any], Any]]] = {}
        headers: list[str] = []
        for index, source in enumerate(self.sources):
            for header in source.data.unknown_columns.get(sheet, []):
                if header not in headers:
                    headers.append(header)
            for record in source.data.records(sheet):
                values = record_values(record, fields)
                groups.setdefault(record_key(sheet, record), []).append((index, values, record))
            for row in source.data.unkeyed_rows.get(sheet, []):
                kept = self.merged.unkeyed_rows.setdefault(sheet, [])
                if row not in kept:
                    kept.append(dict(row))
        records = self.merged.records(sheet)
        cls = RECORDS[sheet]
        for ident, occurrences in groups.items():
            holder: list[Any] = []  # the merged record, once built (conflicts point at it)
            chosen = self._merge_values(sheet, ident, occurrences, fields, holder)
            core: dict[str, Any] = {}
            extra: dict[str, Any] = {}
            invalid: dict[str, Any] = {}
            unknown: dict[str, Any] = {}
            for slot, seen in chosen.items():
                f = None if slot.unknown else self.schema.field(sheet, slot.name)
                _place_value(slot, seen, f, core, extra, invalid, unknown)
                if slot.unknown and slot.name not in headers:
                    headers.append(slot.name)
            record = cls(**core, extra=extra, unknown=unknown, invalid=invalid)
            holder.append(record)
            records.append(record)
        if headers:
            self.merged.unknown_columns[sheet] = headers
        for source in self.sources:
            layout = source.data.layouts.get(sheet)
            if sheet in source.data.preambles and sheet not in self.merged.preambles and layout:
                self.merged.preambles[sheet] = source.data.preambles[sheet]
                self._header_rows[sheet] = layout.header_row or 1

    # -- settings, unknown sheets -----------------------------------------------------

    def _settings(self) -> None:
        keys: list[str] = []
        for source in self.sources:
            keys += [k for k in source.data.settings if k not in keys]
        for key in keys:
            seen = [
                Seen(
                    source.data.settings[key],
                    source.name,
                    self.cells[index].settings_cell(key),
                )
                for index, source in enumerate(self.sources)
                if not is_empty(source.data.settings.get(key))
            ]
            if not seen:
                self.merged.settings[key] = None
                continue
            kept = self._choose("settings", key, Slot("value"), seen, None)
            self.merged.settings[key] = kept.value

    def _leftovers(self) -> None:
        """Unknown sheets from every file (a sheet of the same name and other content is
        kept under a second name); an earlier merge's Conflicts sheet is replaced."""
        kept: dict[str, RawSheet] = {}
        for source in self.sources:
            for sheet in source.data.unknown_sheets:
                if sheet.name == CONFLICTS_SHEET:
                    self.result.notes.append(
                        f"{source.name}: its {CONFLICTS_SHEET} sheet (from an earlier merge) "
                        "is replaced by this merge's"
                    )
                    continue
                same = kept.get(sheet.name)
                if same is None:
                    kept[sheet.name] = sheet
                    continue
                if [(n, [comparable(v) for v in r]) for n, r in same.rows] == [
                    (n, [comparable(v) for v in r]) for n, r in sheet.rows
                ]:
                    continue
                name = _free_name(f"{sheet.name} ({Path(source.name).stem})", kept)
                kept[name] = RawSheet(name, sheet.rows, hidden=sheet.hidden)
                self.result.notes.append(
                    f"{source.name}: sheet {sheet.name!r} differs from an earlier file's; "
                    f"kept as {name!r}"
                )
        self.merged.unknown_sheets = list(kept.values())

    # -- where things will be in the merged workbook ----------------------------------

    def _place(self) -> None:
        """Give the merged records the rows the writer will put them on, so that findings
        (conflict marks) and cells name the merged workbook's cells."""
        merged = self.merged
        above = _rows_above(merged.preambles.get("cohort"), None)
        merged.layouts["cohort"] = SheetLayout(
            name=self._sheet_name("cohort"), columns={"value": 2}
        )
        row = above + 1
        for f in self.schema.fields["cohort"]:
            row += 1
            merged.remember_cohort_row(f.id, row)
        for label in self._cohort_unknown:
            row += 1
            merged.remember_cohort_row(label, row)
        for sheet in TABLE_SHEETS:
            fields = self.schema.fields[sheet]
            header_row = _rows_above(merged.preambles.get(sheet), self._header_rows.get(sheet)) + 1
            headers = merged.unknown_columns.get(sheet, [])
            merged.layouts[sheet] = SheetLayout(
                name=self._sheet_name(sheet),
                header_row=header_row,
                columns={f.id: i for i, f in enumerate(fields, start=1)},
                unknown={h: len(fields) + i for i, h in enumerate(headers, start=1)},
            )
            for offset, record in enumerate(merged.records(sheet), start=1):
                merged.remember_row(record, sheet, header_row + offset)
        cells = CellIndex(merged)
        for conflict, ref in self.pending:
            if conflict.sheet == "settings":
                continue  # the Settings sheet is written plainly: listed, not marked
            record = ref[0] if isinstance(ref, list) and ref else None
            if conflict.sheet == "cohort":
                record = merged.cohort
            conflict.merged_cell = cells.cell(
                conflict.sheet, record, conflict.field, unknown=conflict.unknown_column
            )


def _rows_above(preamble: list[tuple[int, list[Any]]] | None, header_row: int | None) -> int:
    """How many rows the writer puts above a sheet's header (see kenshu.workbook.export)."""
    if not preamble:
        return 0
    count = max(number for number, _ in preamble)
    if header_row:
        count = max(count, header_row - 1)
    return count


def _place_value(
    slot: Slot,
    seen: Seen,
    f: Field | None,
    core: dict[str, Any],
    extra: dict[str, Any],
    invalid: dict[str, Any],
    unknown: dict[str, Any],
    *,
    convert_value: bool = False,
) -> None:
    """Put a chosen value in the right bag of the record being built (``convert_value``:
    it may still be a raw cell value)."""
    if slot.unknown:
        unknown[slot.name] = seen.value
        return
    if f is None:  # a field of another programme's schema: kept as it was
        (invalid if seen.invalid else extra)[slot.name] = seen.value
        return
    value = seen.value
    if seen.invalid:
        invalid[slot.name] = value
        return
    if convert_value and not isinstance(value, tuple):
        typed, problem = convert(converter_for(f), value)
        if problem is not None:
            invalid[slot.name] = value
            return
        value = typed if typed is not None else value
    (core if f.source == "core" else extra)[slot.name] = value


def _shown(value: Any) -> str:
    return REDACTED if value == REDACTED else show(value)


def _key(value: Any) -> Any:
    return repr(comparable(value))


def _free_name(name: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    base = name[:31]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f" {n}"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


# ---------------------------------------------------------------------------
# Marking the merged workbook


def conflict_findings(result: MergeResult) -> list[Finding]:
    """A finding per conflict at its merged cell: an error when unresolved, a warning when
    ``--prefer`` settled it. ``write_cohort_workbook(findings=...)`` colours and comments
    those cells."""
    findings = []
    for c in result.conflicts:
        if c.merged_cell is None:
            continue
        sheet_name, _, cell = c.merged_cell.rpartition("!")
        row = int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        column = cell[: len(cell) - len(str(row))]
        values = "; ".join(f"{s.where()}: {_shown(s.value)}" for s in c.seen)
        if c.resolved:
            message = f"merge conflict resolved by --prefer {c.resolved_by}: {values}"
            message_ja = f"統合時の不一致を --prefer {c.resolved_by} で解決しました: {values}"
        else:
            message = (
                f"merge conflict: {values}; kept {c.kept.file}'s value for now "
                "(choose with --prefer FILE, or fix the files)"
            )
            message_ja = (
                f"統合時の不一致: {values}。いったん {c.kept.file} の値を残しています"
                "(--prefer ファイル名 で選ぶか、元のファイルを直してください)"
            )
        findings.append(
            Finding(
                code="merge.conflict-resolved" if c.resolved else "merge.conflict",
                severity="warning" if c.resolved else "error",
                message=message,
                message_ja=message_ja,
                sheet=sheet_name,
                row=row,
                column=column,
                cell=cell,
                subject=c.id,
                source="merge",
                field_id=c.field,
            )
        )
    return findings


def redact_conflicts(result: MergeResult) -> int:
    """Withhold the values of conflicts on personal, sensitive or unclassified data
    (``merge --redact``): they would otherwise reach the Conflicts sheet, the cell
    comments and the printed list. Returns how many conflicts were redacted."""
    redacted = 0
    for c in result.conflicts:
        f = None if c.unknown_column else result.schema.field(c.sheet, c.field)
        if c.sheet == "settings" or (f is not None and f.sensitivity == "public"):
            continue
        seen = [attrs.evolve(s, value=REDACTED) for s in c.seen]
        c.kept = seen[c.seen.index(c.kept)]
        c.seen = seen
        if c.unknown_column:
            c.merged_cell = None  # redaction drops unknown columns: nothing to mark
        redacted += 1
    return redacted


def conflicts_sheet(result: MergeResult) -> RawSheet:
    """The Conflicts sheet: one row per value of each conflict (status, sheet, id, field,
    value, file, cell in that file, whether it was kept, cell in the merged workbook)."""
    header = [
        "status",
        "sheet",
        "id",
        "field",
        "value",
        "file",
        "cell",
        "kept",
        "merged cell",
    ]
    rows: list[tuple[int, list[Any]]] = [(1, header)]
    for c in result.conflicts:
        status = f"resolved (--prefer {c.resolved_by})" if c.resolved else "unresolved"
        label = f"[{c.field}]" if c.unknown_column else c.field
        for s in c.seen:
            rows.append(
                (
                    len(rows) + 1,
                    [
                        status,
                        c.sheet_name,
                        c.id,
                        label,
                        s.value,
                        s.file,
                        s.cell,
                        "yes" if s is c.kept else "no",
                        c.merged_cell,
                    ],
                )
            )
    return RawSheet(CONFLICTS_SHEET, rows)
