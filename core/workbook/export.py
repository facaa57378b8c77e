"""Writing cohort workbooks: templates, exports and annotated copies, streamed.

One writer serves all three: a template is an export of an empty cohort. It writes labelled
headers in the chosen language with help as comments, dropdowns for choice and yes/no
fields (lists on a hidden sheet), text-formatted code columns, a frozen header row, the
hidden ``_kenshu`` metadata sheet, then every unknown column and sheet as it was read.
User text is always written as text: a value starting with ``=`` never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kenshu.atomic import atomic_path
from kenshu.catalogue import SHEETS_BY_ID
from kenshu.dataset import CohortData
from kenshu.fields import Field
from kenshu.model import Finding
from kenshu.schema import Schema
from kenshu.workbook.cells import column_letter
from kenshu.workbook.load import LISTS_SHEET, METADATA_SHEET

FORMAT_VERSION = "1"
TEMPLATE_ROWS = 500  # rows that dropdowns and formats cover beyond the data
_FILL_ERROR = "FFF4C7C3"
_FILL_WARNING = "FFFCE8B2"
_HEADER_FILL = "FFDDE7F3"


def write_cohort_workbook(
    path: str | Path,
    data: CohortData,
    schema: Schema,
    *,
    lang: str = "en",
    plugin_versions: Mapping[str, str] | None = None,
    findings: Iterable[Finding] | None = None,
) -> None:
    """Write ``data`` as a cohort workbook at ``path`` (atomically).

    ``findings`` (for ``--annotate``) colours the cells they name and adds their messages
    as comments, plus a Findings sheet.
    """
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    writer = _Writer(workbook, data, schema, lang, list(findings or ()))
    writer.write_all(plugin_versions or {})
    with atomic_path(path) as temporary:
        workbook.save(temporary)


def safe_value(value: Any) -> Any:
    """A value ready for a cell: tuples joined with ``;``, times as text."""
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def text_cell(ws: Any, value: Any):
    """A write-only cell that holds ``value`` literally (strings never become formulas)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def safe_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``ws.append``: plain values, except strings that would be formulas."""
    row = []
    for value in values:
        value = safe_value(value)
        if isinstance(value, str) and value.startswith("="):
            row.append(text_cell(ws, value))
        else:
            row.append(value)
    return row


class _Writer:
    def __init__(
        self, workbook: Any, data: CohortData, schema: Schema, lang: str, findings: list[Finding]
    ) -> None:
        self.wb = workbook
        self.data = data
        self.schema = schema
        self.lang = lang
        self.lists: list[tuple[str, list[str]]] = []  # (list name, values) for dropdowns
        self.marks = self._index_findings(findings)
        self.findings = findings

    # -- findings -> cells ---------------------------------------------------------

    def _index_findings(
        self, findings: list[Finding]
    ) -> dict[tuple[str, int | None, str | None], list[Finding]]:
        """Map findings to (sheet id, record identity, field id) so they can be drawn on
        the regenerated workbook, whose rows may differ from the input's."""
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

    def _marked(self, ws: Any, value: Any, found: list[Finding]):
        from openpyxl.comments import Comment
        from openpyxl.styles import PatternFill

        cell = text_cell(ws, safe_value(value))
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        colour = _FILL_ERROR if worst == "error" else _FILL_WARNING
        cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
        text = "\n".join(f"[{f.severity}] {f.message} ({f.code})" for f in found)
        cell.comment = Comment(text[:30000], "kenshu", width=320, height=140)
        return cell

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
            ws = self.wb.create_sheet(raw.name[:31])
            if raw.hidden:
                ws.sheet_state = "hidden"
            last = 0
            for number, values in raw.rows:
                for _ in range(last + 1, number):
                    ws.append([])
                ws.append(safe_row(ws, values))
                last = number
        if self.findings:
            self._findings_sheet()
        self._lists_sheet()
        self._metadata_sheet(plugin_versions)

    def _header_cell(self, ws: Any, f: Field):
        from openpyxl.comments import Comment
        from openpyxl.styles import Font, PatternFill

        cell = text_cell(ws, f.label_in(self.lang))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color=_HEADER_FILL, end_color=_HEADER_FILL)
        help_text = (f.help_ja or f.help) if self.lang == "ja" else f.help
        extra = []
        if self.schema.required(f.sheet, f.id):
            extra.append("必須" if self.lang == "ja" else "Required.")
        if f.sensitivity != "public":
            extra.append(
                ("個人情報" if f.sensitivity == "personal" else "要配慮個人情報")
                if self.lang == "ja"
                else f"{f.sensitivity.capitalize()} data: handle with care."
            )
        extra.append(f"id: {f.id}")
        cell.comment = Comment(" ".join([help_text, *extra]), "kenshu", width=260, height=110)
        return cell

    def _cohort_sheet(self) -> None:
        from openpyxl.styles import Font

        spec = SHEETS_BY_ID["cohort"]
        ws = self.wb.create_sheet(spec.name_in(self.lang))
        ws.column_dimensions["A"].width = 26
        ws.column_dimensions["B"].width = 40
        header = [
            text_cell(ws, "項目" if self.lang == "ja" else "Field"),
            text_cell(ws, "値" if self.lang == "ja" else "Value"),
        ]
        for cell in header:
            cell.font = Font(bold=True)
        above = self._rows_above("cohort")
        # before the first row: a write-only sheet streams its views then
        ws.freeze_panes = f"A{len(above) + 2}"
        for values in above:
            ws.append(safe_row(ws, values))
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
            found = self.marks.get(("cohort", None, f.id))
            value_cell = self._marked(ws, value, found) if found else self._plain_cell(ws, value)
            ws.append([self._header_cell(ws, f), value_cell])
            if f.type in ("choice", "yes_no"):
                validations.setdefault(self._list_for(f), []).append(f"B{row}")
        unknown = cohort.unknown if cohort is not None else {}
        for label, value in unknown.items():
            ws.append([text_cell(ws, label), self._plain_cell(ws, value)])
        for list_ref, cells in validations.items():
            self._dropdown(ws, list_ref, " ".join(cells))

    def _plain_cell(self, ws: Any, value: Any):
        value = safe_value(value)
        if isinstance(value, str):
            return text_cell(ws, value)
        return value

    def _table_sheet(self, sheet_id: str) -> None:
        from openpyxl.styles import Font

        spec = SHEETS_BY_ID[sheet_id]
        ws = self.wb.create_sheet(spec.name_in(self.lang))
        fields = self.schema.fields[sheet_id]
        unknown_headers = list(self.data.unknown_columns.get(sheet_id, []))
        records = self.data.records(sheet_id)
        for record in records:
            for header in record.unknown:
                if header not in unknown_headers:
                    unknown_headers.append(header)
        header = [self._header_cell(ws, f) for f in fields]
        for text in unknown_headers:
            cell = text_cell(ws, text)
            cell.font = Font(bold=True, italic=True)
            header.append(cell)
        for index, f in enumerate(fields, start=1):
            width = 14 if f.type in ("date", "integer", "number", "choice", "yes_no") else 20
            letter = column_letter(index)
            ws.column_dimensions[letter].width = max(width, min(40, len(f.label_in(self.lang)) + 4))
            if f.type in ("code", "text", "list", "email", "country", "country_list"):
                ws.column_dimensions[letter].number_format = "@"  # keeps leading zeros typed in
            elif f.type == "date":
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        above = self._rows_above(sheet_id)
        header_row = len(above) + 1
        ws.freeze_panes = f"A{header_row + 1}"
        for values in above:
            ws.append(safe_row(ws, values))
        ws.append(header)
        core = [f.source == "core" for f in fields]
        ids = [f.id for f in fields]
        marks = self.marks
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
                        row.append(self._marked(ws, value, found))
                        continue
                row.append(value)
            row.extend(unknown.get(h) for h in unknown_headers)
            ws.append(safe_row(ws, row))
        for kept in self.data.unkeyed_rows.get(sheet_id, []):
            row = [kept.get(field_id) for field_id in ids] + [kept.get(h) for h in unknown_headers]
            ws.append(safe_row(ws, row))
        last_row = header_row + max(
            len(records) + len(self.data.unkeyed_rows.get(sheet_id, [])), TEMPLATE_ROWS
        )
        for index, f in enumerate(fields, start=1):
            if f.type in ("choice", "yes_no"):
                letter = column_letter(index)
                cells = f"{letter}{header_row + 1}:{letter}{last_row}"
                self._dropdown(ws, self._list_for(f), cells)

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
        ws = self.wb.create_sheet(SHEETS_BY_ID["settings"].name_in(self.lang))
        fields = self.schema.fields["settings"]
        ws.append([self._header_cell(ws, f) for f in fields])
        ws.column_dimensions["A"].width = 28
        ws.column_dimensions["B"].width = 20
        for key, value in self.data.settings.items():
            ws.append(safe_row(ws, [key, value]))

    def _findings_sheet(self) -> None:
        from openpyxl.styles import Font

        ws = self.wb.create_sheet("Findings")
        header = ["severity", "code", "message", "sheet", "cell", "subject", "source"]
        ws.freeze_panes = "A2"
        ws.append([_bold(text_cell(ws, h), Font) for h in header])
        ws.column_dimensions["C"].width = 80
        for f in self.findings:
            ws.append(
                safe_row(ws, [f.severity, f.code, f.message, f.sheet, f.cell, f.subject, f.source])
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

    def _dropdown(self, ws: Any, list_ref: str, cells: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        validation = DataValidation(type="list", formula1=f"={list_ref}", allow_blank=True)
        validation.error = "Choose a value from the list"
        validation.showErrorMessage = False  # other spellings (female, 女) are accepted on reading
        validation.add(cells)
        ws.data_validations.append(validation)

    def _lists_sheet(self) -> None:
        ws = self.wb.create_sheet(LISTS_SHEET)
        ws.sheet_state = "hidden"
        if not self.lists:
            return
        ws.append([name for name, _ in self.lists])
        depth = max(len(values) for _, values in self.lists)
        for index in range(depth):
            ws.append([values[index] if index < len(values) else None for _, values in self.lists])

    def _metadata_sheet(self, plugin_versions: Mapping[str, str]) -> None:
        from kenshu import __version__

        ws = self.wb.create_sheet(METADATA_SHEET)
        ws.sheet_state = "hidden"
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
            ws.append(safe_row(ws, [key, value]))


def _bold(cell: Any, font_cls: Any) -> Any:
    cell.font = font_cls(bold=True)
    return cell
