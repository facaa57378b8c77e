"""Writing cohort workbooks: templates, exports and annotated copies, streamed.

One writer serves all three: a template is an export of an empty cohort. It writes labelled
headers in the chosen language with help as comments, dropdowns for choice and yes/no
fields (lists on a hidden sheet), text-formatted code columns, a frozen header row, the
hidden ``_kenshu`` metadata sheet, then every unknown column and sheet as it was read.
User text is always written as text: a value starting with ``=`` never becomes a formula.
Cells are written by :mod:`kenshu.workbook.xlsxwrite` (XlsxWriter, a row in memory at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kenshu.catalogue import SHEETS_BY_ID
from kenshu.dataset import CohortData
from kenshu.fields import Field
from kenshu.model import Finding
from kenshu.schema import Schema
from kenshu.wareki import format_date
from kenshu.workbook.cells import column_letter
from kenshu.workbook.load import LISTS_SHEET, METADATA_SHEET
from kenshu.workbook.xlsxwrite import (
    Cell,
    Style,
    XlsxBook,
    XlsxSheet,
    escape_text,
    safe_value,
    sheet_title,
    xlsx_workbook,
)

__all__ = [
    "escape_text",
    "safe_value",
    "sensitivity_note",
    "sheet_title",
    "write_cohort_workbook",
]

FORMAT_VERSION = "1"
TEMPLATE_ROWS = 500  # rows that dropdowns and formats cover beyond the data
_FILL_ERROR = "FFF4C7C3"
_FILL_WARNING = "FFFCE8B2"
_HEADER_FILL = "FFDDE7F3"
#: Header fills that mark columns of personal and sensitive data (see kenshu.privacy).
_HEADER_FILL_PERSONAL = "FFFCE4D6"
_HEADER_FILL_SENSITIVE = "FFF4B084"
_BOLD = Style(bold=True)


def write_cohort_workbook(
    path: str | Path,
    data: CohortData,
    schema: Schema,
    *,
    lang: str = "en",
    plugin_versions: Mapping[str, str] | None = None,
    findings: Iterable[Finding] | None = None,
    findings_sheet: bool = True,
    date_style: str = "iso",
) -> None:
    """Write ``data`` as a cohort workbook at ``path`` (atomically).

    ``date_style="wareki"`` writes the values of date fields as Japanese-era text
    (令和6年5月12日), which the reader reads back to the same dates.

    ``findings`` (for ``--annotate``) colours the cells they name and adds their messages
    as comments, plus a Findings sheet unless ``findings_sheet`` is false (``merge`` writes
    its own Conflicts sheet). A finding whose ``field_id`` is an unknown column's header
    marks that column's cell.
    """
    writer = _Writer(data, schema, lang, list(findings or ()))
    writer.findings_sheet = findings_sheet
    writer.date_style = date_style
    with xlsx_workbook(path) as book:
        writer.wb = book
        writer.write_all(plugin_versions or {})


class _Writer:
    wb: XlsxBook

    def __init__(
        self, data: CohortData, schema: Schema, lang: str, findings: list[Finding]
    ) -> None:
        self.data = data
        self.schema = schema
        self.lang = lang
        self.lists: list[tuple[str, list[str]]] = []  # (list name, values) for dropdowns
        self.marks = self._index_findings(findings)
        self.findings = findings
        self.findings_sheet = True
        self.date_style = "iso"

    # -- findings -> cells ---------------------------------------------------------

    def _index_findings(
        self, findings: list[Finding]
    ) -> dict[tuple[str, int | None, str | None], list[Finding]]:
        """Map findings to (sheet id, record identity, field id) so they can be drawn on
        the regenerated workbook, whose rows may differ from the input's."""
        if not findings:
            return {}
        by_position: dict[tuple[str, int], Any] = {}
        for _sheet_id, record in self.data.all_records():
            where = self.data._rows.get(id(record))
            if where:
                by_position[where] = record
        marks: dict[tuple[str, int | None, str | None], list[Finding]] = {}
        layouts = {layout.name: sid for sid, layout in self.data.layouts.items()}
        for finding in findings:
            sheet_id = layouts.get(finding.sheet or "")
            if sheet_id is None or finding.field_id is None:
                continue
            if sheet_id == "cohort":
                marks.setdefault(("cohort", None, finding.field_id), []).append(finding)
                continue
            record = by_position.get((sheet_id, finding.row or -1))
            if record is not None:
                marks.setdefault((sheet_id, id(record), finding.field_id), []).append(finding)
        return marks

    def _marked(self, value: Any, found: list[Finding]) -> Cell:
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        colour = _FILL_ERROR if worst == "error" else _FILL_WARNING
        text = "\n".join(f"[{f.severity}] {f.message_in(self.lang)} ({f.code})" for f in found)
        return Cell(safe_value(value), Style(fill=colour), text[:30000], size=(320, 140))

    # -- sheets ------------------------------------------------------------------

    def write_all(self, plugin_versions: Mapping[str, str]) -> None:
        self._cohort_sheet()
        for sheet_id in self.schema.template_sheets():
            self._table_sheet(sheet_id)
        for sheet_id in ("follow_ups", "attendance"):
            # sheets the programme does not use are still written when they hold data
            if sheet_id not in self.schema.template_sheets() and (
                self.data.records(sheet_id) or sheet_id in self.data.unkeyed_rows
            ):
                self._table_sheet(sheet_id)
        if self.data.settings or "settings" in (
            self.schema.programme.sheets if self.schema.programme else ()
        ):
            self._settings_sheet()
        for raw in self.data.unknown_sheets:
            ws = self.wb.sheet(raw.name, hidden=raw.hidden)
            last = 0
            for number, values in raw.rows:
                for _ in range(last + 1, number):
                    ws.append([])
                ws.append(values)
                last = number
        if self.findings and self.findings_sheet:
            self._findings_sheet()
        self._lists_sheet()
        self._metadata_sheet(plugin_versions)

    def _header_cell(self, f: Field) -> Cell:
        fill = {"personal": _HEADER_FILL_PERSONAL, "sensitive": _HEADER_FILL_SENSITIVE}.get(
            f.sensitivity, _HEADER_FILL
        )
        help_text = (f.help_ja or f.help) if self.lang == "ja" else f.help
        extra = []
        if self.schema.required(f.sheet, f.id):
            extra.append("必須" if self.lang == "ja" else "Required.")
        if f.sensitivity != "public":
            extra.append(sensitivity_note(f.sensitivity, self.lang))
        extra.append(f"id: {f.id}")
        comment = " ".join([help_text, *extra])
        return Cell(f.label_in(self.lang), Style(bold=True, fill=fill), comment, size=(260, 110))

    def _cohort_sheet(self) -> None:
        spec = SHEETS_BY_ID["cohort"]
        ws = self.wb.sheet(spec.name_in(self.lang))
        ws.column(0, width=26)
        ws.column(1, width=40)
        header = [
            Cell("項目" if self.lang == "ja" else "Field", _BOLD),
            Cell("値" if self.lang == "ja" else "Value", _BOLD),
        ]
        above = self._rows_above("cohort")
        ws.freeze(len(above) + 1)
        for values in above:
            ws.append(values)
        ws.append(header)
        cohort = self.data.cohort
        fallback = self.data.cohort_fallback
        validations: dict[str, list[str]] = {}
        row = len(above) + 1
        for f in self.schema.fields["cohort"]:
            row += 1
            if cohort is not None:
                value = cohort.invalid.get(f.id, self.data.value(cohort, f.id))
            else:
                value = fallback.get(f.id)
            if f.type == "date" and self.date_style != "iso":
                value = format_date(value, self.date_style)
            found = self.marks.get(("cohort", None, f.id))
            ws.append([self._header_cell(f), self._marked(value, found) if found else value])
            if f.type in ("choice", "yes_no"):
                validations.setdefault(self._list_for(f), []).append(f"B{row}")
        unknown = cohort.unknown if cohort is not None else {}
        for label, value in unknown.items():
            found = self.marks.get(("cohort", None, label))
            ws.append([label, self._marked(value, found) if found else value])
        for list_ref, cells in validations.items():
            self._dropdown(ws, list_ref, " ".join(cells))

    def _table_sheet(self, sheet_id: str) -> None:
        spec = SHEETS_BY_ID[sheet_id]
        ws = self.wb.sheet(spec.name_in(self.lang))
        fields = self.schema.fields[sheet_id]
        unknown_headers = list(self.data.unknown_columns.get(sheet_id, []))
        records = self.data.records(sheet_id)
        met = getattr(records, "unknown_headers", None)  # known without going through them
        for header in met if met is not None else (h for r in records for h in r.unknown):
            if header not in unknown_headers:
                unknown_headers.append(header)
        header: list[Any] = [self._header_cell(f) for f in fields]
        unknown_style = Style(bold=True, italic=True)
        header += [Cell(text, unknown_style) for text in unknown_headers]
        for index, f in enumerate(fields):
            width = 14 if f.type in ("date", "integer", "number", "choice", "yes_no") else 20
            number_format = None
            if f.type in ("code", "text", "kana", "list", "email", "country", "country_list"):
                number_format = "@"  # keeps leading zeros typed in
            elif f.type == "date":
                wareki = self.date_style == "wareki"  # era dates are text
                number_format = "@" if wareki else "yyyy-mm-dd"
            width = max(width, min(40, len(f.label_in(self.lang)) + 4))
            ws.column(index, width=width, number_format=number_format)
        above = self._rows_above(sheet_id)
        header_row = len(above) + 1
        ws.freeze(header_row)
        for values in above:
            ws.append(values)
        ws.append(header)
        core = [f.source == "core" for f in fields]
        ids = [f.id for f in fields]
        marks = self.marks
        styled = (
            [i for i, f in enumerate(fields) if f.type == "date"]
            if self.date_style != "iso"
            else []
        )
        if not marks:  # the common case, cell for cell the same rows as below, faster
            self._plain_rows(ws, fields, records, unknown_headers, styled)
            records = []
        for record in records:
            invalid, extra, unknown = record.invalid, record.extra, record.unknown
            row = []
            for field_id, is_core in zip(ids, core, strict=True):
                if field_id in invalid:
                    value = invalid[field_id]
                elif is_core:
                    value = getattr(record, field_id)
                else:
                    value = extra.get(field_id)
                if marks:
                    found = marks.get((sheet_id, id(record), field_id))
                    if found:
                        row.append(self._marked(value, found))
                        continue
                row.append(value)
            if marks:  # unknown columns can be marked too (merge conflicts)
                for h in unknown_headers:
                    found = marks.get((sheet_id, id(record), h))
                    row.append(self._marked(unknown.get(h), found) if found else unknown.get(h))
            else:
                row.extend(unknown.get(h) for h in unknown_headers)
            for index in styled:
                row[index] = format_date(row[index], self.date_style)
            ws.append(row)
        for kept in self.data.unkeyed_rows.get(sheet_id, []):
            row = [kept.get(field_id) for field_id in ids] + [kept.get(h) for h in unknown_headers]
            ws.append(row)
        last_row = header_row + max(
            len(self.data.records(sheet_id)) + len(self.data.unkeyed_rows.get(sheet_id, [])),
            TEMPLATE_ROWS,
        )
        for index, f in enumerate(fields, start=1):
            if f.type in ("choice", "yes_no"):
                letter = column_letter(index)
                cells = f"{letter}{header_row + 1}:{letter}{last_row}"
                self._dropdown(ws, self._list_for(f), cells)

    def _plain_rows(
        self,
        ws: XlsxSheet,
        fields: list[Field],
        records: list[Any],
        unknown_headers: list[str],
        styled: list[int],
    ) -> None:
        """The rows of ``records`` when no cell is marked: core values fetched all at once
        (this loop writes every row of a large cohort)."""
        from operator import attrgetter

        core = [(i, f.id) for i, f in enumerate(fields) if f.source == "core"]
        extra_ids = [(i, f.id) for i, f in enumerate(fields) if f.source != "core"]
        positions: dict[str, list[int]] = {}
        for index, f in enumerate(fields):
            positions.setdefault(f.id, []).append(index)
        leading = [i for i, _ in core] == list(range(len(core)))  # core fields first
        fetch = attrgetter(*(name for _, name in core)) if core else None
        width = len(fields)
        for record in records:
            if fetch is None:
                row: list[Any] = [None] * width
            else:
                found = fetch(record)
                found = found if len(core) > 1 else (found,)
                if leading:
                    row = [*found, *([None] * (width - len(core)))]
                else:
                    row = [None] * width
                    for (index, _), value in zip(core, found, strict=True):
                        row[index] = value
            if extra_ids:
                extra = record.extra
                for index, field_id in extra_ids:
                    row[index] = extra.get(field_id)
            if record.invalid:  # values kept as they were read win, as in the loop above
                for field_id, value in record.invalid.items():
                    for index in positions.get(field_id, ()):
                        row[index] = value
            if unknown_headers:
                unknown = record.unknown
                row.extend([unknown.get(h) for h in unknown_headers])
            for index in styled:
                row[index] = format_date(row[index], self.date_style)
            ws.append(row)

    def _rows_above(self, sheet_id: str) -> list[list[Any]]:
        """The rows read above a sheet's header (titles, notes), at their original spacing."""
        rows: list[list[Any]] = []
        for number, values in self.data.preambles.get(sheet_id, []):
            while len(rows) < number - 1:
                rows.append([])
            rows.append(values)
        layout = self.data.layouts.get(sheet_id)
        if rows and layout is not None and layout.header_row:
            while len(rows) < layout.header_row - 1:
                rows.append([])
        return rows

    def _settings_sheet(self) -> None:
        ws = self.wb.sheet(SHEETS_BY_ID["settings"].name_in(self.lang))
        fields = self.schema.fields["settings"]
        ws.append([self._header_cell(f) for f in fields])
        ws.column(0, width=28)
        ws.column(1, width=20)
        for key, value in self.data.settings.items():
            ws.append([key, value])

    def _findings_sheet(self) -> None:
        ws = self.wb.sheet("Findings")
        header = ["severity", "code", "message", "sheet", "cell", "subject", "source"]
        ws.freeze(1)
        ws.append([Cell(h, _BOLD) for h in header])
        ws.column(2, width=80)
        for f in self.findings:
            ws.append(
                [f.severity, f.code, f.message_in(self.lang), f.sheet, f.cell, f.subject, f.source]
            )

    # -- dropdown lists ------------------------------------------------------------

    def _list_for(self, f: Field) -> str:
        values = list(f.choices) if f.type == "choice" else ["yes", "no"]
        for index, (_, existing) in enumerate(self.lists, start=1):
            if existing == values:
                return self._list_ref(index, len(values))
        self.lists.append((f.id, values))
        return self._list_ref(len(self.lists), len(values))

    @staticmethod
    def _list_ref(index: int, length: int) -> str:
        letter = column_letter(index)
        return f"{LISTS_SHEET}!${letter}$2:${letter}${length + 1}"

    def _dropdown(self, ws: XlsxSheet, list_ref: str, cells: str) -> None:
        ws.dropdown(cells, list_ref)  # other spellings (female, 女) are accepted on reading

    def _lists_sheet(self) -> None:
        ws = self.wb.sheet(LISTS_SHEET, hidden=True)
        if not self.lists:
            return
        ws.append([name for name, _ in self.lists])
        depth = max(len(values) for _, values in self.lists)
        for index in range(depth):
            ws.append([values[index] if index < len(values) else None for _, values in self.lists])

    def _metadata_sheet(self, plugin_versions: Mapping[str, str]) -> None:
        from kenshu import __version__

        ws = self.wb.sheet(METADATA_SHEET, hidden=True)
        programme = self.schema.programme
        rows: list[tuple[str, Any]] = [
            ("format", "kenshu-cohort"),
            ("format_version", FORMAT_VERSION),
            ("programme", programme.code if programme else self.data.programme_code),
            ("kenshu_version", __version__),
            ("language", self.lang),
        ]
        rows += [(f"plugin:{name}", version) for name, version in sorted(plugin_versions.items())]
        for key, value in rows:
            ws.append([key, value])


def sensitivity_note(sensitivity: str, lang: str = "en") -> str:
    """The note a header's comment carries for a personal or sensitive field."""
    if lang == "ja":
        if sensitivity == "sensitive":
            return "【要配慮個人情報】取り扱いに特に注意してください(--redact で除かれます)。"
        return "【個人情報】取り扱いに注意してください(--redact で除かれるか伏せられます)。"
    if sensitivity == "sensitive":
        return "Sensitive data: handle with special care (removed by --redact)."
    return "Personal data: handle with care (removed or masked by --redact)."
