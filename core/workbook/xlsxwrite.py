"""Streaming xlsx writing on XlsxWriter: the one writer of every workbook kenshu produces.

A workbook is written sheet by sheet and row by row (XlsxWriter's ``constant_memory``
mode: one row is held at a time, so memory stays flat in the row count), atomically::

    from kenshu.workbook.xlsxwrite import Cell, Style, xlsx_workbook

    with xlsx_workbook("out.xlsx") as book:
        sheet = book.sheet("Participants")
        sheet.column(0, width=16, number_format="@")
        sheet.freeze(1)
        sheet.append([Cell("participant_id", Style(bold=True))])
        sheet.append(["P01"])

Values are written by type, and user text is always text: a string never becomes a
formula, a link or a number, and the characters an xlsx cell cannot carry are written as
Excel's ``_xHHHH_`` escapes (see :func:`escape_text`), which every reader decodes. Dates get
the ``yyyy-mm-dd`` format; ``True``/``False`` are written ``yes``/``no``; lists are joined
with ``;``; times, durations and timezone-aware datetimes are written as text; NaN and
infinities as the text ``NaN``/``Infinity``/``-Infinity``. Nothing is dropped silently: text
longer than the 32,767 characters Excel holds in a cell is written whole (XlsxWriter would
cut it; kenshu's readers and LibreOffice read it whole), and a row or column past the end
of a sheet raises :class:`SheetFullError` (XlsxWriter would skip the cells).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from kenshu.atomic import atomic_path

#: Characters an xlsx cell cannot carry as they are (XML 1.0 forbids most C0 controls,
#: U+FFFE, U+FFFF and lone surrogates; a CR would come back as LF).
_UNCARRIED = r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]"
#: Those, and the underscore of literal text that readers would take for an escape once
#: written: ``_xHHHH`` followed by ``_`` or by a character whose own escape starts with one
#: (``_x005F`` + U+0000 must not become ``_x005F_x0000_``). Looking ahead rather than
#: consuming, so that ``_x0041_x0042_`` protects both runs.
_NEEDS_ESCAPE = re.compile(rf"{_UNCARRIED}|_(?=x[0-9A-Fa-f]{{4}}(?:_|{_UNCARRIED}))")
_BAD_TITLE = re.compile(r"[\\*?:/\[\]\x00-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MAX_TITLE = 31
#: Excel's serial day numbers count from 1899-12-30, except that Excel believes 1900 had a
#: 29 February: days 1-60 are one off (the same numbers openpyxl writes and readers expect).
_EPOCH = dt.datetime(1899, 12, 30)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
_INFINITY = float("inf")
_INT = 2**53  # integers a double holds exactly: -_INT <= n <= _INT
_PRESERVE = ' xml:space="preserve"'
_COPY_CHUNK = 1 << 16  # bytes copied at a time from a sheet's spilled rows into the sheet
_MAX_ROWS = 1_048_576
_MAX_COLUMNS = 16_384


class SheetFullError(ValueError):
    """More rows or columns than an xlsx sheet holds (XlsxWriter would drop them)."""


def escape_text(text: str) -> str:
    """``text`` as an xlsx cell holds it: a character XML cannot carry becomes Excel's
    ``_xHHHH_`` escape, and a literal ``_xHHHH_`` is protected as ``_x005F_xHHHH_``, as Excel
    writes them; Excel, LibreOffice and python-calamine decode both, so nothing is lost."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def sheet_title(name: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of ``\\ * ? : / [ ]``
    or control characters (each replaced by ``_``), not starting or ending with ``'``."""
    title = _BAD_TITLE.sub("_", name)[:_MAX_TITLE] or "Sheet"
    if title.startswith("'"):
        title = "_" + title[1:]
    if title.endswith("'"):
        title = title[:-1] + "_"
    return title


def safe_value(value: Any) -> Any:
    """A value ready for a cell: lists joined with ``;``, ``yes``/``no`` for booleans,
    times, durations and dicts as text; other values as they are."""
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):  # from a hand-written JSON file: kept, as JSON text
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def excel_serial(value: dt.date) -> float | int:
    """The day number Excel stores for a date or (naive) datetime."""
    if isinstance(value, dt.datetime):
        delta = value - _EPOCH
        days = delta.days
        serial: float | int = days + (delta.seconds + delta.microseconds / 1e6) / 86400
    else:
        days = serial = value.toordinal() - 693594  # dt.date(1899, 12, 30).toordinal()
    return serial - 1 if 0 < days <= 60 else serial


class Style(NamedTuple):
    """How a cell looks: bold/italic font, a solid fill (``"RRGGBB"`` or ``"AARRGGBB"``)
    and a number format."""

    bold: bool = False
    italic: bool = False
    fill: str | None = None
    number_format: str | None = None


_BOLD = Style(bold=True)


class Cell:
    """A value with a style and/or a comment (plain values need no :class:`Cell`)."""

    __slots__ = ("comment", "size", "style", "value")

    def __init__(
        self,
        value: Any,
        style: Style | None = None,
        comment: str | None = None,
        size: tuple[int, int] = (260, 110),
    ) -> None:
        self.value = value
        self.style = style
        self.comment = comment
        self.size = size  # the comment box, in pixels (width, height)


class XlsxBook:
    """An xlsx workbook being written at ``path``, which :meth:`close` writes (not
    atomically: :func:`xlsx_workbook` is the usual way)."""

    def __init__(self, path: str | Path) -> None:
        import xlsxwriter

        self._book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                # user text is text: no formulas, links or numbers made of strings
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._book._check_sheetname = _check_title  # our titles are checked by sheet()
        self._formats: dict[Style, Any] = {}
        self._titles: set[str] = set()
        self.general = self._book.add_format()  # a number's own format: no column's

    def sheet(self, name: str, *, hidden: bool = False) -> XlsxSheet:
        """Add a sheet named ``name`` (made acceptable to Excel by :func:`sheet_title`; a
        name already used, in any case, gets a number). Sheets are written in order."""
        title = sheet_title(name)
        number = 0
        while title.casefold() in self._titles:
            number += 1
            suffix = str(number)
            title = sheet_title(name)[: _MAX_TITLE - len(suffix)] + suffix
        self._titles.add(title.casefold())
        worksheet = self._book.add_worksheet(title, worksheet_class=_worksheet_class())
        if hidden:
            worksheet.hide()
        return XlsxSheet(self, worksheet)

    def format(self, style: Style) -> Any:
        """The XlsxWriter format of ``style`` (one per style: formats live in the workbook)."""
        found = self._formats.get(style)
        if found is None:
            properties: dict[str, Any] = {}
            if style.bold:
                properties["bold"] = True
            if style.italic:
                properties["italic"] = True
            if style.fill:
                properties["pattern"] = 1
                properties["bg_color"] = "#" + style.fill[-6:]
            if style.number_format:
                properties["num_format"] = style.number_format
            found = self._formats[style] = self._book.add_format(properties)
        return found

    def close(self) -> None:
        """Write the file (XlsxWriter assembles it on closing)."""
        self._book.close()

    def discard(self) -> None:
        """Give up: write nothing, and remove the rows already spilled to temporary files."""
        self._book.fileclosed = True
        for worksheet in self._book.worksheets():
            with contextlib.suppress(OSError, AttributeError):
                worksheet._opt_close()
                os.unlink(worksheet.row_data_filename)


@contextlib.contextmanager
def xlsx_workbook(path: str | Path) -> Iterator[XlsxBook]:
    """Write an xlsx workbook at ``path`` atomically: the file appears, complete, when the
    block ends; on an error ``path`` is left as it was."""
    with atomic_path(path) as temporary:
        book = XlsxBook(temporary)
        try:
            yield book
        except BaseException:
            book.discard()
            raise
        book.close()


class XlsxSheet:
    """One sheet, written top to bottom: :meth:`append` writes the next row."""

    def __init__(self, book: XlsxBook, worksheet: Any) -> None:
        self.book = book
        self.title: str = worksheet.name
        self._ws = worksheet
        self._row = 0
        self._general: dict[int, Any] = {}  # columns with a number format: numbers' own
        self._date = book.format(Style(number_format=DATE_FORMAT))

    @property
    def rows(self) -> int:
        """How many rows were written (the next row's index, from 0)."""
        return self._row

    def column(
        self, index: int, *, width: float | None = None, number_format: str | None = None
    ) -> None:
        """Set column ``index``'s (from 0) width in characters and number format (``@``:
        text, so that codes typed later keep their leading zeros)."""
        fmt = self.book.format(Style(number_format=number_format)) if number_format else None
        self._ws.set_column(index, index, width, fmt)
        if number_format:  # numbers written in it keep the General format
            self._general[index] = self.book.general

    def freeze(self, rows: int) -> None:
        """Keep the first ``rows`` rows in view when scrolling."""
        self._ws.freeze_panes(rows, 0)

    def table(
        self,
        header: Iterable[str],
        rows: Iterable[Iterable[Any]],
        widths: Iterable[float] | None = None,
    ) -> None:
        """A table: the columns' ``widths`` (in characters, from column A), ``header`` in
        bold and kept in view when scrolling, then ``rows``."""
        for index, width in enumerate(widths or ()):
            self.column(index, width=width)
        self.freeze(self._row + 1)
        self.append([Cell(name, _BOLD) for name in header])
        for row in rows:
            self.append(row)

    def dropdown(self, cells: str, source: str) -> None:
        """A list validation on ``cells`` (``"B3:B500"`` or ``"B2 B5"``) offering the values
        of ``source`` (``"_lists!$A$2:$A$4"``); other values are accepted too."""
        from xlsxwriter.utility import xl_cell_to_rowcol

        first = cells.split()[0].split(":")
        row, col = xl_cell_to_rowcol(first[0])
        last_row, last_col = xl_cell_to_rowcol(first[-1])
        options = {
            "validate": "list",
            "source": "=" + source,
            "ignore_blank": True,
            "show_input": False,
            "show_error": False,  # other spellings (female, 女) are accepted on reading
            "error_message": "Choose a value from the list",
        }
        if " " in cells:
            options["multi_range"] = cells
        self._ws.data_validation(row, col, last_row, last_col, options)

    def append(self, values: Iterable[Any]) -> None:
        """Write ``values`` as the next row from column A; ``None`` leaves a cell empty."""
        row = self._row
        if row >= _MAX_ROWS:
            raise SheetFullError(f"sheet {self.title!r}: more than {_MAX_ROWS:,} rows")
        self._row = row + 1
        ws = self._ws
        write_string = ws._write_string  # the undecorated methods: this runs for every cell
        write_number = ws._write_number
        general = self._general
        col = -1
        for value in values:
            col += 1
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                if "_x" in value or not value.isprintable() or value[0] == "<":
                    value = _cell_text(value)
                write_string(row, col, value)
            elif (kind is float and value - value == 0) or (kind is int and -_INT <= value <= _INT):
                write_number(row, col, value, general.get(col))  # finite and exact
            elif value is None:
                continue
            elif kind is dt.date:
                write_number(row, col, excel_serial(value), self._date)
            else:
                self._write_other(row, col, value)
        if col >= _MAX_COLUMNS:
            raise SheetFullError(f"sheet {self.title!r}: more than {_MAX_COLUMNS:,} columns")

    def _write_other(self, row: int, col: int, value: Any) -> None:
        style = None
        if type(value) is Cell:
            cell = value
            if cell.comment:
                self._comment(row, col, cell.comment, cell.size)
            style = cell.style
            value = cell.value
        value = safe_value(value)
        ws = self._ws
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.isoformat()  # Excel has no time zones: kept whole, as text
        if isinstance(value, dt.date):
            number_format = DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
            fmt = self.book.format((style or Style())._replace(number_format=number_format))
            ws._write_number(row, col, excel_serial(value), fmt)
            return
        fmt = self.book.format(style) if style is not None else None
        if value is None or value == "":
            if fmt is not None:
                ws._write_blank(row, col, None, fmt)
            return
        if isinstance(value, int | float):
            value = _number(value)
        if isinstance(value, int | float):
            ws._write_number(row, col, value, fmt or self._general.get(col))
            return
        ws._write_string(row, col, _cell_text(str(value)), fmt)

    def _comment(self, row: int, col: int, text: str, size: tuple[int, int]) -> None:
        # XlsxWriter escapes a comment's control characters itself; a lone surrogate
        # cannot be encoded at all
        text = _SURROGATE.sub("\ufffd", text[:30000])
        width, height = size
        self._ws.write_comment(
            row, col, text, {"author": "kenshu", "width": width, "height": height}
        )


def _number(value: int | float) -> int | float | str:
    """A number as a cell holds it; one that Excel cannot hold as a number is text."""
    if value != value or value == _INFINITY or value == -_INFINITY:
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if type(value) is int and not -_INT <= value <= _INT:
        try:
            return float(value)  # Excel keeps 15 digits, as the reader would see anyway
        except OverflowError:
            return str(value)
    return value


def _cell_text(text: str) -> str:
    """Cell text as XlsxWriter is to write it: escaped (our escapes, not XlsxWriter's: see
    :func:`_worksheet_class`), and text that looks like XlsxWriter's inline rich-string
    markup wrapped so that it is written as text, not as XML."""
    text = escape_text(text)
    if text.startswith("<r>") and text.endswith("</r>"):
        body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<r><t xml:space="preserve">{body}</t></r>'
    return text


def _check_title(name: str, is_chartsheet: bool = False) -> str:
    """XlsxWriter's sheet name check, replaced: :meth:`XlsxBook.sheet` has made ``name``
    acceptable and unique (XlsxWriter counts 31 UTF-16 units; Excel and kenshu's readers
    take 31 characters)."""
    return name


_WORKSHEET: list[type] = []


def _worksheet_class() -> type:
    """XlsxWriter's worksheet, except that cell text is written as given: kenshu escapes
    it (:func:`escape_text`). XlsxWriter's own escaping would escape it twice, and it
    misses ``_x005F`` + U+0000 and lone surrogates. No string is truncated either."""
    if not _WORKSHEET:
        from xlsxwriter.utility import xl_rowcol_to_cell_fast
        from xlsxwriter.worksheet import (
            CellDatetimeTuple,
            CellNumberTuple,
            CellStringTuple,
            Worksheet,
        )

        numbers = (CellNumberTuple, CellDatetimeTuple)

        class KenshuWorksheet(Worksheet):
            def __init__(self) -> None:
                super().__init__()
                self.xls_strmax = 2**31  # never truncate what the user gave (see above)

            @staticmethod
            def _escape_control_characters(data: Any) -> Any:
                return data

            def _write_cell(self, row: int, col: int, cell: Any) -> None:
                # Text and numbers, most of what kenshu writes, are written as XlsxWriter
                # writes them, less its escaping of each attribute (a cell reference and
                # a style number hold nothing to escape) and its two searches for
                # leading or trailing space: a tenth of the time of a large conversion.
                kind = type(cell)
                if kind is CellStringTuple and self.constant_memory:
                    text = cell.string
                    if not (text.startswith("<r>") and text.endswith("</r>")):
                        # leading or trailing space kept, as XlsxWriter's r"^\s|\s$" finds it
                        keep = _PRESERVE if text[:1].isspace() or text[-1:].isspace() else ""
                        self.fh.write(
                            f'<c r="{xl_rowcol_to_cell_fast(row, col)}"'
                            f'{self._style_of(row, col, cell)} t="inlineStr"><is>'
                            f"<t{keep}>{self._escape_data(text)}</t></is></c>"
                        )
                        return
                elif kind in numbers:
                    self.fh.write(
                        f'<c r="{xl_rowcol_to_cell_fast(row, col)}"'
                        f"{self._style_of(row, col, cell)}><v>{cell.number:.16G}</v></c>"
                    )
                    return
                super()._write_cell(row, col, cell)

            def _style_of(self, row: int, col: int, cell: Any) -> str:
                # The cell's style attribute, chosen as XlsxWriter's _write_cell does.
                if cell.format:
                    return f' s="{cell.format._get_xf_index()}"'
                if row in self.row_info and self.row_info[row].row_format:
                    return f' s="{self.row_info[row].row_format._get_xf_index()}"'
                if col in self.col_info:
                    style = self.col_info[col].column_format
                    if style is not None:
                        return f' s="{style._get_xf_index()}"'
                return ""

            def _write_optimized_sheet_data(self) -> None:
                # The rows spilled to the temporary file are copied into the sheet as
                # bytes. XlsxWriter reads them back as text, decoding and encoding every
                # character again, and the strings made on the way left the heap 5 MB
                # larger at 10,000 participants: peak memory followed the rows.
                if self.dim_rowmin is None:
                    super()._write_optimized_sheet_data()
                    return
                self._xml_start_tag("sheetData")
                self.row_data_fh.close()
                self.fh.flush()
                with open(self.row_data_filename, "rb") as rows:
                    shutil.copyfileobj(rows, self.fh.buffer, _COPY_CHUNK)
                os.unlink(self.row_data_filename)
                self._xml_end_tag("sheetData")

        _WORKSHEET.append(KenshuWorksheet)
    return _WORKSHEET[0]
