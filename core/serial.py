"""JSON for cohorts and reports, through cattrs.

A cohort's JSON holds every record with its fields by id (plugin fields beside core ones),
``_unknown`` for unknown columns and ``_invalid`` for values that could not be converted,
so that ``kenshu convert`` is lossless both ways. Dates are ISO 8601 strings; an unknown
column's date is ``{"$date": "..."}`` so that it comes back as a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import lru_cache
from json.encoder import encode_basestring as _encode_text  # the C version, when built
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from kenshu.catalogue import RECORDS, SHEETS_BY_ID
from kenshu.dataset import TABLE_SHEETS, CohortData, RawSheet
from kenshu.jsonstream import JsonStream, JsonSurrogateError
from kenshu.model import Finding
from kenshu.workbook.convert import convert, converter_for
from kenshu.workbook.load import _record_plan, record_factory

if TYPE_CHECKING:
    import cattrs

FORMAT = "kenshu-cohort/1"
_BAGS = ("extra", "unknown", "invalid")
_INFINITY = float("inf")


@lru_cache(maxsize=1)
def converter() -> cattrs.Converter:
    """The cattrs converter: ISO dates, tuples as lists."""
    import cattrs  # only here: reading and writing records do without it

    conv = cattrs.Converter()
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
    conv.register_structure_hook(
        dt.date, lambda v, _: v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
    )
    # values arrive already converted by the field converters (which report problems)
    conv.register_structure_hook(int | float | None, lambda v, _: v)
    return conv


def plain(value: Any) -> Any:
    """A raw cell value in JSON form (dates tagged so they come back as dates)."""
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$seconds": value.total_seconds()}
    return value


def unplain(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        if tag == "$date":
            return dt.date.fromisoformat(text)
        if tag == "$datetime":
            return dt.datetime.fromisoformat(text)
        if tag == "$time":
            return dt.time.fromisoformat(text)
        if tag == "$seconds":
            return dt.timedelta(seconds=text)
    return value


@lru_cache(maxsize=64)
def _json_fields(cls: type) -> tuple[str, ...]:
    return tuple(a.name for a in attrs.fields(cls) if a.name not in _BAGS)


def _json_value(value: Any) -> Any:
    """``converter().unstructure(value)``, with the commonest types answered directly."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool:
        return value
    if kind is dt.date or kind is dt.datetime:
        return value.isoformat()
    if kind is tuple or kind is list:  # a list, as cattrs unstructures a sequence
        return list(map(_json_value, value))
    return converter().unstructure(value)


def record_to_json(record: Any) -> dict[str, Any]:
    """A record as ``{field id: value, ..., "_unknown": {...}, "_invalid": {...}}``."""
    # the same as cattrs' unstructure (fields in order, empty ones left out), per field
    out = {}
    for name in _json_fields(type(record)):
        value = getattr(record, name)
        if value is None or value == () or value == []:
            continue
        out[name] = _json_value(value)
    for key, value in record.extra.items():
        out[key] = _json_value(value)
    if record.unknown:
        out["_unknown"] = {k: plain(v) for k, v in record.unknown.items()}
    if record.invalid:
        out["_invalid"] = {k: plain(v) for k, v in record.invalid.items()}
    return out


def cohort_to_json(
    data: CohortData, programme_plugins: dict[str, str] | None = None, *, lazy: bool = False
) -> dict[str, Any]:
    """The whole cohort as a JSON-ready dictionary.

    ``lazy``: each sheet's records are turned into dictionaries only as they are written
    (for :func:`write_json`, which then never holds them all; see :func:`write_cohort_json`).
    """
    out: dict[str, Any] = {"format": FORMAT, "programme": data.programme_code}
    out["cohort"] = (
        record_to_json(data.cohort)
        if data.cohort
        else {k: plain(v) for k, v in data.cohort_fallback.items()}
    )
    for sheet in TABLE_SHEETS:
        records = data.records(sheet)
        out[sheet] = _Lazy(records) if lazy else [record_to_json(r) for r in records]
    out["settings"] = {k: plain(v) for k, v in data.settings.items()}
    if data.unkeyed_rows:
        out["unkeyed_rows"] = {
            sheet: [{k: plain(v) for k, v in row.items()} for row in rows]
            for sheet, rows in data.unkeyed_rows.items()
        }
    if data.preambles:
        out["preambles"] = {
            sheet: [[n, [plain(v) for v in values]] for n, values in rows]
            for sheet, rows in data.preambles.items()
        }
    unknown_columns = {k: v for k, v in data.unknown_columns.items() if v}
    if unknown_columns:  # omitted when empty, however it was read: one canonical form
        out["unknown_columns"] = unknown_columns
    out["unknown_sheets"] = [
        {
            "name": s.name,
            "hidden": s.hidden,
            "rows": [[n, [plain(v) for v in values]] for n, values in s.rows],
        }
        for s in data.unknown_sheets
    ]
    return out


def dumps(payload: Any) -> str:
    """``payload`` as kenshu writes JSON: indented by two, UTF-8 text, a final newline."""
    return _text(payload, 0) + "\n"


class _Lazy:
    """A sheet's records, each written as :func:`record_to_json` makes it, one at a time."""

    def __init__(self, records: list[Any]) -> None:
        self.records = records

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(record_to_json, self.records)


def write_cohort_json(
    target: str | Path, data: CohortData, extra: dict[str, Any] | None = None
) -> None:
    """Write ``cohort_to_json(data)`` (with ``extra`` keys after it) to ``target``, a
    record at a time: memory stays that of the records, however many there are."""
    payload = cohort_to_json(data, lazy=True)
    payload.update(extra or {})
    write_json(target, payload)


def write_json(target: str | Path, payload: Any, encoding: str = "utf-8") -> None:
    """Write ``dumps(payload)`` to ``target`` atomically, record by record: a large
    cohort's JSON is never held whole in memory as text."""
    from kenshu.atomic import atomic_path

    with atomic_path(target) as temporary, open(temporary, "w", encoding=encoding) as stream:
        for piece in _pieces(payload, 0, 2):
            stream.write(piece)
        stream.write("\n")


# The JSON text is exactly ``json.dumps(value, ensure_ascii=False, indent=2,
# default=_default)``: the standard library's indenting encoder is pure Python and about
# twice as slow as building each record's text with joins, as below.


def _pieces(value: Any, level: int, depth: int) -> Iterator[str]:
    """The text of ``value`` in pieces: containers down to ``depth`` item by item."""
    if isinstance(value, _Lazy) and not (depth and value):
        value = list(value)  # written whole: empty, or deeper than streamed
    if not depth or isinstance(value, str) or not value:
        yield _text(value, level)
    elif isinstance(value, dict):
        inner = "\n" + "  " * (level + 1)
        opening = "{" + inner
        for key, item in value.items():
            yield opening + _key_text(key) + ": "
            opening = "," + inner
            yield from _pieces(item, level + 1, depth - 1)
        yield "\n" + "  " * level + "}"
    elif isinstance(value, list | tuple | _Lazy):
        inner = "\n" + "  " * (level + 1)
        opening = "[" + inner
        for item in value:
            yield opening
            opening = "," + inner
            yield from _pieces(item, level + 1, depth - 1)
        yield "\n" + "  " * level + "]"
    else:
        yield _text(value, level)


def _text(value: Any, level: int) -> str:
    """The JSON text of ``value`` at indentation ``level`` (see above)."""
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is dict or (kind is not list and kind is not tuple and _is_plain_dict(value)):
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        return (
            "{"
            + inner
            + ("," + inner).join(
                [
                    (_encode_text(key) if type(key) is str else _key_text(key))
                    + ": "
                    + (_encode_text(item) if type(item) is str else _text(item, level + 1))
                    for key, item in value.items()
                ]
            )
            + "\n"
            + "  " * level
            + "}"
        )
    if kind is list or kind is tuple or (not isinstance(value, str) and _is_sequence(value)):
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        return (
            "["
            + inner
            + ("," + inner).join(
                [
                    _encode_text(item) if type(item) is str else _text(item, level + 1)
                    for item in value
                ]
            )
            + "\n"
            + "  " * level
            + "]"
        )
    if isinstance(value, str):
        return _encode_text(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float_text(value)
    return _text(_default(value), level)


def _is_plain_dict(value: Any) -> bool:
    """A dict subclass the standard encoder treats as a dict (it tests str, int, float and
    sequences first)."""
    return isinstance(value, dict) and not isinstance(value, str | int | float | list | tuple)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, list | tuple) and not isinstance(value, int | float)


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return _encode_text(key)
    if isinstance(key, float):
        return _encode_text(_float_text(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return _encode_text(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if attrs.has(type(value)):
        return converter().unstructure(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class JsonInputError(ValueError):
    """A JSON file that is not a kenshu cohort."""


def cohort_from_json(payload: Any, registry: Any, path: str | None = None):
    """Records from a cohort's JSON, with findings for values that do not fit their field.

    Returns ``(CohortData, findings, schema)`` like the workbook reader. (A file is read
    with :func:`read_cohort_json`, which does the same a record at a time.)
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("cohort"), dict):
        raise JsonInputError(_NOT_A_COHORT)
    builder = _CohortBuilder(registry, path)
    builder.start(payload.get("programme"), payload["cohort"])
    for sheet in TABLE_SHEETS:
        items = payload.get(sheet) or []
        if not isinstance(items, list):
            raise JsonInputError(f'"{sheet}" must be a list of objects')
        for item in items:
            builder.add(sheet, item)
    return builder.finish(payload)


_NOT_A_COHORT = 'not a kenshu cohort: expected an object with a "cohort" object'


class _CohortBuilder:
    """Builds a cohort from its JSON values: the cohort, then record after record, then
    the rest (settings, unknown sheets...), each as :func:`cohort_from_json` reads it."""

    def __init__(self, registry: Any, path: str | None, *, spill: bool = False) -> None:
        self.registry = registry
        self.data = CohortData(path=path)
        if spill:  # each sheet's records go to a temporary file as they are read
            for sheet in TABLE_SHEETS:
                setattr(self.data, sheet, SpilledRecords())
        # by sheet, so that they come out in the sheets' order whatever the file's order
        self.findings: dict[str, list[Finding]] = {s: [] for s in ("cohort", *TABLE_SHEETS)}
        self.counts = dict.fromkeys(TABLE_SHEETS, 0)

    def start(self, top_programme: Any, cohort_raw: dict[str, Any]) -> None:
        data = self.data
        code = top_programme or cohort_raw.get("programme")
        programme = self.registry.programme(code if isinstance(code, str) else None)
        self.schema = schema = self.registry.schema(programme)
        if code:
            data.metadata["programme"] = code
        self.plans = {sheet: _field_plan(schema, sheet) for sheet in ("cohort", *TABLE_SHEETS)}
        cohort = _record_from_json(
            "cohort", cohort_raw, schema, self.findings["cohort"], data, 0, self.plans["cohort"]
        )
        if cohort is None:
            data.cohort_fallback = {k: unplain(v) for k, v in cohort_raw.items()}
        else:
            data.cohort = cohort

    def add(self, sheet: str, item: Any) -> None:
        index = self.counts[sheet]
        self.counts[sheet] = index + 1
        record = _record_from_json(
            sheet, item, self.schema, self.findings[sheet], self.data, index, self.plans[sheet]
        )
        if record is not None:
            self.data.records(sheet).append(record)

    def finish(self, payload: dict[str, Any]):
        data = self.data
        settings = payload.get("settings") or {}
        if not isinstance(settings, dict):
            raise JsonInputError('"settings" must be an object')
        data.settings = {k: unplain(v) for k, v in settings.items()}
        data.unkeyed_rows = {
            sheet: [{k: unplain(v) for k, v in row.items()} for row in rows]
            for sheet, rows in (payload.get("unkeyed_rows") or {}).items()
        }
        data.unknown_columns = {
            k: list(v) for k, v in (payload.get("unknown_columns") or {}).items()
        }
        data.preambles = {
            sheet: [(int(n), [unplain(v) for v in values]) for n, values in rows]
            for sheet, rows in (payload.get("preambles") or {}).items()
        }
        for sheet in payload.get("unknown_sheets") or []:
            if not isinstance(sheet, dict) or not isinstance(sheet.get("name"), str):
                raise JsonInputError(
                    'each of "unknown_sheets" must be an object with a "name" text'
                )
            data.unknown_sheets.append(
                RawSheet(
                    sheet["name"],
                    [(int(n), [unplain(v) for v in values]) for n, values in sheet.get("rows", [])],
                    hidden=bool(sheet.get("hidden")),
                )
            )
        findings = [f for key in ("cohort", *TABLE_SHEETS) for f in self.findings[key]]
        return data, findings, self.schema


def _field_plan(schema: Any, sheet: str) -> dict[str, tuple[Any, Callable[[Any], Any]]]:
    """``{field id: (field, converter)}`` of a sheet, made once per sheet, not per value."""
    return {f.id: (f, converter_for(f)) for f in reversed(schema.fields.get(sheet, ()))}


def _record_from_json(
    sheet: str,
    item: Any,
    schema: Any,
    findings: list[Finding],
    data: CohortData,
    index: int,
    plan: dict[str, tuple[Any, Callable[[Any], Any]]] | None = None,
):
    label = SHEETS_BY_ID[sheet].label
    if plan is None:
        plan = _field_plan(schema, sheet)
    if not isinstance(item, dict):
        raise JsonInputError(f"{label} item {index + 1} is not an object")
    core: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    invalid = {k: unplain(v) for k, v in (item.get("_invalid") or {}).items()}
    unknown = {k: unplain(v) for k, v in (item.get("_unknown") or {}).items()}
    for key, value in item.items():
        if key in ("_unknown", "_invalid", "_provenance") or value is None:
            continue
        planned = plan.get(key)
        if planned is None:
            unknown[key] = unplain(value)
            continue
        f, field_converter = planned
        if isinstance(value, list):
            value = ";".join(str(v) for v in value)
        try:  # most values convert cleanly: call the converter directly
            typed, problem = field_converter(value), None
        except Exception:  # then let convert() say why (converters are pure)
            typed, problem = convert(field_converter, value)
        if problem:
            if typed is None:
                invalid[key] = value
            findings.append(
                Finding(
                    code=problem.code,
                    severity=problem.severity,
                    message=f"{label} item {index + 1}, {f.label}: {problem}",
                    message_ja=f"{SHEETS_BY_ID[sheet].label_ja}の{index + 1}件目、"
                    f"{f.label_ja or f.label}: {problem.ja or problem}",
                    sheet=label,
                    field_id=key,
                )
            )
        if typed is not None:
            (core if f.source == "core" else extra)[key] = typed
    key = SHEETS_BY_ID[sheet].key or ("participant_id" if sheet == "attendance" else None)
    if sheet == "cohort":
        if "programme" not in core or "cohort_id" not in core:
            findings.append(
                Finding(
                    code="core.missing-required",
                    severity="error",
                    message="the cohort needs programme and cohort_id",
                    message_ja="コホートにはプログラム(programme)とコホートID(cohort_id)が必要です",
                    sheet="Cohort",
                )
            )
            return None
    elif key and key not in core:
        findings.append(
            Finding(
                code="core.missing-id",
                severity="error",
                message=f"{label} item {index + 1} has no {key}; kept but not checked",
                message_ja=f"{SHEETS_BY_ID[sheet].label_ja}の{index + 1}件目に{key}がありません。"
                "データは残してありますが、チェックできません",
                sheet=label,
            )
        )
        data.unkeyed_rows.setdefault(sheet, []).append({**core, **extra, **unknown, **invalid})
        return None
    # the values are typed by the field converters already, as the workbook reader's are
    return record_factory(RECORDS[sheet])(core, extra, unknown, invalid)


# ---------------------------------------------------------------------------
# Reading a cohort's JSON file a record at a time


class SpilledRecords:
    """A sheet's records written to a temporary file as they come, and read back from it,
    in order, each time they are gone through: memory stays flat however many there are.

    Enough of a list for writing them (``append``, ``len``, iteration); ``unknown_headers``
    are the headers of their unknown columns, in the order first met.
    """

    def __init__(self) -> None:
        import pickle
        import tempfile

        # a file without a name (already removed, where the system allows): nothing is
        # left behind, even by a process that is killed
        self._file = tempfile.TemporaryFile(prefix="kenshu-records-")  # noqa: SIM115
        self._pickler = pickle.Pickler(self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count = 0
        self.unknown_headers: list[str] = []
        self._seen: set[str] = set()
        self._shape: tuple[type, Any, Any] | bool | None = None
        self._block: list[Any] = []  # records not yet written, a block at a time

    def append(self, record: Any) -> None:
        if self._shape is None:
            self._shape = _spill_shape(type(record))
        shape = self._shape
        # a record of the usual class as the tuple of its fields (smaller and quicker than
        # the record itself, which pickles its fields by name); any other, as it is
        self._block.append(shape[1](record) if shape and type(record) is shape[0] else record)
        if len(self._block) >= _SPILL_BLOCK:
            self._dump_block()
        self._count += 1
        for header in record.unknown:
            if header not in self._seen:
                self._seen.add(header)
                self.unknown_headers.append(header)

    def _dump_block(self) -> None:
        self._file.seek(0, 2)  # at the end, wherever a reading left the file
        self._pickler.dump(self._block)
        self._pickler.clear_memo()  # each block on its own: the memo would keep them all
        self._block = []

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[Any]:
        import pickle

        if self._block:
            self._dump_block()
        rebuild = self._shape[2] if self._shape else None
        load = pickle.load
        left, offset = self._count, 0
        while left > 0:
            self._file.seek(offset)
            block = load(self._file)  # a new memo for each, as each was written
            offset = self._file.tell()
            left -= len(block)
            for item in block:
                yield rebuild(item) if type(item) is tuple else item

    def close(self) -> None:
        """Let go of the temporary file now (else when this is no longer used)."""
        self._file.close()


@lru_cache(maxsize=64)
def _spill_shape(cls: type) -> tuple[type, Any, Any] | bool:
    """``(cls, fields of a record as a tuple, the record again from that tuple)``; False
    for a class whose records are not just their fields (pickled as they are)."""
    from operator import attrgetter

    names = [a.name for a in attrs.fields(cls)] if attrs.has(cls) else []
    slots = [getattr(cls, name, None) for name in names]
    if (
        len(names) < 2
        or _record_plan(cls) is None
        or not all(hasattr(slot, "__set__") for slot in slots)
    ):
        return False
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = ["def rebuild(values):", "    record = new(cls)"]
    for index, slot in enumerate(slots):
        scope[f"s{index}"] = slot.__set__
        lines.append(f"    s{index}(record, values[{index}])")
    lines.append("    return record")
    exec("\n".join(lines), scope)  # our own code, from the class's fields
    return cls, attrgetter(*names), scope["rebuild"]


_SPILL_BLOCK = 256  # records written (and read back) together


def read_cohort_json(handle: Any, registry: Any, path: str | None = None, *, spill: bool = False):
    """:func:`cohort_from_json` of the JSON text ``handle`` reads, a record at a time:
    memory holds the records, never the whole text or all its values at once. With
    ``spill``, not even the records: each sheet's are :class:`SpilledRecords`, for a
    caller that only goes through them in order (writing them as a workbook).

    Raises :class:`kenshu.jsonstream.JsonSyntaxError` for text that is not JSON (with where), then
    :class:`JsonSurrogateError`, then :class:`JsonInputError` for JSON that is not a
    cohort, in that order, as reading the whole text first would.
    """
    stream = JsonStream(handle)
    problem: Exception | None = None  # not a cohort: said once the text is known to be JSON
    if stream.peek() != "{":
        value = stream.value()
        if stream.peek():
            raise stream.syntax_error("Extra data")
        if stream.surrogate:
            raise JsonSurrogateError
        return cohort_from_json(value, registry, path)  # says why it is not a cohort
    stream.pos += 1
    head: dict[str, Any] = {}  # everything but the lists of records
    pending: dict[str, list[Any]] = {}  # records met before the cohort and its programme
    builder: _CohortBuilder | None = None
    seen: set[str] = set()

    def starts() -> None:
        nonlocal builder, problem
        cohort = head.get("cohort")
        if not isinstance(cohort, dict):
            problem = JsonInputError(_NOT_A_COHORT)
            return
        builder = _CohortBuilder(registry, path, spill=spill)
        try:
            builder.start(head.get("programme"), cohort)
            for sheet in TABLE_SHEETS:
                for item in pending.pop(sheet, ()):
                    builder.add(sheet, item)
        except (JsonInputError, TypeError, ValueError, KeyError, AttributeError) as exc:
            problem = exc

    def add(sheet: str, item: Any) -> None:
        nonlocal problem
        if problem is not None:
            return
        if builder is None:
            pending.setdefault(sheet, []).append(item)
            return
        try:
            builder.add(sheet, item)
        except (JsonInputError, TypeError, ValueError, KeyError, AttributeError) as exc:
            problem = exc

    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            if stream.peek() != '"':
                raise stream.syntax_error("Expecting property name enclosed in double quotes")
            key = stream.value()
            stream.expect(":", "':' delimiter")
            if key in seen and problem is None:
                problem = JsonInputError(f'the key "{key}" appears twice')
            seen.add(key)
            if key in TABLE_SHEETS and stream.peek() == "[":
                stream.pos += 1
                if stream.peek() == "]":
                    stream.pos += 1
                else:
                    while True:
                        add(key, stream.value())
                        if stream.expect(",]", "',' delimiter") == "]":
                            break
            elif key in TABLE_SHEETS:
                items = stream.value() or []
                if not isinstance(items, list) and problem is None:
                    problem = JsonInputError(f'"{key}" must be a list of objects')
            else:
                head[key] = stream.value()
                if builder is None and problem is None and {"cohort", "programme"} <= seen:
                    starts()
            if stream.expect(",}", "',' delimiter") == "}":
                break
    if stream.peek():
        raise stream.syntax_error("Extra data")
    if stream.surrogate:
        raise JsonSurrogateError
    if builder is None and problem is None:
        starts()
    if problem is not None:
        raise problem
    assert builder is not None
    return builder.finish(head)
