"""Writing CSV files: streamed, atomic, safe to open in a spreadsheet program.

CSV is for software that cannot read a workbook. Each file is written row by row to a
temporary file beside its target and then moved into place (:mod:`kenshu.atomic`).

* **Encoding.** UTF-8 with a byte-order mark by default (``utf-8-sig``: Excel then reads
  Japanese text correctly), plain ``utf-8``, or ``cp932`` (Shift_JIS as Windows has it)
  for older Japanese software. A character the encoding cannot hold is an error that names
  the sheet and the cell, never a silent ``?``.
* **Formula injection** (OWASP "CSV Injection"): a text field that begins with ``=``,
  ``+``, ``-``, ``@``, a tab, CR or LF is prefixed with a single quote and quoted, so that
  a spreadsheet program shows it as text instead of running it. Numbers are written as
  numbers (a negative amount stays ``-5``).
* Fields are separated by commas and quoted as RFC 4180 says; lines end with CRLF.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from kenshu.atomic import atomic_path
from kenshu.workbook.cells import column_letter, looks_like_formula

#: The encodings ``--encoding`` accepts.
ENCODINGS = ("utf-8-sig", "utf-8", "cp932")
_NEEDS_QUOTES = re.compile(r'[",\r\n]')
_BAD_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class CsvEncodingError(ValueError):
    """A character the chosen encoding cannot hold; the message names the sheet and cell."""


def text_of(value: Any) -> str:
    """A cell value as CSV text: dates in ISO 8601, yes/no for booleans, lists joined."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple | list):
        return "; ".join(text_of(v) for v in value)
    return str(value)


def csv_field(value: Any) -> str:
    """One field, quoted where needed; text that would start a formula is neutralised
    with a leading single quote (and always quoted), as OWASP recommends."""
    text = text_of(value)
    if isinstance(value, str) and looks_like_formula(text):
        return "\"'" + text.replace('"', '""') + '"'
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvWriter:
    """Rows to one CSV file, streamed; use as a context manager (the file appears,
    complete, when the block ends without error)."""

    def __init__(self, path: str | Path, encoding: str = "utf-8-sig", sheet: str = "") -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown CSV encoding {encoding!r} (use {', '.join(ENCODINGS)})")
        self.path = Path(path)
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.bom = encoding == "utf-8-sig"
        self.sheet = sheet or self.path.stem
        self.row = 0
        self._stream: BinaryIO | None = None
        self._context: Any = None

    def __enter__(self) -> CsvWriter:
        self._context = atomic_path(self.path)
        temporary = self._context.__enter__()
        self._stream = temporary.open("wb")
        if self.bom:
            self._stream.write(b"\xef\xbb\xbf")
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        assert self._stream is not None
        self._stream.close()
        self._context.__exit__(kind, error, trace)

    def write_row(self, values: Iterable[Any]) -> None:
        """Write one row (the next line of the file)."""
        assert self._stream is not None, "use CsvWriter as a context manager"
        self.row += 1
        line = ",".join(csv_field(v) for v in values) + "\r\n"
        try:
            data = line.encode(self.encoding)
        except UnicodeEncodeError:
            data = self._encode_or_explain(line, values)
        self._stream.write(data)

    def _encode_or_explain(self, line: str, values: Iterable[Any]) -> bytes:
        for index, value in enumerate(values, start=1):
            field = csv_field(value)
            try:
                field.encode(self.encoding)
            except UnicodeEncodeError as exc:
                char = field[exc.start]
                raise CsvEncodingError(
                    f"{self.sheet}!{column_letter(index)}{self.row}: the character {char!r} "
                    f"(U+{ord(char):04X}) cannot be written in {self.encoding}; use "
                    "--encoding utf-8-sig (or change the text)"
                ) from None
        return line.encode(self.encoding)  # not reached: some field failed above


def write_csv(
    path: str | Path, rows: Iterable[Iterable[Any]], encoding: str = "utf-8-sig", sheet: str = ""
) -> Path:
    """Write ``rows`` to ``path`` as CSV (atomically); returns the path."""
    with CsvWriter(path, encoding, sheet) as writer:
        for row in rows:
            writer.write_row(row)
    return Path(path)


def file_names(sheets: Iterable[str]) -> dict[str, str]:
    """``{sheet name: file name}``: ``NAME.csv`` with characters no file system takes
    replaced by ``_``, distinct even where case is ignored (Windows, macOS)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for index, sheet in enumerate(sheets, start=1):
        stem = _BAD_FILE_CHARS.sub("_", sheet).strip(" .") or f"sheet{index}"
        candidate, number = stem, 2
        while candidate.casefold() in taken:
            candidate, number = f"{stem} ({number})", number + 1
        taken.add(candidate.casefold())
        names[sheet] = f"{candidate}.csv"
    return names


def workbook_to_csv(
    workbook: str | Path, folder: str | Path, encoding: str = "utf-8-sig"
) -> list[Path]:
    """Write every visible sheet of ``workbook`` (one kenshu wrote) as ``folder/SHEET.csv``;
    returns the files written. Line N of a file is row N of its sheet."""
    from kenshu.workbook.engines import CalamineReader

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    book = CalamineReader(workbook)
    written: list[Path] = []
    try:
        sheets = [info.name for info in book.sheets() if not info.hidden]
        for sheet, name in file_names(sheets).items():
            with CsvWriter(folder / name, encoding, sheet) as writer:
                for number, values in book.rows(sheet):
                    while writer.row < number - 1:
                        writer.write_row([])
                    writer.write_row(values)
            written.append(folder / name)
    finally:
        book.close()
    return written


def write_via_workbook(
    folder: str | Path,
    write_workbook: Callable[[Path], None],
    encoding: str = "utf-8-sig",
    workbook: str | Path | None = None,
) -> list[Path]:
    """CSV files of what kenshu would write as a workbook: ``write_workbook(path)`` writes
    it (to ``workbook`` when given, else to a temporary file), then every visible sheet
    becomes ``folder/SHEET.csv``. The CSV files hold the very cells of the workbook."""
    import tempfile

    if workbook is not None:
        return workbook_to_csv(workbook, folder, encoding)
    with tempfile.TemporaryDirectory(prefix="kenshu-csv-") as scratch:
        temporary = Path(scratch) / "book.xlsx"
        write_workbook(temporary)
        return workbook_to_csv(temporary, folder, encoding)
