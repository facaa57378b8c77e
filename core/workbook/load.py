"""Reading a cohort workbook into :class:`~kenshu.dataset.CohortData` and findings.

Sheets are found by name in any supported language (or their ids), else by content; the
header row is the row among the first :data:`HEADER_SEARCH_ROWS` that best matches the
sheet's labels or field ids, ignoring case, spacing and full-width forms. Reading stops at
the last non-empty row. Unknown columns and sheets are kept; a cell that cannot be
converted is kept verbatim in the record's ``invalid`` and reported.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from kenshu.catalogue import RECORDS, SHEETS, SHEETS_BY_ID
from kenshu.dataset import CohortData, RawSheet, SheetLayout, record_id
from kenshu.model import (
    Cohort,
    Finding,
    _as_dict,  # the copy the records' bags make, not needed here
)
from kenshu.workbook.cells import column_letter, normalise_label
from kenshu.workbook.convert import (
    KNOWN,
    convert,
    converter_for,
    to_code,
    to_date,
    to_integer,
    to_number,
    to_text,
)
from kenshu.workbook.engines import (
    ReadError,
    SheetInfo,
    clean_row,
    clean_value,
    open_workbook,
)
from kenshu.workbook.safety import Limits, check_file

if TYPE_CHECKING:
    from kenshu.plugins import PluginRegistry
    from kenshu.schema import Schema

HEADER_SEARCH_ROWS = 30
METADATA_SHEET = "_kenshu"
LISTS_SHEET = "_kenshu_lists"
_FORM_HEADER_WORDS = {
    normalise_label(w) for w in ("field", "value", "項目", "値", "setting", "設定")
}
_SHEET_NAMES = {
    normalise_label(text): spec.id
    for spec in SHEETS
    for text in (spec.label, spec.label_ja, spec.id)
}


def read_workbook(
    path: str | Path,
    registry: PluginRegistry,
    *,
    engine: str | None = None,
    limits: Limits | None = None,
) -> tuple[CohortData, list[Finding], Schema]:
    """Read ``path``; returns the records, the reading findings and the schema used.

    Raises :class:`~kenshu.workbook.engines.ReadError` for a file that cannot be read at all.
    """
    limits = limits or Limits()
    scan = check_file(path, limits)
    book = open_workbook(path, engine, scan)
    try:
        with paused_gc():
            data, findings, schema = _Reader(Path(path), book, registry, limits).read()
    finally:
        book.close()
    findings.extend(scan.findings())  # formulas without a saved result, by cell
    return data, findings, schema


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while records are built.

    Reading makes hundreds of thousands of small objects and no reference cycles; the
    collector would walk them again and again as they accumulate (about a fifth of the
    time of building them). Nothing is lost: it runs again afterwards.

    What was made meanwhile is then moved to the oldest generation, where it would end
    up after the collector's next passes over the young ones, without those passes
    (walking every record twice, a few tenths of a second at 100,000 participants). It
    is still collected with that generation, as any long-lived object is.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # freeze() then unfreeze() moves every tracked object to the oldest generation
        # without walking them; not when someone else keeps objects frozen (a server
        # before forking), as unfreeze() would let those go too
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


@lru_cache(maxsize=64)
def record_factory(cls: type) -> Callable[..., Any]:
    """``make(core, extra, unknown, invalid)``: a record of ``cls`` from values that the
    field converters have already typed, as ``cls(**core, extra=..., ...)`` builds it
    but without re-running attrs' validators on what the converters guarantee (those
    checks are most of the cost of building a record, and records are built per row).

    Classes with anything else in their ``__init__`` (a post-init hook, a factory that
    takes ``self``, cached hashes) are built the ordinary way.
    """

    def ordinary(core: dict[str, Any], extra: dict, unknown: dict, invalid: dict) -> Any:
        return cls(**core, extra=extra, unknown=unknown, invalid=invalid)

    found = _record_plan(cls)
    if found is None:
        return ordinary
    plan, bag = found
    names = {name for name, *_ in plan}
    required = {name for name, default, *_ in plan if default is _MISSING}
    # most fields: a value or a plain default, set as it is; the others take the long way
    simple = [
        (name, default, setter)
        for name, default, factory, converter, setter in plan
        if default is not _MISSING and factory is None and converter is None
    ]
    other = [entry for entry in plan if entry[0] not in {name for name, *_ in simple}]
    extra_, unknown_, invalid_ = bag["extra"], bag["unknown"], bag["invalid"]
    new, set_ = object.__new__, object.__setattr__

    def make(core: dict[str, Any], extra: dict, unknown: dict, invalid: dict) -> Any:
        keys = core.keys()
        if not keys <= names or not required <= keys:
            return ordinary(core, extra, unknown, invalid)  # says what is wrong or missing
        record = new(cls)
        get = core.get
        for name, default, setter in simple:
            setter(record, get(name, default))
        for name, default, factory, converter, setter in other:
            value = core[name] if name in core else factory() if factory else default
            setter(record, value if converter is None else converter(value))
        set_(record, "extra", extra_(extra))
        set_(record, "unknown", unknown_(unknown))
        set_(record, "invalid", invalid_(invalid))
        return record

    return make


_MISSING = object()


@lru_cache(maxsize=64)
def _record_plan(cls: type) -> tuple[list[tuple[str, Any, Any, Any, Any]], dict[str, Any]] | None:
    """How to build a record of ``cls`` field by field without its ``__init__``:
    ``[(name, default, factory, converter, setter)]`` of its fields (``default`` is
    :data:`_MISSING` for a required one) and the converters of its three bags; None
    when ``__init__`` does more than set fields (see :func:`record_factory`)."""
    fields = attrs.fields(cls)
    plain = (
        "__slots__" in cls.__dict__
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and "__attrs_cached_hash__" not in getattr(cls, "__slots__", ())
        and all(a.init and not _takes_self(a.default) for a in fields)
        and {"extra", "unknown", "invalid"} <= {a.name for a in fields}
    )
    if not plain:
        return None
    plan = []
    for a in fields:
        if a.name in ("extra", "unknown", "invalid"):
            continue
        default, factory = a.default, None
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default, factory = None, default.factory
        elif default is attrs.NOTHING:
            default = _MISSING
        slot = getattr(cls, a.name, None)  # the slot's descriptor: the quickest way to set it
        setter = getattr(slot, "__set__", None) or partial(_set_named, a.name)
        plan.append((a.name, default, factory, a.converter, setter))
    bag = {a.name: a.converter or _same for a in fields}
    return plan, bag


def _same(value: Any) -> Any:
    return value


class _Slow(Exception):
    """A row the quick builder leaves to the full one (a missing id...)."""


def row_builder(
    cls: type,
    columns: list[tuple[int, str, Callable[[Any], Any], bool]],
    unknown: list[tuple[int, str]],
    needed: tuple[str, ...],
) -> Callable[[list[Any]], Any] | None:
    """``build(values)``: the record of ``cls`` from a row of cells, for rows whose every
    cell converts cleanly and which have each of the ``needed`` fields; it raises for any
    other row (a converter's problem, :class:`_Slow`), which the full reader then reads,
    saying what is wrong. The same record as the full reader's, made without its
    per-cell bookkeeping: the code is written for the sheet's columns (``(column,
    field id, converter, core?)``), so that each cell costs a few operations, and kept for
    the next sheet of the same shape. None when ``cls`` is not built field by field (see
    :func:`record_factory`).

    The cells may be cleaned (:func:`~kenshu.workbook.engines.clean_row`) or not: each
    is cleaned as it is read, and the commonest conversions (text, codes, dates, whole
    numbers) are made in line, as their converters make them.
    """
    shape = tuple(
        (col, field_id, core, _INLINE.get(conv) or ("known" if hasattr(conv, KNOWN) else ""))
        for col, field_id, conv, core in columns
    )
    make = _builder_maker(cls, shape, tuple(unknown), needed)
    return None if make is None else make(*(conv for _, _, conv, _ in columns))


#: The converters whose work on the commonest cells :func:`_cell_lines` writes in line.
_INLINE: dict[Callable[[Any], Any], str] = {
    to_text: "text",
    to_code: "code",
    to_date: "date",
    to_integer: "number",
    to_number: "number",
}


def _cell_lines(index: int, col: int, kind: str) -> list[str]:
    """Code that sets ``v`` to the value of cell ``col`` converted by ``c{index}`` (None
    for an empty cell), the cell cleaned as :func:`~kenshu.workbook.engines.clean_value`
    cleans it (empty text and spaces are empty, whole numbers ``int``...) and the
    commonest ``kind`` of value converted in line, to what its converter gives."""
    c = f"c{index}"
    if kind == "text":  # to_text: the text stripped
        text = "v = raw.strip() or None"
    elif kind == "code":  # to_code: ASCII text stripped, other text normalised
        text = (
            f"v = (raw.strip() or None) if raw.isascii() else None if raw.isspace() else {c}(raw)"
        )
    elif kind == "known":  # a value the converter has met before (a choice, a country)
        text = f"v = n{index}.get(raw) or ({c}(raw) if raw and not raw.isspace() else None)"
    else:
        text = f"v = {c}(raw) if raw and not raw.isspace() else None"
    if kind == "date":  # to_date: a date is itself
        other = f"v = raw if type(raw) is date else {c}(clean(raw))"
    elif kind == "number":  # to_integer, to_number: a whole float is its int
        other = f"v = int(raw) if type(raw) is float and raw.is_integer() else {c}(clean(raw))"
    else:  # a whole float is its int, as cleaning makes it
        other = (
            f"v = {c}(int(raw) if raw.is_integer() else raw) "
            f"if type(raw) is float else {c}(clean(raw))"
        )
    lines = [
        f"        raw = values[{col}]",
        "        if type(raw) is str:",
        f"            {text}",
        "        elif raw is None:",
        "            v = None",
        "        else:",
        f"            {other}",
    ]
    if kind in _SHARED:
        # a column repeats names, places, dates: one object for each value, not one per
        # cell (a fifth of the memory of 100,000 participants); up to _SHARED_VALUES
        # values a column, so that a column of ids or e-mails costs no more than a look-up
        lines += [
            "        if v is not None:",
            f"            w = m{index}.get(v)",
            "            if w is not None:",
            "                v = w",
            f"            elif len(m{index}) < {_SHARED_VALUES}:",
            f"                m{index}[v] = v",
        ]
    return lines


#: The kinds of value that :func:`_cell_lines` keeps one object of for each value.
_SHARED = frozenset({"text", "code", "date"})
_SHARED_VALUES = 8192


@lru_cache(maxsize=256)
def _builder_maker(
    cls: type,
    shape: tuple[tuple[int, str, bool, str], ...],
    unknown: tuple[tuple[int, str], ...],
    needed: tuple[str, ...],
) -> Callable[..., Callable[[list[Any]], Any]] | None:
    """``make(*converters)``: :func:`row_builder`'s ``build`` for a sheet of this shape,
    given its columns' converters (compiled once per shape, not per file)."""
    found = _record_plan(cls)
    if found is None:
        return None
    plan, bag = found
    by_name = {entry[0]: entry for entry in plan}
    if any(core and field_id not in by_name for _, field_id, core, _ in shape):
        return None
    scope: dict[str, Any] = {
        "new": object.__new__,
        "cls": cls,
        "set_": object.__setattr__,
        "clean": clean_value,
        "date": dt.date,
        "Slow": _Slow,
        "extra_": bag["extra"],
        "unknown_": bag["unknown"],
        "invalid_": bag["invalid"],
    }
    lines = [f"    m{index} = {{}}" for index, (*_, kind) in enumerate(shape) if kind in _SHARED]
    lines += [
        f"    n{index} = c{index}.known"
        for index, (*_, kind) in enumerate(shape)
        if kind == "known"
    ]
    lines += ["    def build(values):", "        record = new(cls)", "        extra = {}"]
    placed = set()
    for index, (col, field_id, core, kind) in enumerate(shape):
        lines += _cell_lines(index, col, kind)
        if not core:
            lines += [
                "        if v is not None:",
                f"            extra[{field_id!r}] = v",
            ]
            continue
        name, default, factory, converter, setter = by_name[field_id]
        placed.add(name)
        scope[f"s{index}"] = setter
        if default is None and factory is None and converter is None and name not in needed:
            lines.append(f"        s{index}(record, v)")
            continue
        if name in needed or default is _MISSING:
            missing = "raise Slow"
        else:
            scope[f"d{index}"], scope[f"f{index}"] = default, factory
            missing = f"v = f{index}()" if factory is not None else f"v = d{index}"
        scope[f"k{index}"] = converter
        lines += [
            "        if v is None:",
            f"            {missing}",
            f"        s{index}(record, v)"
            if converter is None
            else f"        s{index}(record, k{index}(v))",
        ]
    for index, (name, default, factory, converter, setter) in enumerate(plan):
        if name in placed:
            continue
        if name in needed or default is _MISSING:
            lines.append("        raise Slow")
            continue
        scope[f"ps{index}"], scope[f"pd{index}"] = setter, default
        scope[f"pf{index}"], scope[f"pk{index}"] = factory, converter
        value = f"pf{index}()" if factory is not None else f"pd{index}"
        lines.append(
            f"        ps{index}(record, {value})"
            if converter is None
            else f"        ps{index}(record, pk{index}({value}))"
        )
    lines.append("        unknown = {}")
    for col, heading in unknown:
        lines += [
            f"        raw = values[{col}]",
            '        if raw is not None and raw != "":',
            "            raw = clean(raw)",
            "            if raw is not None:",
            f"                unknown[{heading!r}] = raw",
        ]
    lines += [
        *(_bag_line(cls, bag, name, value, scope) for name, value in _BAGS),
        "        return record",
        "    return build",
    ]
    arguments = ", ".join(f"c{index}" for index in range(len(shape)))
    source = f"def make({arguments}):\n" + "\n".join(lines)
    exec(source, scope)  # our own code: field ids and headings are quoted
    return scope["make"]


#: The three bags of a record and what :func:`_builder_maker`'s code puts in them.
_BAGS = (("extra", "extra"), ("unknown", "unknown"), ("invalid", "{}"))


def _bag_line(cls: type, bag: dict[str, Any], name: str, value: str, scope: dict) -> str:
    """The line that sets a record's bag to ``value``, a new dict of the built code's own:
    given as it is where the bag's converter would only copy it (:func:`_as_dict`), and
    through the slot's own setter where there is one."""
    slot = getattr(cls, name, None)
    setter = getattr(slot, "__set__", None)
    if setter is not None:
        scope[f"set_{name}"] = setter
        assign = f"set_{name}(record, {{}})"
    else:
        assign = f"set_(record, {name!r}, {{}})"
    if bag[name] is not _as_dict:
        value = f"{name}_({value})"
    return "        " + assign.format(value)


def _takes_self(default: Any) -> bool:
    return isinstance(default, attrs.Factory) and default.takes_self  # type: ignore[arg-type]


def _set_named(name: str, record: Any, value: Any) -> None:
    object.__setattr__(record, name, value)


class _Reader:
    def __init__(self, path: Path, book: Any, registry: PluginRegistry, limits: Limits) -> None:
        self.path = path
        self.book = book
        self.registry = registry
        self.limits = limits
        self.findings: list[Finding] = []
        self.data = CohortData(path=str(path))

    # -- the whole workbook -----------------------------------------------------

    def read(self) -> tuple[CohortData, list[Finding], Schema]:
        sheets = self.book.sheets()
        assigned: dict[str, SheetInfo] = {}
        leftovers: list[SheetInfo] = []
        for info in sheets:
            if info.name == METADATA_SHEET:
                self.data.metadata = self._read_metadata(info.name)
                continue
            if info.name == LISTS_SHEET:
                continue  # our own dropdown lists; regenerated on export
            sheet_id = _SHEET_NAMES.get(normalise_label(info.name))
            if sheet_id and sheet_id not in assigned:
                assigned[sheet_id] = info
            else:
                leftovers.append(info)

        raw_leftovers = {info.name: self._materialise(info.name) for info in leftovers}
        # Sheets not found by name may be found by content (a renamed or translated sheet).
        core_schema = self.registry.schema(None)
        for info in leftovers:
            rows = raw_leftovers[info.name]
            for spec in SHEETS:
                if spec.id in assigned or spec.layout != "table" or spec.key is None:
                    continue
                if _find_header(iter(rows), core_schema, spec.id, require_key=True)[0] is not None:
                    assigned[spec.id] = info
                    break

        prefetch = getattr(self.book, "prefetch", None)
        if prefetch is not None:  # the sheets still to read, in the order they are read
            prefetch(
                [
                    assigned[spec.id].name
                    for spec in SHEETS
                    if spec.id in assigned and assigned[spec.id].name not in raw_leftovers
                ]
            )
        self._cohort_raw = []
        if "cohort" in assigned:
            self._read_cohort_rows(assigned["cohort"].name)
        else:
            self.findings.append(
                Finding(
                    code="core.missing-sheet",
                    severity="error",
                    message=f"{self.path.name}: no Cohort sheet (named Cohort or コホート); "
                    "every cohort workbook needs one",
                    message_ja=f"{self.path.name}: コホートのシート(シート名「Cohort」または"
                    "「コホート」)がありません。どのブックにも必要なシートです",
                    sheet="Cohort",
                )
            )
        code = self.data.metadata.get("programme") or self._raw_programme()
        programme = self.registry.programme(str(code) if code else None)
        schema = self.registry.schema(programme)
        if "cohort" in assigned:
            self._build_cohort(schema)

        for spec in SHEETS:
            if spec.id == "cohort" or spec.id not in assigned:
                continue
            name = assigned[spec.id].name
            if name in raw_leftovers:
                rows = iter(raw_leftovers[name])
            else:  # a table's rows are cleaned as they are read (see _read_table)
                rows = self._rows(name, raw=spec.id != "settings")
            if spec.id == "settings":
                self._read_settings(name, rows, schema)
            else:
                self._read_table(spec.id, name, rows, schema)

        used = {info.name for info in assigned.values()}
        for info in leftovers:
            if info.name not in used:
                self.data.unknown_sheets.append(
                    RawSheet(info.name, raw_leftovers[info.name], hidden=info.hidden)
                )
        return self.data, self.findings, schema

    def _rows(self, sheet: str, *, raw: bool = False) -> Iterator[tuple[int, list[Any]]]:
        return rows_within_limit(
            self.book, sheet, self.path, self.limits.max_rows_per_sheet, raw=raw
        )

    def _materialise(self, sheet: str) -> list[tuple[int, list[Any]]]:
        return [(n, _trim(v)) for n, v in self._rows(sheet) if any(c is not None for c in v)]

    def _read_metadata(self, sheet: str) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        for _, values in self._rows(sheet):
            if len(values) >= 2 and isinstance(values[0], str) and values[1] is not None:
                meta[values[0].strip()] = values[1]
        return meta

    # -- the Cohort sheet (field | value) ----------------------------------------

    def _read_cohort_rows(self, sheet: str) -> None:
        """Collect the Cohort sheet's (row, label, value) triples; built later, once the
        programme and so its plugin fields are known."""
        index = self.registry.schema(None).label_index("cohort")
        self._cohort_sheet = sheet
        self._cohort_raw: list[tuple[int, str, Any]] = []
        self._cohort_beside: dict[str, Any] = {}
        self.data.layouts["cohort"] = SheetLayout(name=sheet)
        label_col: int | None = None
        preamble: list[tuple[int, list[Any]]] = []
        for number, values in self._rows(sheet):
            if label_col is None:
                for col, cell in enumerate(values):
                    if isinstance(cell, str) and normalise_label(cell) in index:
                        label_col = col
                        break
                if label_col is None:
                    if any(c is not None for c in values) and not _is_form_header(values):
                        preamble.append((number, _trim(values)))  # a title: kept, not read
                    continue
            label = values[label_col] if label_col < len(values) else None
            value = values[label_col + 1] if label_col + 1 < len(values) else None
            label_text = "" if label is None else str(label).strip()
            if (label is None and value is None) or normalise_label(
                label_text
            ) in _FORM_HEADER_WORDS:
                continue
            self._cohort_raw.append((number, label_text, value))
            beside = [(c, v) for c, v in enumerate(values) if c > label_col + 1 and v is not None]
            for col, cell in beside:
                # kept as an unknown entry of the Cohort so that export writes it back
                self._cohort_beside[
                    f"{label_text or f'row {number}'} ({column_letter(col + 1)})"
                ] = cell
            if beside:
                self.findings.append(
                    self._finding(
                        "core.cohort-extra-cells",
                        "warning",
                        f"cells right of the value in row {number} are not read as values "
                        "(kept as extra Cohort entries); keep one value per row",
                        sheet,
                        number,
                        beside[0][0] + 1,
                        ja=f"{number}行目の値より右のセルは値として読み取っていません"
                        "(コホートの追加項目として残してあります)。1行に値は1つにしてください",
                    )
                )
        if preamble:
            self.data.preambles["cohort"] = preamble
        self._cohort_value_col = (label_col or 0) + 2

    def _raw_programme(self) -> str | None:
        index = self.registry.schema(None).label_index("cohort")
        for _, label, value in self._cohort_raw:
            if index.get(normalise_label(label)) == "programme" and value is not None:
                return str(value).strip()
        return None

    def _build_cohort(self, schema: Schema) -> None:
        index = schema.label_index("cohort")
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        unknown: dict[str, Any] = {}
        invalid: dict[str, Any] = {}
        col = self._cohort_value_col
        for number, label, raw in self._cohort_raw:
            field_id = index.get(normalise_label(label)) if label else None
            if field_id is None:
                unknown[label or f"(row {number})"] = raw
                self.data.remember_cohort_row(label or f"(row {number})", number)
                continue
            f = schema.field("cohort", field_id)
            self.data.remember_cohort_row(field_id, number)
            value, problem = convert(converter_for(f), raw)
            if problem:
                if value is None:
                    invalid[field_id] = raw
                self.findings.append(
                    self._finding(
                        problem.code,
                        problem.severity,
                        f"{f.label}: {problem}",
                        self._cohort_sheet,
                        number,
                        col,
                        field_id=field_id,
                        ja=f"{f.label_ja or f.label}: {problem.ja or problem}",
                    )
                )
            if value is not None:
                (values if f.source == "core" else extra)[field_id] = value
        unknown.update(self._cohort_beside)
        self.data.layouts["cohort"].columns = {"value": col}
        missing = [k for k in ("programme", "cohort_id") if k not in values]
        for field_id in missing:
            if field_id not in invalid:
                self.findings.append(
                    Finding(
                        code="core.missing-required",
                        severity="error",
                        message=f"the Cohort sheet has no {field_id} (required)",
                        message_ja=f"コホートのシートに{schema.field('cohort', field_id).label_ja}"
                        f"({field_id})がありません(必須項目です)",
                        sheet=self._cohort_sheet,
                        field_id=field_id,
                    )
                )
        if missing:
            # Without its identity the cohort cannot be a record; keep what was there.
            self.data.cohort_fallback = {**values, **extra, **unknown, **invalid}
            return
        self.data.cohort = Cohort(**values, extra=extra, unknown=unknown, invalid=invalid)

    # -- the Settings sheet --------------------------------------------------------

    def _read_settings(
        self, sheet: str, rows: Iterator[tuple[int, list[Any]]], schema: Schema
    ) -> None:
        header, buffered = _find_header(rows, schema, "settings", require_key=True)
        if header is None:
            self.findings.append(
                Finding(
                    code="core.no-header",
                    severity="warning",
                    message="the Settings sheet has no Setting / Value header; not read",
                    message_ja="設定シートに「設定」「値」の見出し行がないため、読み取っていません",
                    sheet=sheet,
                )
            )
            return
        number, columns = header
        key_col, value_col = columns.get("setting"), columns.get("value")
        self.data.layouts["settings"] = SheetLayout(
            name=sheet, header_row=number, columns={k: v + 1 for k, v in columns.items()}
        )
        for row_number, values in _chain([(n, v) for n, v in buffered if n > number], rows):
            key = values[key_col] if key_col is not None and key_col < len(values) else None
            value = values[value_col] if value_col is not None and value_col < len(values) else None
            if key is None:
                continue
            self.data.settings[str(key).strip()] = value
            self.data.settings_rows[str(key).strip()] = row_number

    # -- table sheets ------------------------------------------------------------

    def _read_table(
        self, sheet_id: str, sheet: str, rows: Iterator[tuple[int, list[Any]]], schema: Schema
    ) -> None:
        spec = SHEETS_BY_ID[sheet_id]
        # ``rows`` may come as the engine read them (see CalamineReader.rows): cleaned here,
        # the rows above the data and a row that ``build`` below does not take
        header, buffered = _find_header(
            _cleaned(rows), schema, sheet_id, require_key=spec.key is not None
        )
        if header is None:
            if any(any(c is not None for c in v) for _, v in buffered):
                self.findings.append(
                    Finding(
                        code="core.no-header",
                        severity="error",
                        message=f"no header row found in the first {HEADER_SEARCH_ROWS} rows of "
                        f"{sheet!r} (expected labels such as {_example_labels(schema, sheet_id)}); "
                        "the sheet is kept as it is but not read",
                        message_ja=f"シート「{sheet}」の先頭{HEADER_SEARCH_ROWS}行に見出し行が"
                        f"見つかりません(「{_example_labels(schema, sheet_id, 'ja')}」のような"
                        "見出しが必要です)。シートはそのまま残しますが、読み取っていません",
                        sheet=sheet,
                    )
                )
                self.data.unknown_sheets.append(
                    RawSheet(
                        sheet,
                        [(n, _trim(v)) for n, v in buffered]
                        + [
                            (n, _trim(v))
                            for n, v in _cleaned(rows)
                            if any(c is not None for c in v)
                        ],
                    )
                )
            return
        header_row, columns = header
        header_cells = buffered[[n for n, _ in buffered].index(header_row)][1] if buffered else []
        above = [
            (n, _trim(v)) for n, v in buffered if n < header_row and any(c is not None for c in v)
        ]
        if above:
            self.data.preambles[sheet_id] = above  # titles and notes above the header: kept
        layout = SheetLayout(
            name=sheet, header_row=header_row, columns={k: v + 1 for k, v in columns.items()}
        )
        self.data.layouts[sheet_id] = layout
        make_record = record_factory(RECORDS[sheet_id])
        key = spec.key
        plan: list[tuple[int, str, Callable[[Any], Any], bool, str]] = []
        for field_id, col in columns.items():
            f = schema.field(sheet_id, field_id)
            plan.append((col, field_id, converter_for(f), f.source == "core", f.label))
        unknown_plan: list[tuple[int, str]] = []
        known_cols = set(columns.values())
        for col, cell in enumerate(header_cells):
            if col not in known_cols and cell is not None:
                unknown_plan.append((col, str(cell).strip()))
        headers_seen = {h for _, h in unknown_plan}
        self.data.unknown_columns[sheet_id] = [h for _, h in unknown_plan]
        layout.unknown = {h: c + 1 for c, h in unknown_plan}  # where each one is (provenance)
        records = self.data.records(sheet_id)
        after_header = [(n, v) for n, v in buffered if n > header_row]
        width = len(header_cells)
        plan.sort()  # by column; every planned column is within the header's width
        positions = self.data._rows  # what remember_row fills: set in the loop directly
        needed = tuple(
            n for n in (key, "participant_id" if sheet_id == "attendance" else None) if n
        )
        build = row_builder(
            RECORDS[sheet_id],
            [(c, f, conv, core) for c, f, conv, core, _ in plan],
            unknown_plan,
            needed,
        )
        # The loop below runs once per row and cell: it is the hot path of reading. Most
        # rows are built by ``build``, from the cells as the engine read them; a row it
        # cannot build (an empty one too: it has no id) is cleaned and goes the long way.
        for number, values in _chain(after_header, rows):
            size = len(values)
            if build is not None and size <= width:
                try:
                    record = build(values + [None] * (width - size) if size < width else values)
                except Exception:  # a problem in a cell, or no id: said the long way
                    pass
                else:
                    records.append(record)
                    positions[id(record)] = (sheet_id, number)
                    continue
            values = clean_row(values)
            if values.count(None) == size:
                continue  # an empty row
            if size < width:
                values = values + [None] * (width - size)
            core_values: dict[str, Any] = {}
            extra: dict[str, Any] = {}
            invalid: dict[str, Any] = {}
            first_finding = len(self.findings)
            for col, field_id, conv, is_core, label in plan:
                raw = values[col]
                if raw is None:
                    continue
                try:  # most cells convert cleanly: call the converter directly
                    value = conv(raw)
                    problem = None
                except Exception:  # then let convert() say why (converters are pure)
                    value, problem = convert(conv, raw)
                if problem is not None:
                    if value is None:
                        invalid[field_id] = raw
                    label_ja = schema.field(sheet_id, field_id).label_ja or label
                    self.findings.append(
                        self._finding(
                            problem.code,
                            problem.severity,
                            f"{label}: {problem}",
                            sheet,
                            number,
                            col + 1,
                            field_id=field_id,
                            ja=f"{label_ja}: {problem.ja or problem}",
                        )
                    )
                if value is not None:
                    if is_core:
                        core_values[field_id] = value
                    else:
                        extra[field_id] = value
            unknown = (
                {h: values[c] for c, h in unknown_plan if values[c] is not None}
                if unknown_plan
                else {}
            )
            if size > width:
                for col in range(width, len(values)):
                    if values[col] is not None:
                        heading = f"(column {column_letter(col + 1)})"
                        unknown[heading] = values[col]
                        if heading not in headers_seen:
                            headers_seen.add(heading)
                            self.data.unknown_columns[sheet_id].append(heading)
            if key is not None and key not in core_values:
                if key in invalid:
                    core_values[key] = str(invalid.pop(key))
                else:
                    self.findings.append(
                        self._finding(
                            "core.missing-id",
                            "error",
                            f"row {number} has no {SHEETS_BY_ID[sheet_id].label} id ({key}); "
                            "the row is kept but cannot be checked",
                            sheet,
                            number,
                            columns[key] + 1,
                            field_id=key,
                            ja=f"{number}行目に{SHEETS_BY_ID[sheet_id].label_ja}のID({key})が"
                            "ありません。行は残してありますが、チェックできません",
                        )
                    )
                    self._keep_unkeyed(sheet_id, core_values, extra, invalid, unknown)
                    continue
            if sheet_id == "attendance" and "participant_id" not in core_values:
                self.findings.append(
                    self._finding(
                        "core.missing-id",
                        "error",
                        f"row {number} names no participant",
                        sheet,
                        number,
                        (columns.get("participant_id", 0)) + 1,
                        field_id="participant_id",
                        ja=f"{number}行目に参加者IDがありません。行は残してありますが、"
                        "チェックできません",
                    )
                )
                self._keep_unkeyed(sheet_id, core_values, extra, invalid, unknown)
                continue
            record = make_record(core_values, extra, unknown, invalid)
            records.append(record)
            positions[id(record)] = (sheet_id, number)  # remember_row, without the call
            if len(self.findings) > first_finding:
                # the row's value problems concern this record (participant, host...): say whom
                ident = record_id(record)
                for index in range(first_finding, len(self.findings)):
                    self.findings[index] = attrs.evolve(self.findings[index], subject=ident)

    def _keep_unkeyed(self, sheet_id: str, *parts: dict[str, Any]) -> None:
        """A row without its id cannot be a record; keep its cells to write them back."""
        row: dict[str, Any] = {}
        for part in parts:
            row.update(part)
        self.data.unkeyed_rows.setdefault(sheet_id, []).append(row)

    def _finding(
        self,
        code: str,
        severity: str,
        message: str,
        sheet: str,
        row: int | None,
        col: int | None,
        *,
        field_id: str | None = None,
        subject: str | None = None,
        ja: str | None = None,
    ) -> Finding:
        column = column_letter(col) if col else None
        return Finding(
            code=code,
            severity=severity,
            message=message,
            sheet=sheet,
            row=row,
            column=column,
            cell=f"{column}{row}" if column and row else None,
            subject=subject,
            field_id=field_id,
            message_ja=ja,
        )


def _find_header(
    rows: Iterator[tuple[int, list[Any]]], schema: Schema, sheet_id: str, *, require_key: bool
) -> tuple[tuple[int, dict[str, int]] | None, list[tuple[int, list[Any]]]]:
    """Find the header among the first rows; returns ``((row, {field: col}), buffered rows)``."""
    index = schema.label_index(sheet_id)
    key = SHEETS_BY_ID[sheet_id].key
    buffered: list[tuple[int, list[Any]]] = []
    best: tuple[int, dict[str, int]] | None = None
    best_score = 0
    for number, values in rows:
        buffered.append((number, values))
        columns: dict[str, int] = {}
        for col, cell in enumerate(values):
            if isinstance(cell, str):
                field_id = index.get(normalise_label(cell))
                if field_id is not None and field_id not in columns:
                    columns[field_id] = col
        score = len(columns)
        has_key = key is None or key in columns
        enough = score >= 2 or (key is not None and key in columns)
        if (has_key or not require_key) and enough and score > best_score:
            best, best_score = (number, columns), score
        if len(buffered) >= HEADER_SEARCH_ROWS:
            break
    return best, buffered


def _chain(
    first: list[tuple[int, list[Any]]], rest: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[int, list[Any]]]:
    return itertools.chain(first, rest)


def _cleaned(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    """``rows`` cleaned, one at a time: what is left of ``rows`` stays as it is."""
    for number, values in rows:
        yield number, clean_row(values)


def rows_within_limit(
    book: Any, sheet: str, path: str | Path, limit: int, *, raw: bool = False
) -> Iterator[tuple[int, list[Any]]]:
    """A sheet's rows, refusing the file past ``limit`` rows (the safety scan counts rows
    of .xlsx and .ods before parsing; this guards every format as it is read). ``raw``:
    as the engine reads them, not all cleaned (see :meth:`CalamineReader.rows`)."""
    for number, values in book.rows(sheet, raw=True) if raw else book.rows(sheet):
        if number > limit:
            raise ReadError(
                path,
                f"sheet {sheet!r} has more than {limit} rows, over the limit "
                f"max_rows_per_sheet={limit} (raise it with --set max_rows_per_sheet=N "
                "if the file is trusted)",
                "limit.rows-per-sheet",
            )
        yield number, values


def _is_form_header(values: list[Any]) -> bool:
    """A Cohort sheet's own "Field | Value" header row (regenerated on export)."""
    texts = [normalise_label(str(v)) for v in values if v is not None]
    return bool(texts) and all(t in _FORM_HEADER_WORDS for t in texts)


def _trim(values: list[Any]) -> list[Any]:
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return values[:end]


def _example_labels(schema: Schema, sheet_id: str, lang: str = "en") -> str:
    fields = schema.fields.get(sheet_id, ())[:3]
    if lang == "ja":
        return "」「".join(f.label_in("ja") for f in fields)
    return ", ".join(repr(f.label) for f in fields)
