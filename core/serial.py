"""JSON for cohorts and reports, through cattrs.

A cohort's JSON holds every record with its fields by id (plugin fields beside core ones),
``_unknown`` for unknown columns and ``_invalid`` for values that could not be converted,
so that ``kenshu convert`` is lossless both ways. Dates are ISO 8601 strings; an unknown
column's date is ``{"$date": "..."}`` so that it comes back as a date.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

import attrs
import cattrs
from kenshu.catalogue import RECORDS, SHEETS_BY_ID
from kenshu.dataset import TABLE_SHEETS, CohortData, RawSheet
from kenshu.model import Finding
from kenshu.workbook.convert import convert, converter_for

FORMAT = "kenshu-cohort/1"
_BAGS = ("extra", "unknown", "invalid")


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


def record_to_json(record: Any) -> dict[str, Any]:
    """A record as ``{field id: value, ..., "_unknown": {...}, "_invalid": {...}}``."""
    raw = converter().unstructure(record)
    out = {k: v for k, v in raw.items() if k not in _BAGS and v not in (None, [], ())}
    for key, value in record.extra.items():
        out[key] = converter().unstructure(value)
    if record.unknown:
        out["_unknown"] = {k: plain(v) for k, v in record.unknown.items()}
    if record.invalid:
        out["_invalid"] = {k: plain(v) for k, v in record.invalid.items()}
    return out


def cohort_to_json(
    data: CohortData, programme_plugins: dict[str, str] | None = None
) -> dict[str, Any]:
    """The whole cohort as a JSON-ready dictionary."""
    out: dict[str, Any] = {"format": FORMAT, "programme": data.programme_code}
    out["cohort"] = (
        record_to_json(data.cohort)
        if data.cohort
        else {k: plain(v) for k, v in data.cohort_fallback.items()}
    )
    for sheet in TABLE_SHEETS:
        out[sheet] = [record_to_json(r) for r in data.records(sheet)]
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
    if data.unknown_columns:
        out["unknown_columns"] = {k: v for k, v in data.unknown_columns.items() if v}
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
    return json.dumps(payload, ensure_ascii=False, indent=2, default=_default) + "\n"


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
    cohort = _record_from_json("cohort", cohort_raw, schema, findings, data, 0)
    if cohort is None:
        data.cohort_fallback = {k: unplain(v) for k, v in cohort_raw.items()}
    else:
        data.cohort = cohort
    for sheet in TABLE_SHEETS:
        items = payload.get(sheet) or []
        if not isinstance(items, list):
            raise JsonInputError(f'"{sheet}" must be a list of objects')
        target = data.records(sheet)
        for index, item in enumerate(items):
            record = _record_from_json(sheet, item, schema, findings, data, index)
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
        data.unknown_sheets.append(
            RawSheet(
                sheet["name"],
                [(int(n), [unplain(v) for v in values]) for n, values in sheet.get("rows", [])],
                hidden=bool(sheet.get("hidden")),
            )
        )
    return data, findings, schema


def _record_from_json(
    sheet: str, item: Any, schema: Any, findings: list[Finding], data: CohortData, index: int
):
    label = SHEETS_BY_ID[sheet].label
    if not isinstance(item, dict):
        raise JsonInputError(f"{label} item {index + 1} is not an object")
    core: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    invalid = {k: unplain(v) for k, v in (item.get("_invalid") or {}).items()}
    unknown = {k: unplain(v) for k, v in (item.get("_unknown") or {}).items()}
    for key, value in item.items():
        if key in ("_unknown", "_invalid") or value is None:
            continue
        f = schema.field(sheet, key)
        if f is None:
            unknown[key] = unplain(value)
            continue
        if isinstance(value, list):
            value = ";".join(str(v) for v in value)
        typed, problem = convert(converter_for(f), value)
        if problem:
            invalid[key] = value
            findings.append(
                Finding(
                    code="core.invalid-value",
                    severity="error",
                    message=f"{label} item {index + 1}, {f.label}: {problem}",
                    sheet=label,
                    field_id=key,
                )
            )
        elif typed is not None:
            (core if f.source == "core" else extra)[key] = typed
    key = SHEETS_BY_ID[sheet].key or ("participant_id" if sheet == "attendance" else None)
    if sheet == "cohort":
        if "programme" not in core or "cohort_id" not in core:
            findings.append(
                Finding(
                    code="core.missing-required",
                    severity="error",
                    message="the cohort needs programme and cohort_id",
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
                sheet=label,
            )
        )
        data.unkeyed_rows.setdefault(sheet, []).append({**core, **extra, **unknown, **invalid})
        return None
    return converter().structure(
        {**core, "extra": extra, "unknown": unknown, "invalid": invalid}, RECORDS[sheet]
    )
