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
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from attrs import frozen


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

    def rows(self, sheet: str) -> Iterator[tuple[int, list[Any]]]: ...

    def close(self) -> None: ...


def _clean(value: Any) -> Any:
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


class CalamineReader:
    """python-calamine: the default engine."""

    def __init__(self, path: str | Path) -> None:
        import python_calamine as pc

        self._path = str(path)
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
        return [
            SheetInfo(meta.name, hidden=str(meta.visible).rsplit(".", 1)[-1] != "Visible")
            for meta in self._book.sheets_metadata
            if str(meta.typ).rsplit(".", 1)[-1] == "WorkSheet"
        ]

    def rows(self, sheet: str) -> Iterator[tuple[int, list[Any]]]:
        try:
            data = self._book.get_sheet_by_name(sheet)
        except Exception as exc:
            raise ReadError(
                self._path, f"sheet {sheet!r} cannot be read ({_one_line(exc)})"
            ) from None
        start = data.start
        if start is None:
            return
        first_row, first_col = start
        pad = [None] * first_col
        for offset, values in enumerate(data.iter_rows()):
            yield first_row + offset + 1, pad + [_clean(v) for v in values]

    def close(self) -> None:
        self._book.close()


class OpenpyxlReader:
    """openpyxl in read-only mode, for .xlsx and .xlsm."""

    def __init__(self, path: str | Path) -> None:
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

    def rows(self, sheet: str) -> Iterator[tuple[int, list[Any]]]:
        ws = self._book[sheet]
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, [_clean(v) for v in values]

    def close(self) -> None:
        self._book.close()


ENGINES = {"calamine": CalamineReader, "openpyxl": OpenpyxlReader}


def open_workbook(path: str | Path, engine: str | None = None) -> WorkbookReader:
    """Open ``path`` with ``engine`` (default: ``$KENSHU_READER`` or calamine)."""
    name = engine or os.environ.get("KENSHU_READER") or "calamine"
    try:
        cls = ENGINES[name]
    except KeyError:
        raise ReadError(
            path, f"unknown reading engine {name!r} (use calamine or openpyxl)"
        ) from None
    return cls(path)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
