"""Reading engines: every workbook is read through this one small interface.

An engine opens a file and gives, for each sheet, its name, whether it is hidden, and its
rows as ``(row number, values)`` where ``values[0]`` is column A. Empty cells are ``None``.
Values are ``str``, ``int``, ``float``, ``bool``, ``datetime.date`` or ``datetime.datetime``.

python-calamine is the default (fast, and it reads .xlsx, .xlsm, .xls, .xlsb and .ods);
openpyxl is the alternative for .xlsx/.xlsm (``KENSHU_READER=openpyxl``), kept so the two
can be compared.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from attrs import frozen

if TYPE_CHECKING:
    from kenshu.workbook.safety import FileScan


@frozen
class SheetInfo:
    name: str
    hidden: bool = False


class ReadError(Exception):
    """A file that cannot be read at all: not a workbook, damaged, encrypted, too large.

    ``reason`` is one line for people; ``code`` is stable (``file.not-a-workbook``...).
    """

    def __init__(self, path: str | Path, reason: str, code: str = "file.unreadable") -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.code = code


class WorkbookReader(Protocol):
    """What every engine provides."""

    def sheets(self) -> list[SheetInfo]: ...

    def rows(self, sheet: str, *, raw: bool = False) -> Iterator[tuple[int, list[Any]]]: ...

    def close(self) -> None: ...


def clean_value(value: Any) -> Any:
    """A cell's value as the engines give it: None for an empty cell (or one of spaces),
    a whole number as ``int``, a midnight as a ``date``."""
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        # A cell of spaces (full-width too) looks empty and is empty: Excel and LibreOffice
        # keep such text, openpyxl's own files lose it, and all must read alike.
        return None if value.isspace() else value
    if type(value) is float and value.is_integer():
        # xlsx stores 12 and 12.0 alike; calamine gives floats, openpyxl ints: agree on int
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def clean_row(values: list[Any]) -> list[Any]:
    """``[clean_value(v) for v in values]`` with the commonest types inlined: it runs per
    cell. Cleaning a cleaned row changes nothing."""
    return [
        (v if v and not v.isspace() else None)
        if (kind := type(v)) is str
        else (int(v) if v.is_integer() else v)
        if kind is float
        else v
        if kind is _DATE
        else clean_value(v)
        for v in values
    ]


_DATE = dt.date
#: Workbooks smaller than this (bytes on disk) are parsed sheet by sheet as asked: a
#: thread costs more than it wins on them (measured: a few milliseconds lost on a 40 KB
#: workbook, as many won on a 160 KB one), and a batch's workers already use every core.
PARSE_AHEAD_FROM = 128 * 1024


def excel_date(serial: float, date1904: bool = False) -> dt.date | dt.datetime:
    """The date (or date and time) an Excel-format day number stands for, also below zero
    (dates before 1900, as LibreOffice and openpyxl write them)."""
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    moment = epoch + dt.timedelta(days=serial)
    return moment.date() if moment.time() == dt.time(0) else moment


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_text(text: str) -> str:
    """Text with Excel's ``_xHHHH_`` escapes decoded (``_x0001_`` is U+0001; a literal
    ``_x`` is written ``_x005F_x``), as Excel and python-calamine read them."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text)


def _from_row_one(rows: Iterator[list[Any]], first_row: int) -> Iterator[list[Any]]:
    """calamine's rows of a sheet whose data starts at 0-based ``first_row``, from row 1.

    python-calamine's ``iter_rows`` starts at row 1 whatever the sheet's first row (its
    issue #177; its columns do start at the first column), so the rows above the data come
    as empty rows. A version that starts at the data is told apart by a non-empty row
    among the first ``first_row``: the rows above are then added. Nothing is buffered.
    """
    rows = iter(rows)
    empties = 0
    while empties < first_row:
        values = next(rows, None)
        if values is None:
            return
        if any(v is not None and v != "" for v in values):
            yield from ([] for _ in range(first_row + empties))
            yield values
            break
        empties += 1
    else:
        yield from ([] for _ in range(first_row))
    yield from rows


class CalamineReader:
    """python-calamine: the default engine.

    With the check's :class:`~kenshu.workbook.safety.FileScan`, dates before 1900 (negative
    day numbers, which python-calamine reads as a time of day) are read as dates.
    """

    def __init__(self, path: str | Path, scan: FileScan | None = None) -> None:
        import python_calamine as pc

        self._path = str(path)
        self._scan = scan
        self._merged: dict[str, list[tuple[int, int, int, int]]] = {}
        # sheets parsed ahead (see prefetch): name -> its data or the exception
        self._parsed: dict[str, Any] = {}
        self._ready: dict[str, threading.Event] = {}
        self._worker: threading.Thread | None = None
        try:
            self._book = pc.CalamineWorkbook.from_path(self._path)
        except pc.PasswordError:
            raise ReadError(
                path,
                "the workbook is password-protected (encrypted); save an unprotected copy",
                "file.encrypted",
            ) from None
        except Exception as exc:  # calamine raises several error types for damaged files
            raise ReadError(
                path, f"not a readable workbook ({_one_line(exc)})", "file.not-a-workbook"
            ) from None

    def sheets(self) -> list[SheetInfo]:
        self._wait()
        return [
            SheetInfo(meta.name, hidden=str(meta.visible).rsplit(".", 1)[-1] != "Visible")
            for meta in self._book.sheets_metadata
            if str(meta.typ).rsplit(".", 1)[-1] == "WorkSheet"
        ]

    def rows(self, sheet: str, *, raw: bool = False) -> Iterator[tuple[int, list[Any]]]:
        """The sheet's rows from row 1, cleaned (see :func:`clean_row`); with ``raw``, most
        rows as python-calamine gives them (empty text for an empty cell, whole numbers as
        floats), for a caller that cleans the cells it keeps: what it reads must read a
        cleaned value alike, as some rows come cleaned (the dates before 1900)."""
        data = self._sheet(sheet)
        self._merged[sheet] = _merged_ranges(data)
        start = data.start
        if start is None:
            return
        first_row, first_col = start
        pad = [None] * first_col
        fixes = self._negative_dates(sheet)
        for offset, values in enumerate(_from_row_one(data.iter_rows(), first_row)):
            number = offset + 1
            if raw and number not in fixes:
                yield number, pad + values if pad else values
                continue
            row = pad + clean_row(values) if pad else clean_row(values)
            for column, serial in fixes.get(number, ()):
                if column < len(row) and isinstance(row[column], dt.date | dt.time):
                    row[column] = excel_date(serial, self._scan.date1904)  # type: ignore[union-attr]
            yield number, row

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]] | None:
        """The merged ranges of a sheet already read with :meth:`rows`, as 1-based
        inclusive ``(first row, first column, last row, last column)``."""
        return self._merged.get(sheet)

    def prefetch(self, sheets: list[str]) -> None:
        """Parse ``sheets``, in this order, in a thread of their own, ahead of
        :meth:`rows` asking for them: python-calamine parses without holding the
        interpreter, so (with a second core) the next sheet is parsed while the rows of
        this one are read. The workbook is touched by one thread at a time: a call that
        needs it waits for the thread (and :meth:`rows` for its sheet only)."""
        self._wait()
        names = [name for name in dict.fromkeys(sheets) if name not in self._parsed]
        if not names or os.path.getsize(self._path) < PARSE_AHEAD_FROM:
            return
        ready = {name: threading.Event() for name in names}
        self._ready.update(ready)
        book, parsed = self._book, self._parsed

        def parse() -> None:
            for name in names:
                try:
                    parsed[name] = book.get_sheet_by_name(name)
                except Exception as exc:  # raised where the sheet is asked for
                    parsed[name] = exc
                ready[name].set()

        self._worker = threading.Thread(target=parse, name="kenshu-parse", daemon=True)
        self._worker.start()

    def _sheet(self, sheet: str) -> Any:
        """The sheet's data, parsed ahead or now."""
        ready = self._ready.pop(sheet, None)
        if ready is not None:
            ready.wait()
            data = self._parsed.pop(sheet)
        else:
            self._wait()
            try:
                data = self._book.get_sheet_by_name(sheet)
            except Exception as exc:
                data = exc
        if isinstance(data, Exception):
            raise ReadError(self._path, f"sheet {sheet!r} cannot be read ({_one_line(data)})")
        return data

    def _wait(self) -> None:
        """Wait for the sheets being parsed ahead: the workbook is then free."""
        if self._worker is not None:
            self._worker.join()
            self._worker = None

    def _negative_dates(self, sheet: str) -> dict[int, list[tuple[int, float]]]:
        """``{row: [(column index, day number)]}`` of the sheet's negative numbers."""
        if self._scan is None:
            return {}
        found = self._scan.negative_serials.get(sheet)
        if not found:
            return {}
        by_row: dict[int, list[tuple[int, float]]] = {}
        for ref, serial in found.items():
            letters = ref.rstrip("0123456789")
            column = 0
            for letter in letters:
                column = column * 26 + ord(letter) - 64
            by_row.setdefault(int(ref[len(letters) :]), []).append((column - 1, serial))
        return by_row

    def close(self) -> None:
        self._wait()
        self._parsed.clear()
        self._book.close()


class OpenpyxlReader:
    """openpyxl in read-only mode, for .xlsx and .xlsm."""

    def __init__(self, path: str | Path, scan: FileScan | None = None) -> None:
        import openpyxl

        self._path = str(path)
        try:
            self._book = openpyxl.load_workbook(self._path, read_only=True, data_only=True)
        except Exception as exc:
            raise ReadError(
                path, f"not a readable workbook ({_one_line(exc)})", "file.not-a-workbook"
            ) from None

    def sheets(self) -> list[SheetInfo]:
        return [
            SheetInfo(ws.title, hidden=ws.sheet_state != "visible") for ws in self._book.worksheets
        ]

    def rows(self, sheet: str, *, raw: bool = False) -> Iterator[tuple[int, list[Any]]]:
        """The sheet's rows, cleaned (``raw`` or not)."""
        ws = self._book[sheet]
        # the declared <dimension> is not trusted: it would pad every row to its width
        ws.reset_dimensions()
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield (
                number,
                [clean_value(unescape_text(v) if isinstance(v, str) else v) for v in values],
            )

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]] | None:
        """Unknown: read-only openpyxl does not load merged ranges."""
        return None

    def close(self) -> None:
        self._book.close()


ENGINES = {"calamine": CalamineReader, "openpyxl": OpenpyxlReader}


def open_workbook(
    path: str | Path, engine: str | None = None, scan: FileScan | None = None
) -> WorkbookReader:
    """Open ``path`` with ``engine`` (default: ``$KENSHU_READER`` or calamine); ``scan`` is
    what :func:`~kenshu.workbook.safety.check_file` learnt about the file."""
    name = engine or os.environ.get("KENSHU_READER") or "calamine"
    try:
        cls = ENGINES[name]
    except KeyError:
        raise ReadError(
            path, f"unknown reading engine {name!r} (use calamine or openpyxl)"
        ) from None
    return cls(path, scan)


def _merged_ranges(data: Any) -> list[tuple[int, int, int, int]]:
    try:
        ranges = data.merged_cell_ranges or []
    except Exception:  # a format that records no merged ranges
        return []
    return [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
