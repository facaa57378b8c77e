"""Privacy: removing or masking personal and sensitive values (``--redact``).

Every field carries a sensitivity tag (:data:`kenshu.fields.SENSITIVITIES`): ``public``,
``personal`` (identifies a person) or ``sensitive`` (special-care data: date of birth,
passport number, health). The core tags its fields in :mod:`kenshu.catalogue`; a plugin
tags the fields it contributes. :func:`redact` returns a copy of a cohort in which:

* ``family_name`` and ``given_name`` are masked to initials (``Nguyen`` -> ``N.``), so a
  redacted list can still be read and sorted;
* every other personal or sensitive field is removed (``native_name``, ``name_kanji``,
  ``name_kana``, ``gender``, ``email``, a participant's ``notes``, ``date_of_birth``,
  ``passport_number``, ``health_notes``, an absence ``reason``, and plugins' such fields),
  including a value that could not be read and was kept verbatim;
* unclassified data is removed too, since nothing says it is safe: unknown columns, the
  Cohort sheet's unknown entries, unknown sheets and the title rows above a header.

Ids, dates of the programme and every public field are kept, so a redacted cohort still
validates and reports. :func:`redact_findings` withholds the message of a finding about a
redacted field (a message may quote the value). :class:`Redactions` says what was done,
for the stderr summary, a Redactions sheet and a ``redactions`` JSON key.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
from attrs import define, field, frozen
from kenshu.catalogue import SHEETS_BY_ID
from kenshu.dataset import TABLE_SHEETS, CohortData, RawSheet
from kenshu.model import Finding

if TYPE_CHECKING:
    from kenshu.fields import Field
    from kenshu.schema import Schema

#: Fields masked rather than removed: (sheet id, field id) -> action.
MASKED = {
    ("participants", "family_name"): "initials",
    ("participants", "given_name"): "initials",
}
REDACTIONS_SHEET = "Redactions"
REDACTIONS_HEADER = ("sheet", "field", "label", "values", "action")
_ACTIONS = {
    "initials": ("masked to initials", "イニシャルに置換"),
    "removed": ("removed", "削除"),
    "unclassified": ("removed (unclassified: not known to be safe)", "削除(分類されていない情報)"),
}
_WORD = re.compile(r"[^\s\-]+")


def initials(name: str) -> str:
    """``Maria Clara`` -> ``M. C.``: the first letter of each part of a name."""
    return " ".join(f"{part[0].upper()}." for part in _WORD.findall(name))


@frozen
class Redaction:
    """What happened to one field (or unknown column or sheet) of one sheet."""

    sheet: str  # sheet id, or the name of an unknown sheet
    field: str  # field id, or the header of an unknown column
    label: str
    label_ja: str
    sensitivity: str  # personal, sensitive or unclassified
    action: str  # initials, removed or unclassified
    values: int  # how many values were masked or removed


@define
class Redactions:
    """Everything :func:`redact` removed or masked, in the order found."""

    items: list[Redaction] = field(factory=list)

    def __bool__(self) -> bool:
        return bool(self.items)

    def rows(self, lang: str = "en") -> list[list[Any]]:
        """Rows under :data:`REDACTIONS_HEADER` for a Redactions sheet."""
        index = 1 if lang == "ja" else 0
        return [
            [
                _sheet_name(item.sheet, lang),
                item.field,
                item.label_ja if lang == "ja" else item.label,
                item.values,
                _ACTIONS[item.action][index],
            ]
            for item in self.items
        ]

    def as_json(self) -> list[dict[str, Any]]:
        """The ``redactions`` key of JSON output."""
        return [
            {
                "sheet": item.sheet,
                "field": item.field,
                "label": item.label,
                "sensitivity": item.sensitivity,
                "action": item.action,
                "values": item.values,
            }
            for item in self.items
        ]

    def summary(self, lang: str = "en") -> str:
        """One line for stderr: what was masked and removed, with counts."""
        if not self.items:
            return (
                "--redact: 個人情報の値はありませんでした"
                if lang == "ja"
                else "--redact: no personal or sensitive values to remove"
            )
        parts = []
        for action in ("initials", "removed", "unclassified"):
            group = [i for i in self.items if i.action == action]
            if not group:
                continue
            if lang == "ja":
                names = "、".join(f"{i.label_ja}({i.values}件)" for i in group)
                parts.append(f"{_ACTIONS[action][1]}: {names}")
            else:
                names = ", ".join(f"{i.label} ({i.values})" for i in group)
                parts.append(f"{_ACTIONS[action][0]}: {names}")
        return "--redact: " + ("。".join(parts) if lang == "ja" else "; ".join(parts))

    def sheet(self, lang: str = "en") -> RawSheet:
        """The Redactions sheet to write into a cohort workbook (kept as an unknown sheet)."""
        rows = [list(REDACTIONS_HEADER), *self.rows(lang)]
        return RawSheet(REDACTIONS_SHEET, [(n, row) for n, row in enumerate(rows, start=1)])


def _sheet_name(sheet: str, lang: str) -> str:
    spec = SHEETS_BY_ID.get(sheet)
    return spec.name_in(lang) if spec else sheet


def protected_fields(schema: Schema, sheet_id: str) -> list[Field]:
    """The personal and sensitive fields of a sheet (core and plugins')."""
    return [f for f in schema.fields.get(sheet_id, ()) if f.sensitivity != "public"]


def redact(data: CohortData, schema: Schema) -> tuple[CohortData, Redactions]:
    """A copy of ``data`` with personal, sensitive and unclassified values removed or masked
    (see the module's description), and what was done. ``data`` is left unchanged."""
    counts: Counter[tuple[str, str]] = Counter()
    unknown_counts: Counter[tuple[str, str]] = Counter()
    out = copy.copy(data)
    mapping: dict[int, int] = {}  # id(old record) -> id(new record), for positions

    if data.cohort is not None:
        out.cohort = _redact_record(data.cohort, "cohort", schema, counts, unknown_counts)
    out.cohort_fallback = _redact_values(
        data.cohort_fallback, "cohort", schema, counts, unknown_counts
    )
    for sheet_id in TABLE_SHEETS:
        records = []
        for record in data.records(sheet_id):
            new = _redact_record(record, sheet_id, schema, counts, unknown_counts)
            mapping[id(record)] = id(new)
            records.append(new)
        setattr(out, sheet_id, records)
    out.unkeyed_rows = {
        sheet_id: [_redact_values(row, sheet_id, schema, counts, unknown_counts) for row in rows]
        for sheet_id, rows in data.unkeyed_rows.items()
    }
    # positions (for findings raised on the copy) and look-up caches follow the new records
    out._rows = {mapping.get(key, key): where for key, where in data._rows.items()}
    out._cohort_rows = dict(data._cohort_rows)
    out.records_changed()
    out.unknown_columns = {}
    out.preambles = {}
    out.unknown_sheets = []
    out.layouts = dict(data.layouts)
    out.metadata = dict(data.metadata)
    out.settings = dict(data.settings)

    redactions = Redactions()
    for sheet_id in ("cohort", *TABLE_SHEETS):
        for f in protected_fields(schema, sheet_id):
            if counts[(sheet_id, f.id)]:
                redactions.items.append(
                    Redaction(
                        sheet_id,
                        f.id,
                        f.label,
                        f.label_ja or f.label,
                        f.sensitivity,
                        MASKED.get((sheet_id, f.id), "removed"),
                        counts[(sheet_id, f.id)],
                    )
                )
        for (sheet, header), number in unknown_counts.items():
            if sheet == sheet_id:
                redactions.items.append(
                    Redaction(
                        sheet_id, header, header, header, "unclassified", "unclassified", number
                    )
                )
    for sheet_id, rows in data.preambles.items():
        cells = sum(1 for _, values in rows for value in values if value is not None)
        if cells:
            redactions.items.append(
                Redaction(
                    sheet_id,
                    "(title rows)",
                    "rows above the header",
                    "見出し行より上の行",
                    "unclassified",
                    "unclassified",
                    cells,
                )
            )
    for raw in data.unknown_sheets:
        cells = sum(1 for _, values in raw.rows for value in values if value is not None)
        redactions.items.append(
            Redaction(
                raw.name,
                "(sheet)",
                f"unknown sheet {raw.name!r}",
                f"不明なシート「{raw.name}」",
                "unclassified",
                "unclassified",
                cells,
            )
        )
    return out, redactions


def _redact_record(
    record: Any,
    sheet_id: str,
    schema: Schema,
    counts: Counter[tuple[str, str]],
    unknown_counts: Counter[tuple[str, str]],
) -> Any:
    changes: dict[str, Any] = {}
    extra = dict(record.extra)
    invalid = dict(record.invalid)
    for f in protected_fields(schema, sheet_id):
        core = f.source == "core"
        value = getattr(record, f.id, None) if core else extra.get(f.id)
        if value is None and f.id not in invalid:
            continue
        counts[(sheet_id, f.id)] += 1
        invalid.pop(f.id, None)
        masked = _mask(sheet_id, f.id, value)
        if core:
            changes[f.id] = masked
        elif masked is None:
            extra.pop(f.id, None)
        else:
            extra[f.id] = masked
    for header, value in record.unknown.items():
        if value is not None:
            unknown_counts[(sheet_id, header)] += 1
    return attrs.evolve(record, **changes, extra=extra, invalid=invalid, unknown={})


def _redact_values(
    values: dict[str, Any],
    sheet_id: str,
    schema: Schema,
    counts: Counter[tuple[str, str]],
    unknown_counts: Counter[tuple[str, str]],
) -> dict[str, Any]:
    """A ``{field id or header: value}`` row (unkeyed rows, the Cohort fallback) redacted."""
    known = {f.id: f for f in schema.fields.get(sheet_id, ())}
    kept: dict[str, Any] = {}
    for key, value in values.items():
        f = known.get(key)
        if f is None:
            if value is not None:
                unknown_counts[(sheet_id, key)] += 1
            continue
        if f.sensitivity == "public":
            kept[key] = value
            continue
        if value is not None:
            counts[(sheet_id, key)] += 1
            masked = _mask(sheet_id, key, value)
            if masked is not None:
                kept[key] = masked
    return kept


def _mask(sheet_id: str, field_id: str, value: Any) -> Any:
    """The masked value of a protected field, or None when it is removed."""
    if MASKED.get((sheet_id, field_id)) == "initials" and isinstance(value, str):
        return initials(value) or None
    return None


def redact_findings(findings: Iterable[Finding], schema: Schema) -> list[Finding]:
    """Findings with the message withheld where it concerns a protected field (or an
    unknown column, whose value is unclassified): a message may quote the value."""
    protected: dict[str, Field] = {}
    known: set[str] = set()
    for fields in schema.fields.values():
        for f in fields:
            known.add(f.id)
            if f.sensitivity != "public":
                protected.setdefault(f.id, f)
    out = []
    for finding in findings:
        field_id = finding.field_id
        if field_id is None or (field_id in known and field_id not in protected):
            out.append(finding)
            continue
        f = protected.get(field_id)
        label, label_ja = (f.label, f.label_ja or f.label) if f else (field_id, field_id)
        out.append(
            attrs.evolve(
                finding,
                message=f"{label}: the value is withheld (--redact); see the original workbook",
                message_ja=f"{label_ja}: 値は秘匿しています(--redact)。元のブックを確認してください",
            )
        )
    return out
