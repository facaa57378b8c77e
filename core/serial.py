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
from typing import Any

import attrs
import cattrs
from kenshu.catalogue import RECORDS, SHEETS_BY_ID
from kenshu.dataset import TABLE_SHEETS, CohortData, RawSheet
from kenshu.model import Finding
from kenshu.workbook.convert import convert, converter_for
from kenshu.workbook.load import record_factory

FORMAT = "kenshu-cohort/1"
_BAGS = ("extra", "unknown", "invalid")
_INFINITY = float("inf")


@lru_cache(maxsize=1)
def converter() -> cattrs.Converter:
    """The cattrs converter: ISO dates, tuples as lists."""
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

    Returns ``(CohortData, findings, schema)`` like the workbook reader.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("cohort"), dict):
        raise JsonInputError('not a kenshu cohort: expected an object with a "cohort" object')
    data = CohortData(path=path)
    cohort_raw = payload["cohort"]
    code = payload.get("programme") or cohort_raw.get("programme")
    programme = registry.programme(code if isinstance(code, str) else None)
    schema = registry.schema(programme)
    findings: list[Finding] = []
    if code:
        data.metadata["programme"] = code
    plans = {sheet: _field_plan(schema, sheet) for sheet in ("cohort", *TABLE_SHEETS)}
    cohort = _record_from_json("cohort", cohort_raw, schema, findings, data, 0, plans["cohort"])
    if cohort is None:
        data.cohort_fallback = {k: unplain(v) for k, v in cohort_raw.items()}
    else:
        data.cohort = cohort
    for sheet in TABLE_SHEETS:
        items = payload.get(sheet) or []
        if not isinstance(items, list):
            raise JsonInputError(f'"{sheet}" must be a list of objects')
        target = data.records(sheet)
        plan = plans[sheet]
        for index, item in enumerate(items):
            record = _record_from_json(sheet, item, schema, findings, data, index, plan)
            if record is not None:
                target.append(record)
    settings = payload.get("settings") or {}
    if not isinstance(settings, dict):
        raise JsonInputError('"settings" must be an object')
    data.settings = {k: unplain(v) for k, v in settings.items()}
    data.unkeyed_rows = {
        sheet: [{k: unplain(v) for k, v in row.items()} for row in rows]
        for sheet, rows in (payload.get("unkeyed_rows") or {}).items()
    }
    data.unknown_columns = {k: list(v) for k, v in (payload.get("unknown_columns") or {}).items()}
    data.preambles = {
        sheet: [(int(n), [unplain(v) for v in values]) for n, values in rows]
        for sheet, rows in (payload.get("preambles") or {}).items()
    }
    for sheet in payload.get("unknown_sheets") or []:
        if not isinstance(sheet, dict) or not isinstance(sheet.get("name"), str):
            raise JsonInputError('each of "unknown_sheets" must be an object with a "name" text')
        data.unknown_sheets.append(
            RawSheet(
                sheet["name"],
                [(int(n), [unplain(v) for v in values]) for n, values in sheet.get("rows", [])],
                hidden=bool(sheet.get("hidden")),
            )
        )
    return data, findings, schema


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
