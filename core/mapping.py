"""Importing workbooks in other people's layouts through a mapping file (TOML).

A mapping names, for each of their sheets to import, which of our sheets it fills, its
header row (or lets kenshu find it below title rows and merged cells), the column of each
of our field ids (by header text or column letter), value maps (``男 = "M"``) and default
values; ``[cohort]`` gives the Cohort sheet's values (the programme, the cohort id...).
The format is described in docs/import-mapping.md.

:func:`import_workbook` reads their workbook into a :class:`~kenshu.dataset.CohortData`
(columns the mapping does not name are kept as unknown columns), and
:func:`suggest_mapping` writes a starting mapping by matching their headers to our labels
in every language.
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
from attrs import define, field, frozen
from kenshu.catalogue import RECORDS, SHEETS_BY_ID
from kenshu.dataset import TABLE_SHEETS, CohortData, SheetLayout, record_id
from kenshu.model import Cohort, Finding
from kenshu.schema import Schema
from kenshu.workbook.cells import column_letter, normalise_label
from kenshu.workbook.convert import convert, converter_for
from kenshu.workbook.safety import Limits

#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 30
#: At most this many cells are filled from one merged range (a range over a whole sheet
#: would otherwise fill millions).
MAX_MERGED_FILL = 10_000
_COLUMN = re.compile(r"^[A-Za-z]{1,3}$")
_TOP_KEYS = {"cohort", "sheets"}
_SHEET_KEYS = {"sheet", "into", "header_row", "columns", "values", "defaults"}


class MappingError(ValueError):
    """A mapping file that cannot be used, or does not fit their workbook: a usage error."""


# ---------------------------------------------------------------------------
# The mapping


@frozen
class ColumnRef:
    """Their column for one of our fields: a header text (``"上/下"`` for a two-row header)
    or a 1-based column number."""

    header: str | None = None
    column: int | None = None

    def describe(self) -> str:
        return f"column {column_letter(self.column)}" if self.column else repr(self.header)


@define
class SheetMapping:
    """How one of their sheets fills one of ours."""

    into: str
    sheet: str | None = None  # their sheet's name; None: their first sheet
    header_row: int | None = None  # 1-based; None: found by the mapped header texts
    columns: dict[str, ColumnRef] = field(factory=dict)  # our field id -> their column
    values: dict[str, dict[str, Any]] = field(factory=dict)  # field id -> {key: ours}
    defaults: dict[str, Any] = field(factory=dict)  # field id -> constant value


@define
class Mapping:
    """A whole mapping file."""

    cohort: dict[str, Any] = field(factory=dict)
    sheets: list[SheetMapping] = field(factory=list)

    @property
    def programme(self) -> str | None:
        code = self.cohort.get("programme")
        return str(code) if code else None


def value_key(value: Any) -> str:
    """How a cell value is looked up in a value map: its text, NFKC-normalised (full-width
    forms folded), stripped and case-folded; whole numbers without ``.0``."""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return unicodedata.normalize("NFKC", text).strip().casefold()


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping file; raises :class:`MappingError` saying what is wrong and where."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise MappingError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise MappingError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not valid TOML ({exc})") from None
    return parse_mapping(raw, str(path))


def parse_mapping(raw: dict[str, Any], where: str = "mapping") -> Mapping:
    """A :class:`Mapping` from parsed TOML."""
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise MappingError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))} (expected [cohort] and [[sheets]])"
        )
    cohort = raw.get("cohort", {})
    if not isinstance(cohort, dict):
        raise MappingError(f"{where}: [cohort] must be a table of Cohort field = value")
    sheets = raw.get("sheets", [])
    if not isinstance(sheets, list) or not all(isinstance(s, dict) for s in sheets):
        raise MappingError(f"{where}: sheets must be an array of tables ([[sheets]])")
    mapping = Mapping(cohort=dict(cohort))
    for number, item in enumerate(sheets, start=1):
        mapping.sheets.append(_parse_sheet(item, f"{where}: [[sheets]] number {number}"))
    return mapping


def _parse_sheet(item: dict[str, Any], where: str) -> SheetMapping:
    unknown = set(item) - _SHEET_KEYS
    if unknown:
        raise MappingError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
            f"(expected {', '.join(sorted(_SHEET_KEYS))})"
        )
    into = item.get("into")
    if into not in TABLE_SHEETS:
        raise MappingError(f"{where}: into = {into!r}: give one of {', '.join(TABLE_SHEETS)}")
    sheet = item.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise MappingError(f"{where}: sheet must be their sheet's name (text)")
    header_row = item.get("header_row")
    if header_row is not None and (
        not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1
    ):
        raise MappingError(f"{where}: header_row must be a row number (1 or more)")
    columns: dict[str, ColumnRef] = {}
    for field_id, ref in _table(item, "columns", where).items():
        columns[field_id] = _column_ref(ref, f"{where}: columns.{field_id}")
    values: dict[str, dict[str, Any]] = {}
    for field_id, table in _table(item, "values", where).items():
        if not isinstance(table, dict):
            raise MappingError(f'{where}: values.{field_id} must be a table ("theirs" = "ours")')
        values[field_id] = {value_key(k): v for k, v in table.items()}
    defaults = dict(_table(item, "defaults", where))
    return SheetMapping(
        into=into,
        sheet=sheet,
        header_row=header_row,
        columns=columns,
        values=values,
        defaults=defaults,
    )


def _table(item: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = item.get(key, {})
    if not isinstance(value, dict):
        raise MappingError(f"{where}: {key} must be a table")
    return value


def _column_ref(ref: Any, where: str) -> ColumnRef:
    if isinstance(ref, str) and ref.strip():
        return ColumnRef(header=ref.strip())
    if isinstance(ref, dict) and set(ref) == {"column"} and isinstance(ref["column"], str):
        letters = ref["column"].strip()
        if _COLUMN.match(letters):
            return ColumnRef(column=_column_number(letters))
        raise MappingError(f"{where}: {{ column = {letters!r} }} is not a column letter")
    if isinstance(ref, dict) and set(ref) == {"header"} and isinstance(ref["header"], str):
        return ColumnRef(header=ref["header"].strip())
    raise MappingError(
        f'{where}: give their header text ("氏名") or a column letter ({{ column = "C" }})'
    )


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def check_mapping(mapping: Mapping, schema: Schema) -> None:
    """Every field id the mapping names exists in our sheet (core or the programme's)."""
    problems = []
    cohort_ids = {f.id for f in schema.fields["cohort"]}
    for key in mapping.cohort:
        if key not in cohort_ids:
            problems.append(f"[cohort] {key}: not a Cohort field")
    for number, sheet in enumerate(mapping.sheets, start=1):
        ids = {f.id for f in schema.fields[sheet.into]}
        for part, keys in (
            ("columns", sheet.columns),
            ("values", sheet.values),
            ("defaults", sheet.defaults),
        ):
            for key in keys:
                if key not in ids:
                    problems.append(f"[[sheets]] {number} ({sheet.into}) {part}.{key}: not a field")
    if problems:
        programme = schema.programme.code if schema.programme else "no programme"
        raise MappingError(
            "; ".join(problems)
            + f" (fields are listed by `kenshu schema PROGRAMME`; this mapping is read for {programme})"
        )


# ---------------------------------------------------------------------------
# Their workbook


@define
class Grid:
    """One of their sheets: rows of values (merged ranges filled) and the merged ranges."""

    name: str
    rows: dict[int, list[Any]]  # 1-based row -> values (values[0] is column A)
    merged: list[tuple[int, int, int, int]] = field(factory=list)  # r1, c1, r2, c2 (1-based)
    hidden: bool = False

    def cell(self, row: int, column: int) -> Any:
        values = self.rows.get(row)
        if values is None or column > len(values):
            return None
        return values[column - 1]

    @property
    def last_row(self) -> int:
        return max(self.rows, default=0)

    def header_block_end(self, header_row: int) -> int:
        """The last row of the header: merged header cells may reach below it."""
        end = header_row
        for r1, _, r2, _ in self.merged:
            if r1 <= header_row <= r2:
                end = max(end, r2)
        return end


def read_grids(path: str | Path, limits: Limits | None = None) -> list[Grid]:
    """Their workbook's sheets, after the same safety checks as any workbook kenshu reads.

    Raises :class:`~kenshu.workbook.engines.ReadError` for a file that cannot be read.
    """
    from kenshu.workbook.engines import open_workbook
    from kenshu.workbook.load import rows_within_limit
    from kenshu.workbook.safety import check_file

    limits = limits or Limits()
    scan = check_file(path, limits)
    book = open_workbook(path, None, scan)
    grids = []
    merged: dict[str, list[tuple[int, ...]]] = {}
    try:
        for info in book.sheets():
            rows = {}
            for number, values in rows_within_limit(
                book, info.name, path, limits.max_rows_per_sheet
            ):
                if any(v is not None for v in values):
                    rows[number] = list(values)
            grids.append(Grid(info.name, rows, hidden=info.hidden))
            known = book.merged_ranges(info.name)
            if known is not None:
                merged[info.name] = known
    finally:
        book.close()
    if len(merged) < len(grids):  # an engine that does not know them: ask calamine
        merged = _merged_ranges(path, [g.name for g in grids])
    for grid in grids:
        grid.merged = merged.get(grid.name, [])
        _fill_merged(grid)
    return grids


def _merged_ranges(path: str | Path, names: list[str]) -> dict[str, list[tuple[int, ...]]]:
    """Merged ranges by sheet (1-based, inclusive), as far as the file format tells."""
    out: dict[str, list[tuple[int, ...]]] = {}
    try:
        import python_calamine as pc

        book = pc.CalamineWorkbook.from_path(str(path))
        try:
            for name in names:
                ranges = book.get_sheet_by_name(name).merged_cell_ranges or []
                out[name] = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges]
        finally:
            book.close()
    except Exception:  # a format without merged ranges (or none recorded): nothing to fill
        return {}
    return out


def _fill_merged(grid: Grid) -> None:
    """Give every cell of a merged range the value of its top-left cell (a merged header
    names each column under it; a merged data cell applies to each row it spans)."""
    if not grid.rows:
        return
    last_row = grid.last_row
    width = max(len(v) for v in grid.rows.values())
    for r1, c1, r2, c2 in grid.merged:
        value = grid.cell(r1, c1)
        if value is None:
            continue
        r2, c2 = min(r2, last_row), min(c2, width)
        if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_MERGED_FILL:
            continue
        for row in range(r1, r2 + 1):
            values = grid.rows.setdefault(row, [])
            if len(values) < c2:
                values.extend([None] * (c2 - len(values)))
            for col in range(c1, c2 + 1):
                if values[col - 1] is None:
                    values[col - 1] = value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def find_header_row(grid: Grid, names: Iterable[str]) -> tuple[int | None, int]:
    """The row among the first :data:`HEADER_SEARCH_ROWS` with the most text cells
    matching ``names`` (normalised); ``(row, matches)``, row None when none matches."""
    wanted = {normalise_label(n.rpartition("/")[2]) for n in names}
    best, best_score = None, 0
    for number in sorted(grid.rows)[:HEADER_SEARCH_ROWS]:
        found = {
            key
            for v in grid.rows[number]
            if isinstance(v, str) and (key := normalise_label(v)) in wanted
        }
        if len(found) > best_score:
            best, best_score = number, len(found)
    return best, best_score


# ---------------------------------------------------------------------------
# Importing


@define
class ImportResult:
    """What :func:`import_workbook` read, with notes for people."""

    data: CohortData
    findings: list[Finding] = field(factory=list)
    unmapped: list[tuple[str, str, str]] = field(factory=list)  # (their sheet, header, column)
    counts: dict[str, int] = field(factory=dict)  # our sheet id -> records imported
    skipped: list[str] = field(factory=list)  # rows not imported, and why


def import_workbook(
    path: str | Path, mapping: Mapping, schema: Schema, *, limits: Limits | None = None
) -> ImportResult:
    """Read ``path`` as ``mapping`` says into a cohort of ``schema``'s programme.

    Raises :class:`MappingError` when the mapping does not fit the workbook (a sheet or
    a header it names is not there) and ReadError when the file cannot be read.
    """
    check_mapping(mapping, schema)
    grids = read_grids(path, limits)
    data = CohortData(path=str(path))
    result = ImportResult(data)
    if mapping.programme:
        data.metadata["programme"] = mapping.programme
    _import_cohort(mapping, schema, result)
    for sheet_mapping in mapping.sheets:
        grid = _their_sheet(grids, sheet_mapping.sheet, Path(path).name)
        _import_sheet(grid, sheet_mapping, schema, result)
    return result


def _their_sheet(grids: list[Grid], name: str | None, file_name: str) -> Grid:
    if name is None:
        visible = [g for g in grids if not g.hidden] or grids
        if not visible:
            raise MappingError(f"{file_name} has no sheets")
        return visible[0]
    for grid in grids:
        if grid.name == name:
            return grid
    wanted = normalise_label(name)
    for grid in grids:
        if normalise_label(grid.name) == wanted:
            return grid
    names = ", ".join(repr(g.name) for g in grids)
    raise MappingError(f"{file_name} has no sheet {name!r} (its sheets: {names})")


def _import_cohort(mapping: Mapping, schema: Schema, result: ImportResult) -> None:
    core: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    invalid: dict[str, Any] = {}
    for key, raw in mapping.cohort.items():
        f = schema.field("cohort", key)
        value, problem = convert(converter_for(f), raw)
        if problem is not None:
            invalid[key] = raw
            result.findings.append(
                Finding(
                    code="import.invalid-value",
                    severity="error",
                    message=f"[cohort] {key}: {problem}",
                    message_ja=f"[cohort] {key}: {getattr(problem, 'ja', None) or problem}",
                    field_id=key,
                    source="import",
                )
            )
        elif value is not None:
            (core if f.source == "core" else extra)[key] = value
    missing = [k for k in ("programme", "cohort_id") if k not in core]
    for key in missing:
        result.findings.append(
            Finding(
                code="import.missing-cohort-value",
                severity="error",
                message=f"the mapping gives no {key}: add it under [cohort]",
                message_ja=f"対応表に {key} がありません。[cohort] に加えてください",
                field_id=key,
                source="import",
            )
        )
    if missing:
        result.data.cohort_fallback = {**core, **extra, **invalid}
    else:
        result.data.cohort = Cohort(**core, extra=extra, invalid=invalid)


def _import_sheet(grid: Grid, m: SheetMapping, schema: Schema, result: ImportResult) -> None:
    data = result.data
    header_row = m.header_row
    names = [ref.header for ref in m.columns.values() if ref.header]
    if header_row is None:
        if not names:
            raise MappingError(
                f"sheet {grid.name!r}: the mapping names columns only by letter; give header_row"
            )
        header_row, _score = find_header_row(grid, names)
        if header_row is None:
            raise MappingError(
                f"sheet {grid.name!r}: no row in the first {HEADER_SEARCH_ROWS} has any of the "
                f"mapped headers ({', '.join(repr(n) for n in names[:6])}); give header_row"
            )
    columns = _resolve_columns(grid, m, header_row)
    first_data = grid.header_block_end(header_row) + 1
    # their columns the mapping does not use: kept as unknown columns
    used = set(columns.values())
    header = grid.rows.get(header_row, [])
    width = max((len(v) for n, v in grid.rows.items() if n >= first_data), default=0)
    width = max(width, len(header))
    unknown_plan: list[tuple[int, str]] = []
    seen_headers: set[str] = set()
    for col in range(1, width + 1):
        if col in used:
            continue
        text = _text(grid.cell(header_row, col))
        has_data = any(grid.cell(n, col) is not None for n in grid.rows if n >= first_data)
        if text is None and not has_data:
            continue
        name = text or f"(column {column_letter(col)})"
        if name in seen_headers:
            name = f"{name} ({column_letter(col)})"
        seen_headers.add(name)
        unknown_plan.append((col, name))
        result.unmapped.append((grid.name, name, column_letter(col)))
    headers = data.unknown_columns.setdefault(m.into, [])
    headers += [h for _, h in unknown_plan if h not in headers]
    data.layouts[m.into] = SheetLayout(
        name=grid.name,
        header_row=header_row,
        columns=dict(columns),
        unknown={h: c for c, h in unknown_plan},
    )
    plan = []
    for field_id, col in columns.items():
        f = schema.field(m.into, field_id)
        plan.append((field_id, col, f, converter_for(f), m.values.get(field_id)))
    defaults_only = [
        (schema.field(m.into, fid), value)
        for fid, value in m.defaults.items()
        if fid not in columns
    ]
    fallback = {fid: value for fid, value in m.defaults.items() if fid in columns}
    key = SHEETS_BY_ID[m.into].key or "participant_id"
    cls = RECORDS[m.into]
    records = data.records(m.into)
    imported = 0
    for number in sorted(n for n in grid.rows if n >= first_data):
        values = grid.rows[number]
        if not any(grid.cell(number, col) is not None for _, col, *_ in plan) and not any(
            grid.cell(number, col) is not None for col, _ in unknown_plan
        ):
            continue
        if not any(grid.cell(number, col) is not None for _, col, *_ in plan):
            result.skipped.append(
                f"{grid.name}!{number}: no value in any mapped column; not imported"
            )
            continue
        core: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        invalid: dict[str, Any] = {}
        first_finding = len(result.findings)
        for field_id, col, f, conv, value_map in plan:
            raw = values[col - 1] if col <= len(values) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                raw = fallback.get(field_id)
                if raw is None:
                    continue
            elif value_map is not None:
                raw = value_map.get(value_key(raw), raw)
            _store(raw, f, conv, core, extra, invalid, result, grid.name, number, col)
        for f, raw in defaults_only:
            _store(raw, f, converter_for(f), core, extra, invalid, result, grid.name, number, None)
        unknown = {
            name: values[col - 1]
            for col, name in unknown_plan
            if col <= len(values) and values[col - 1] is not None
        }
        if key not in core:
            if key in invalid:
                core[key] = str(invalid.pop(key))
            else:
                result.findings.append(
                    _finding(
                        "import.missing-id",
                        f"row {number} has no {key}; kept without an id",
                        grid.name,
                        number,
                        columns.get(key),
                        key,
                        ja=f"{number}行目に {key} がありません。IDなしのまま残しています",
                    )
                )
                data.unkeyed_rows.setdefault(m.into, []).append(
                    {**core, **extra, **invalid, **unknown}
                )
                continue
        record = cls(**core, extra=extra, unknown=unknown, invalid=invalid)
        records.append(record)
        data.remember_row(record, m.into, number)
        imported += 1
        ident = record_id(record)
        for index in range(first_finding, len(result.findings)):
            result.findings[index] = attrs.evolve(result.findings[index], subject=ident)
    result.counts[m.into] = result.counts.get(m.into, 0) + imported


def _store(
    raw: Any,
    f: Any,
    conv: Any,
    core: dict[str, Any],
    extra: dict[str, Any],
    invalid: dict[str, Any],
    result: ImportResult,
    sheet: str,
    row: int,
    col: int | None,
) -> None:
    value, problem = convert(conv, raw)
    if problem is not None:
        invalid[f.id] = raw
        result.findings.append(
            _finding(
                "import.invalid-value",
                f"{f.label}: {problem}",
                sheet,
                row,
                col,
                f.id,
                ja=f"{f.label_ja or f.label}: {getattr(problem, 'ja', None) or problem}",
            )
        )
    elif value is not None:
        (core if f.source == "core" else extra)[f.id] = value


def _finding(
    code: str,
    message: str,
    sheet: str,
    row: int,
    col: int | None,
    field_id: str,
    ja: str | None = None,
) -> Finding:
    column = column_letter(col) if col else None
    return Finding(
        code=code,
        severity="error",
        message=message,
        message_ja=ja,
        sheet=sheet,
        row=row,
        column=column,
        cell=f"{column}{row}" if column else None,
        field_id=field_id,
        source="import",
    )


def _resolve_columns(grid: Grid, m: SheetMapping, header_row: int) -> dict[str, int]:
    """Our field id -> their 1-based column; a header the row lacks is a MappingError."""
    header = grid.rows.get(header_row, [])
    above = grid.rows.get(header_row - 1, [])
    texts = {
        normalise_label(v): col
        for col, v in reversed(list(enumerate(header, start=1)))
        if isinstance(v, str) and v.strip()
    }
    out: dict[str, int] = {}
    missing = []
    for field_id, ref in m.columns.items():
        if ref.column is not None:
            out[field_id] = ref.column
            continue
        assert ref.header is not None
        upper, _, lower = ref.header.rpartition("/")
        if upper:
            col = next(
                (
                    c
                    for c, v in enumerate(header, start=1)
                    if isinstance(v, str)
                    and normalise_label(v) == normalise_label(lower)
                    and c <= len(above)
                    and isinstance(above[c - 1], str)
                    and normalise_label(above[c - 1]) == normalise_label(upper)
                ),
                None,
            )
        else:
            col = texts.get(normalise_label(ref.header))
        if col is None:
            missing.append(f"{field_id} = {ref.header!r}")
        else:
            out[field_id] = col
    if missing:
        shown = ", ".join(repr(str(v).strip()) for v in header if v is not None)
        raise MappingError(
            f"sheet {grid.name!r}, header row {header_row}: no column for "
            f"{'; '.join(missing)} (the row has: {shown or 'nothing'})"
        )
    return out


# ---------------------------------------------------------------------------
# Suggesting a mapping


@frozen
class _Match:
    grid: Grid
    into: str
    header_row: int
    columns: dict[str, int]  # field id -> column


def suggest_mapping(
    path: str | Path, schema: Schema, *, limits: Limits | None = None
) -> tuple[str, list[str]]:
    """A starting mapping (TOML text) for ``path``, and notes for people.

    Each sheet of theirs whose header matches at least two of our labels (English,
    Japanese or field id, ignoring case, spacing and full-width forms) becomes a
    ``[[sheets]]`` entry for the sheet it matches best; unmatched headers, fields without
    a column and values our converters do not understand are listed as TOML comments.
    """
    grids = read_grids(path, limits)
    matches: list[_Match] = []
    notes: list[str] = []
    for grid in grids:
        best = _best_match(grid, schema)
        if best is None:
            notes.append(f"sheet {grid.name!r}: no header row matches any of our sheets; left out")
        else:
            matches.append(best)
    programme = schema.programme.code if schema.programme else None
    lines = [
        f"# kenshu import mapping for {Path(path).name}, suggested by `kenshu import --suggest`.",
        "# Check every line before use; the format is described in docs/import-mapping.md.",
        "",
        "[cohort]",
    ]
    if programme:
        lines.append(f"programme = {_toml_string(programme)}")
    else:
        lines.append('# programme = ""  # the programme code (see `kenshu programmes`)')
    lines.append('# cohort_id = ""  # this cohort\'s id: fill it in')
    for match in matches:
        lines += ["", *_sheet_lines(match, schema)]
        notes.append(
            f"sheet {match.grid.name!r} -> {match.into}: header row {match.header_row}, "
            f"{len(match.columns)} column(s) matched"
        )
    return "\n".join(lines) + "\n", notes


def _best_match(grid: Grid, schema: Schema) -> _Match | None:
    best: _Match | None = None
    for sheet in TABLE_SHEETS:
        index = schema.label_index(sheet)
        for number in sorted(grid.rows)[:HEADER_SEARCH_ROWS]:
            columns: dict[str, int] = {}
            for col, value in enumerate(grid.rows[number], start=1):
                if isinstance(value, str):
                    field_id = index.get(normalise_label(value))
                    if field_id is not None and field_id not in columns:
                        columns[field_id] = col
            if len(columns) >= 2 and (best is None or len(columns) > len(best.columns)):
                best = _Match(grid, sheet, number, columns)
    return best


def _sheet_lines(match: _Match, schema: Schema) -> list[str]:
    grid = match.grid
    header = grid.rows.get(match.header_row, [])
    lines = [
        "[[sheets]]",
        f"sheet = {_toml_string(grid.name)}",
        f"into = {_toml_string(match.into)}  # {SHEETS_BY_ID[match.into].label} / "
        f"{SHEETS_BY_ID[match.into].label_ja}",
        f"header_row = {match.header_row}",
        "",
        "[sheets.columns]  # our field id = their header",
    ]
    for field_id, col in match.columns.items():
        lines.append(f"{field_id} = {_toml_string(str(header[col - 1]).strip())}")
    used = set(match.columns.values())
    unmatched = [
        (col, str(v).strip())
        for col, v in enumerate(header, start=1)
        if col not in used and _text(v) is not None
    ]
    if unmatched:
        lines.append("# Their headers not matched (kept as unknown columns unless mapped here):")
        lines += [
            f"#   {_toml_string(text)}  (column {column_letter(col)})" for col, text in unmatched
        ]
    missing = [f for f in schema.fields[match.into] if f.id not in match.columns]
    if missing:
        lines.append("# Our fields with no column (map them, or give constants under defaults;")
        lines.append("# `kenshu schema PROGRAMME` lists their labels):")
        lines += textwrap.wrap(
            ", ".join(f.id for f in missing),
            width=88,
            initial_indent="#   ",
            subsequent_indent="#   ",
            break_on_hyphens=False,
        )
    first_data = grid.header_block_end(match.header_row) + 1
    for field_id, col in match.columns.items():
        f = schema.field(match.into, field_id)
        if f is None or f.type not in ("choice", "country", "country_list", "yes_no"):
            continue
        conv = converter_for(f)
        strange: list[str] = []
        for number in sorted(n for n in grid.rows if n >= first_data):
            raw = grid.cell(number, col)
            if raw is None:
                continue
            if convert(conv, raw)[1] is not None and str(raw).strip() not in strange:
                strange.append(str(raw).strip())
            if len(strange) >= 50:
                break
        if strange:
            hint = (
                ", ".join(f.choices)
                if f.choices
                else "an ISO 3166-1 code"
                if "country" in f.type
                else "yes or no"
            )
            lines += [
                "",
                f"[sheets.values.{field_id}]  # their value = ours ({hint})",
                "# values kenshu does not understand as they are; give ours for each:",
            ]
            lines += [f'# {_toml_string(text)} = ""' for text in strange]
    return lines


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
