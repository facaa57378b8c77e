"""Checks made on a file before any parser sees it.

A workbook arrives by e-mail from anyone. Before python-calamine or openpyxl open it, it
is refused when it is empty, not a workbook, encrypted, damaged, or larger than the limits
allow. The check is cheap (no XML parser, just zlib) and happens in two steps:

1. the archive's directory is read (it is small): the entry count and the sizes it
   declares are compared with the limits;
2. every entry is inflated in a stream, a chunk at a time, with a cap, because the declared
   sizes can lie: the real inflated size, per entry and in total, and the real compression
   ratio are checked as the bytes come. In the same pass an XML part that carries a
   ``<!DOCTYPE`` or ``<!ENTITY`` declaration is refused (entity expansion and external
   entities are the attacks; no spreadsheet program writes one), and the rows of each
   sheet are counted against the row limit (a sheet's declared ``<dimension>`` is not
   trusted either way), and its farthest cell, where each cell's own reference puts it,
   against the cell limit (a parser allocates every cell up to it). The pass is a few
   searches per chunk, each as quick as ``bytes.count``; a sheet written other than the
   way spreadsheet programs write it is read element by element. For an OpenDocument
   file, rows and cells repeated with
   ``number-rows-repeated``/``number-columns-repeated`` are counted as the reader would
   expand them.

The pass also notes what the parsers lose without a word: formula cells that carry no
saved result (:meth:`FileScan.findings` reports them, naming the cell) and dates before
1900, which Excel-format files store as negative day numbers (the reading engine puts the
dates back). The limits are settings (``kenshu schema`` lists them; ``--set
max_compression_ratio=200`` raises one for a run).
"""

from __future__ import annotations

import codecs
import contextlib
import posixpath
import queue
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Generator
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from attrs import define, field, frozen
from kenshu.model import Finding
from kenshu.settings import Setting
from kenshu.workbook.engines import ReadError

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or encrypted OOXML
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_MIB = 1024 * 1024
_GRACE = _MIB  # entries smaller than this when inflated are not ratio-checked (POI: 100 KB)
_READ_SIZE = 1 << 16  # compressed bytes read at a time
_CHUNK = 1 << 20  # inflated bytes handed to the scanner at a time
_SMALL_PART = 4 * _MIB  # the workbook's own small parts are kept to name its sheets
_MAX_NOTES = 50  # formula cells named one by one before a summary finding
_AHEAD_FROM = 4 * _MIB  # a sheet this large is inflated by a thread of its own (see below)
_AHEAD = 3  # chunks inflated ahead of the one being searched

LIMIT_SETTINGS = (
    Setting(
        "max_archive_entries",
        2_000,
        "Most files a workbook archive may contain (a real workbook has dozens).",
        source="default",
    ),
    Setting(
        "max_uncompressed_mib",
        1_024,
        "Most MiB a workbook archive may inflate to, all entries together (measured, not "
        "as declared).",
        source="default",
    ),
    Setting(
        "max_entry_mib",
        512,
        "Most MiB one entry (one sheet's XML) of a workbook archive may inflate to.",
        source="default",
    ),
    Setting(
        "max_compression_ratio",
        100,
        "Largest ratio of inflated to compressed size for an entry, as Apache POI uses "
        "(entries under 1 MiB inflated are not checked).",
        source="Apache POI ZipSecureFile (minimum inflate ratio 0.01)",
    ),
    Setting(
        "max_rows_per_sheet",
        200_000,
        "Most rows a sheet may have, counted in the file itself (not its declared "
        "dimension); past it the file is refused.",
        source="default",
    ),
    Setting(
        "max_cells_per_sheet",
        10_000_000,
        "Most cells a reader may allocate for a sheet: its farthest row times its farthest "
        "column (repeated rows and cells of an OpenDocument sheet included).",
        source="default",
    ),
    Setting(
        "max_file_mib",
        512,
        "Largest workbook file, in MiB.",
        source="default",
    ),
)


@frozen
class Limits:
    """The limits in force for one run."""

    max_archive_entries: int = 2_000
    max_uncompressed_mib: int = 1_024
    max_entry_mib: int = 512
    max_compression_ratio: int = 100
    max_rows_per_sheet: int = 200_000
    max_cells_per_sheet: int = 10_000_000
    max_file_mib: int = 512

    @classmethod
    def from_settings(cls, values: dict) -> Limits:
        """Limits from ``{setting id: value}``; other ids are ignored."""
        names = {s.id for s in LIMIT_SETTINGS}
        return cls(**{k: v for k, v in values.items() if k in names})


@define
class FileScan:
    """What the check learnt about a file, for the reader.

    ``kind`` is ``ooxml`` (.xlsx, .xlsm, .xlsb), ``ods``, ``cfb`` (.xls) or ``other``.
    ``formulas_without_value`` and ``negative_serials`` are by sheet name (or by part name
    when the sheet could not be named): cells written as formulas without a saved result,
    and numbers below zero (dates before 1900 in a date-formatted cell).
    """

    path: str
    kind: str = "other"
    date1904: bool = False
    sheet_parts: dict[str, str] = field(factory=dict)  # part name -> sheet name
    formulas_without_value: dict[str, list[str]] = field(factory=dict)
    negative_serials: dict[str, dict[str, float]] = field(factory=dict)

    def findings(self) -> list[Finding]:
        """Warnings for the formula cells without a saved result, each naming its cell."""
        out: list[Finding] = []
        for sheet, cells in self.formulas_without_value.items():
            for ref in cells[:_MAX_NOTES]:
                column = ref.rstrip("0123456789")
                row = int(ref[len(column) :]) if ref[len(column) :].isdigit() else None
                out.append(
                    Finding(
                        code="core.formula-without-value",
                        severity="warning",
                        message=f"cell {ref} holds a formula with no saved result; kenshu "
                        "does not calculate formulas, so it reads as empty (open and save "
                        "the file in Excel or LibreOffice, or type the value)",
                        sheet=sheet,
                        row=row,
                        column=column or None,
                        cell=ref,
                    )
                )
            if len(cells) > _MAX_NOTES:
                out.append(
                    Finding(
                        code="core.formula-without-value",
                        severity="warning",
                        message=f"{len(cells) - _MAX_NOTES} more formula cells with no saved "
                        "result (read as empty)",
                        sheet=sheet,
                    )
                )
        return out


def _raise_hint(setting: str) -> str:
    return f"raise it with --set {setting}=N if the file is trusted"


def check_file(path: str | Path, limits: Limits | None = None) -> FileScan:
    """Refuse ``path`` with a :class:`ReadError` before any parser opens it.

    Returns what the check learnt (:class:`FileScan`) for a file it accepts.
    """
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ReadError(path, "no such file", "file.missing") from None
    except IsADirectoryError:
        raise ReadError(path, "is a folder, not a workbook", "file.not-a-workbook") from None
    except OSError as exc:
        raise ReadError(path, f"cannot be opened ({exc.strerror})", "file.unreadable") from None
    if size == 0:
        raise ReadError(path, "the file is empty", "file.empty")
    if size > limits.max_file_mib * _MIB:
        raise ReadError(
            path,
            f"the file is {size / _MIB:.0f} MiB, over the limit max_file_mib="
            f"{limits.max_file_mib} ({_raise_hint('max_file_mib')})",
            "limit.file-size",
        )
    if head.startswith(_CFB_MAGIC):
        _check_compound_file(path)
        return FileScan(str(path), kind="cfb")
    if head.startswith(_EMPTY_ZIP_MAGIC):
        raise ReadError(path, "an empty zip archive, not a workbook", "file.not-a-workbook")
    if not head.startswith(_ZIP_MAGIC):
        kind = "text (CSV?)" if _looks_like_text(path) else "unknown binary data"
        raise ReadError(
            path,
            f"not a workbook: the content is {kind}, not an Excel or OpenDocument file "
            "whatever its name says",
            "file.not-a-workbook",
        )
    return _Archive(path, limits).check()


def _check_compound_file(path: Path) -> None:
    """An OLE file is a legacy .xls, or an encrypted .xlsx (EncryptionInfo stream)."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if any(marker in head for marker in _ENCRYPTED_MARKERS):
        raise ReadError(
            path,
            "the workbook is password-protected (encrypted); save an unprotected copy",
            "file.encrypted",
        )


# ---------------------------------------------------------------------------
# The archive


class _Archive:
    """One zip archive: its directory, then each entry inflated in a stream."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.scan = FileScan(str(path))
        self.inflated_total = 0

    def fail(self, reason: str, code: str) -> ReadError:
        return ReadError(self.path, reason, code)

    def check(self) -> FileScan:
        with self.path.open("rb") as handle:
            self.file_size = self.path.stat().st_size
            count = _declared_entry_count(handle)
            if count is not None and count > self.limits.max_archive_entries:
                raise self._too_many(count)
            try:
                with zipfile.ZipFile(handle) as archive:
                    entries = archive.infolist()
            except zipfile.BadZipFile as exc:
                raise self.fail(f"damaged or truncated archive ({exc})", "file.damaged") from None
            except Exception as exc:  # zipfile raises several kinds on a mangled directory
                raise self.fail(
                    f"damaged archive ({type(exc).__name__}: {exc})", "file.damaged"
                ) from None
            if len(entries) > self.limits.max_archive_entries:
                raise self._too_many(len(entries))
            self._check_declared(entries)
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names:
                self.scan.kind = "ooxml"
            elif "mimetype" in names:
                self.scan.kind = "ods"
            else:
                raise self.fail(
                    "a zip archive but not a workbook (no [Content_Types].xml or mimetype entry)",
                    "file.not-a-workbook",
                )
            by_name = {entry.filename: entry for entry in entries}
            if self.scan.kind == "ooxml":
                self._read_workbook_parts(handle, by_name)
            for entry in entries:
                self._scan_entry(handle, entry)
        return self.scan

    def _too_many(self, count: int) -> ReadError:
        return self.fail(
            f"the archive has {count} entries, over the limit max_archive_entries="
            f"{self.limits.max_archive_entries} ({_raise_hint('max_archive_entries')})",
            "limit.archive-entries",
        )

    def _check_declared(self, entries: list[zipfile.ZipInfo]) -> None:
        """The sizes the directory declares: a bomb that admits it is refused at once."""
        total = 0
        for entry in entries:
            total += entry.file_size
            self._check_entry_size(entry.filename, entry.file_size)
            if (
                entry.file_size > _GRACE
                and entry.file_size
                > self.limits.max_compression_ratio * max(entry.compress_size, 1)
            ):
                raise self._ratio(entry.filename, entry.file_size / max(entry.compress_size, 1))
        self._check_total(total)

    def _check_entry_size(self, name: str, size: int) -> None:
        if size > self.limits.max_entry_mib * _MIB:
            raise self.fail(
                f"entry {name} inflates to more than {self.limits.max_entry_mib} MiB, over the "
                f"limit max_entry_mib={self.limits.max_entry_mib} "
                f"({_raise_hint('max_entry_mib')})",
                "limit.entry-size",
            )

    def _check_total(self, total: int) -> None:
        if total > self.limits.max_uncompressed_mib * _MIB:
            raise self.fail(
                f"the archive inflates to more than {self.limits.max_uncompressed_mib} MiB, "
                f"over the limit max_uncompressed_mib={self.limits.max_uncompressed_mib} "
                f"({_raise_hint('max_uncompressed_mib')})",
                "limit.uncompressed-size",
            )

    def _ratio(self, name: str, ratio: float) -> ReadError:
        return self.fail(
            f"entry {name} is compressed more than {ratio:.0f}:1, over the limit "
            f"max_compression_ratio={self.limits.max_compression_ratio} (a zip bomb?; "
            f"{_raise_hint('max_compression_ratio')})",
            "limit.compression-ratio",
        )

    # -- inflating -------------------------------------------------------------------

    def _inflate(self, handle: BinaryIO, entry: zipfile.ZipInfo) -> Generator[bytes, None, None]:
        """The entry's real content, a chunk at a time, whatever its directory declares.

        Refuses the file as soon as the entry inflates past what it declares, past a
        limit, or at a higher ratio than allowed.
        """
        name = entry.filename
        if entry.flag_bits & 0x1:
            raise self.fail(
                f"entry {name} is encrypted; save an unprotected copy of the workbook",
                "file.encrypted",
            )
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise self.fail(
                f"entry {name} uses compression method {entry.compress_type}, which "
                "workbooks do not use",
                "file.damaged",
            )
        handle.seek(entry.header_offset)
        header = handle.read(30)
        if len(header) < 30 or not header.startswith(_ZIP_MAGIC):
            raise self.fail(f"entry {name} is missing from the archive", "file.damaged")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = entry.header_offset + 30 + name_length + extra_length
        handle.seek(start)
        available = max(self.file_size - start, 0)
        inflated = 0
        if entry.compress_type == zipfile.ZIP_STORED:
            left = min(entry.compress_size, available)
            if left < entry.compress_size:
                raise self.fail(f"entry {name} is truncated", "file.damaged")
            while left:
                piece = handle.read(min(_CHUNK, left))
                if not piece:
                    raise self.fail(f"entry {name} is truncated", "file.damaged")
                left -= len(piece)
                inflated += len(piece)
                self._count(entry, len(piece), inflated, inflated)
                yield piece
            self._check_length(entry, inflated)
            return
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        consumed = 0
        pending = b""
        full = False  # the last call filled its output: zlib may hold more without input
        while not inflater.eof:
            if not pending and not full:
                read = handle.read(min(_READ_SIZE, available - consumed))
                if not read:
                    raise self.fail(f"entry {name} is truncated", "file.damaged")
                consumed += len(read)
                pending = read
            try:
                piece = inflater.decompress(pending, _CHUNK)
            except zlib.error as exc:
                raise self.fail(f"entry {name} is damaged ({exc})", "file.damaged") from None
            full = len(piece) == _CHUNK
            pending = inflater.unconsumed_tail
            if piece:
                inflated += len(piece)
                self._count(entry, len(piece), inflated, consumed - len(pending))
                yield piece
        self._check_length(entry, inflated)

    def _count(self, entry: zipfile.ZipInfo, added: int, inflated: int, compressed: int) -> None:
        if inflated > entry.file_size:
            raise self.fail(
                f"entry {entry.filename} inflates to more than the {entry.file_size} bytes it "
                "declares (a damaged file or a disguised zip bomb)",
                "file.damaged",
            )
        self._check_entry_size(entry.filename, inflated)
        if inflated > _GRACE and inflated > self.limits.max_compression_ratio * max(compressed, 1):
            raise self._ratio(entry.filename, inflated / max(compressed, 1))
        self.inflated_total += added
        self._check_total(self.inflated_total)

    def _check_length(self, entry: zipfile.ZipInfo, inflated: int) -> None:
        if inflated != entry.file_size:
            raise self.fail(
                f"entry {entry.filename} inflates to {inflated} bytes, not the "
                f"{entry.file_size} it declares (a damaged file)",
                "file.damaged",
            )

    # -- reading -----------------------------------------------------------------------

    def _read_small(self, handle: BinaryIO, entry: zipfile.ZipInfo | None) -> bytes | None:
        """A small part's content (checked like any other), or None."""
        if entry is None or entry.file_size > _SMALL_PART:
            return None
        scanner = _Scanner(self, entry.filename, "other")
        parts = []
        for piece in self._inflate(handle, entry):
            scanner.feed(piece)
            parts.append(piece)
        scanner.close()
        self.inflated_total -= sum(len(p) for p in parts)  # counted again by the full pass
        return b"".join(parts)

    def _read_workbook_parts(self, handle: BinaryIO, by_name: dict[str, zipfile.ZipInfo]) -> None:
        """Find the workbook part and its sheets, to name them in messages and findings."""
        root_rels = self._read_small(handle, by_name.get("_rels/.rels"))
        workbook = "xl/workbook.xml"
        for _, rel_type, target in _relationships(root_rels):
            if rel_type.endswith("/officeDocument"):
                workbook = _resolve("", target)
        folder = posixpath.dirname(workbook)
        rels_name = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
        targets = {
            rid: _resolve(folder, target)
            for rid, _, target in _relationships(self._read_small(handle, by_name.get(rels_name)))
        }
        content = self._read_small(handle, by_name.get(workbook))
        if content is None:
            return
        if workbook.endswith(".xml"):
            text = _as_text(content)
            self.scan.date1904 = bool(re.search(r"date1904\s*=\s*[\"'](?:1|true)[\"']", text))
            for match in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)>", text):
                attributes = dict(re.findall(r"([\w:]+)\s*=\s*\"([^\"]*)\"", match[1]))
                rid = next((v for k, v in attributes.items() if k.endswith(":id")), None)
                sheet = _xml_unescape(attributes.get("name", ""))
                if rid in targets and sheet:
                    self.scan.sheet_parts[targets[rid]] = sheet

    def _scan_entry(self, handle: BinaryIO, entry: zipfile.ZipInfo) -> None:
        kind = "ods" if self.scan.kind == "ods" and entry.filename == "content.xml" else "other"
        if self.scan.kind == "ooxml":
            kind = "sheet" if entry.filename in self.scan.sheet_parts else "other"
        total = self.inflated_total
        try:
            self._scan_with(handle, entry, _Scanner(self, entry.filename, kind))
        except _Rescan:
            self.inflated_total = total
            key = self.scan.sheet_parts.get(entry.filename, entry.filename)
            self.scan.formulas_without_value.pop(key, None)
            self.scan.negative_serials.pop(key, None)
            self._scan_with(handle, entry, _Scanner(self, entry.filename, kind, exact=True))

    def _scan_with(self, handle: BinaryIO, entry: zipfile.ZipInfo, scanner: _Scanner) -> None:
        pieces = self._inflate(handle, entry)
        if entry.file_size >= _AHEAD_FROM and scanner.kind != "other":
            pieces = _inflated_ahead(pieces)
        # closed here, even when the scanner refuses the file: a thread inflating ahead
        # ends before anything else (a rescan) reads the file
        with contextlib.closing(pieces):
            for piece in pieces:
                scanner.feed(piece)
        scanner.close()

    def where(self, part: str) -> str:
        """A sheet's name with its part, for messages."""
        sheet = self.scan.sheet_parts.get(part)
        return f"sheet {sheet!r} ({part})" if sheet else f"entry {part}"


# ---------------------------------------------------------------------------
# Scanning the content of one entry

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_PREFIXED_ROW = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s/>]")
_CELL_REF = re.compile(rb"\br\s*=\s*[\"']([A-Za-z]{1,3}[0-9]{1,7})[\"']")
_TYPE_STR = re.compile(rb"\bt\s*=\s*[\"']str[\"']")
_VALUE = re.compile(rb"<v\s*>([^<]+)</v\s*>")
_NEGATIVE = re.compile(rb"<v>(-[0-9.Ee+-]+)</v>")
_ODS_TABLE = re.compile(rb"<table:table[\s>]([^>]*)")
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/?)>")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"'](\d+)[\"']")
_ODS_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"'](\d+)[\"']")
_ODS_NAME = re.compile(rb"table:name\s*=\s*\"([^\"]*)\"")
_ROW_NUMBER = re.compile(rb'<row(?: r="([0-9]+)")?')
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*)>")
_PREFIX_HINT = re.compile(rb":(?:row|c )")
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]+)"')
#: any number of letters: a reader places ``r="AAAA1"`` at column 18279, past XFD
_REF = re.compile(rb"\br\s*=\s*[\"']?([A-Za-z]*[0-9]*)")


@lru_cache(maxsize=8)
def _unusual_cells(digits: int) -> re.Pattern[bytes]:
    """The cells a quick pass must look at: all but ``<c r="`` with a letter and at most
    ``digits`` digits (most cells). ``<c r="`` with two or three letters and at most
    ``digits`` digits gives its letters; any other (more digits, other letters or none,
    lower case, ``r`` not first, ``<col``...) gives ``b""``: read element by element."""
    return re.compile(
        rb'<c(?! r="[A-Z][0-9]{1,%d}")(?: r="([A-Z]{2,3})[0-9]{1,%d}")?' % (digits, digits)
    )


class _Rescan(Exception):
    """A sheet part must be read again, every element (rare; see ``_Scanner._extent``)."""


def _column_number(letters: bytes) -> int:
    """AB -> 28."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


class _Scanner:
    """Looks through one entry's bytes as they are inflated.

    Every XML part: a DOCTYPE or ENTITY declaration refuses the file. A sheet part: its
    rows are counted, and its formula cells without a saved result and negative numbers
    noted. OpenDocument content: rows and cells are counted with their repeats.
    """

    def __init__(self, archive: _Archive, part: str, kind: str, *, exact: bool = False) -> None:
        self.archive = archive
        self.part = part
        self.kind = kind
        self.exact = exact  # read every row and cell element (see _Rescan)
        self.ceiling = 0  # no cell of the chunks read the quick way lies below this row
        self.started = False
        self.xml = False
        self.decoder: codecs.IncrementalDecoder | None = None
        self.carry = b""
        self.rows = 0
        # the farthest row and column of a sheet (the area a reader allocates)
        self.max_row = self.max_column = 0
        self.current_row = self.current_column = 0
        self.position = 0  # OpenDocument: rows so far in the table, empty ones included
        # OpenDocument: the table being read, its rows and cells
        self.table = ""
        self.table_rows = 0

    def feed(self, data: bytes) -> None:
        if not self.started:
            self.started = True
            self._sniff(data)
        if not self.xml:
            return
        if self.decoder is not None:
            data = self.decoder.decode(data).encode("utf-8", "surrogatepass")
        buffer = self.carry + data if self.carry else data
        end = self._cut(buffer)
        head, self.carry = buffer[:end], buffer[end:]
        if head:
            self._look(head)

    def close(self) -> None:
        if self.xml and self.decoder is not None:
            self.carry += self.decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")
        if self.carry:
            self._look(self.carry)
            self.carry = b""
        self._end_table()

    def _sniff(self, data: bytes) -> None:
        """Is this XML, and in which encoding? (Scanning binary parts would find nothing.)"""
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.xml, self.decoder = True, codecs.getincrementaldecoder("utf-16")("replace")
        elif data.startswith(b"<\x00"):
            self.xml, self.decoder = True, codecs.getincrementaldecoder("utf-16-le")("replace")
        elif data.startswith(b"\x00<"):
            self.xml, self.decoder = True, codecs.getincrementaldecoder("utf-16-be")("replace")
        else:
            self.xml = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"

    def _cut(self, buffer: bytes) -> int:
        """Where complete content ends: after the last cell or row when there is one
        (so that a cell is seen whole), else before the last ``<`` (a token like
        ``<!DOCTYPE`` or ``<row`` holds no other ``<``, so none is split)."""
        marker = b"</table:table-row>" if self.kind == "ods" else b"</c>"
        if self.kind in ("sheet", "ods"):
            end = buffer.rfind(marker)
            if end != -1:
                return end + len(marker)
        last = buffer.rfind(b"<")
        if last == -1 or len(buffer) - last > 64:
            return len(buffer)
        return last

    def _look(self, head: bytes) -> None:
        # (a search for the rare "!" first: "<!" is slow to look for where "<" is everywhere)
        if b"!" in head and b"<!" in head and _DECLARATION.search(head):
            raise self.archive.fail(
                f"{self.archive.where(self.part)} declares a DOCTYPE or ENTITY (XML entity "
                "expansion or external entities are attacks; no spreadsheet program writes "
                "them)",
                "file.xml-entities",
            )
        if self.kind == "ods":
            self._look_ods(head)
            return
        # Each test below is one pass over the chunk (the chunks of a large sheet add up
        # to most of the inflated bytes): the passes are as few as the checks allow.
        if self.kind == "sheet":
            numbers = _ROW_NUMBER.findall(head)  # b"" for a <row without r first
            rows = len(numbers)
            if b"" in numbers:
                numbers = [number for number in numbers if number]
        else:
            rows = head.count(b"<row")
            numbers = []
        if rows and len(numbers) != rows:  # every <row is a <row r="...": no <rowBreaks
            rows -= head.count(b"<rowBreaks")
        # a namespace prefix on a row or a cell is rare: one search says whether to look
        hint = _PREFIX_HINT.search(head) is not None
        prefixed = hint and b":row" in head
        if prefixed:
            rows += len(_PREFIXED_ROW.findall(head))
        self.rows += rows
        if self.rows > self.archive.limits.max_rows_per_sheet:
            raise self._too_many_rows(self.archive.where(self.part))
        if self.kind == "sheet":
            self._extent(head, rows, prefixed or (hint and b":c " in head), numbers)
            # a search for one byte is quicker than for two where "<" is everywhere, and
            # a sheet without formulas or negative numbers often has no "f" or "-" at all
            if b"f" in head and b"<f" in head:
                self._formulas(head)
            if b"-" in head and b"<v>-" in head:
                self._negatives(head)

    def _too_many_rows(self, where: str) -> ReadError:
        limit = self.archive.limits.max_rows_per_sheet
        return self.archive.fail(
            f"{where} has more than {limit} rows, over the limit max_rows_per_sheet={limit} "
            f"({_raise_hint('max_rows_per_sheet')})",
            "limit.rows-per-sheet",
        )

    def _sheet_key(self) -> str:
        return self.archive.scan.sheet_parts.get(self.part, self.part)

    def _cell_at(self, head: bytes, position: int) -> tuple[int, int] | None:
        start = head.rfind(b"<c", 0, position)
        end = head.find(b"</c>", position)
        if (
            start == -1
            or end == -1
            or head[start + 2 : start + 3] not in (b" ", b"\t", b"\n", b"\r")
        ):
            return None
        return start, end

    def _formulas(self, head: bytes) -> None:
        position = head.find(b"<f")
        notes = self.archive.scan.formulas_without_value
        while position != -1:
            if head[position + 2 : position + 3] in (b">", b" ", b"/", b"\t", b"\n", b"\r"):
                cell = self._cell_at(head, position)
                if cell is not None:
                    start, end = cell
                    body = head[start:end]
                    tag_end = body.find(b">")
                    tag = body[:tag_end]
                    has_value = _VALUE.search(body) is not None or (
                        _TYPE_STR.search(tag) is not None and b"<v" in body
                    )
                    if not has_value:
                        ref = _CELL_REF.search(tag)
                        if ref:
                            notes.setdefault(self._sheet_key(), []).append(ref[1].decode())
                    position = head.find(b"<f", end)
                    continue
            position = head.find(b"<f", position + 2)

    def _negatives(self, head: bytes) -> None:
        found = self.archive.scan.negative_serials
        for match in _NEGATIVE.finditer(head):
            cell = self._cell_at(head, match.start())
            if cell is None:
                continue
            ref = _CELL_REF.search(head, cell[0], cell[1])
            if ref is None:
                continue
            with contextlib.suppress(ValueError):
                found.setdefault(self._sheet_key(), {})[ref[1].decode().upper()] = float(match[1])

    # -- OpenDocument ----------------------------------------------------------------

    def _look_ods(self, head: bytes) -> None:
        limits = self.archive.limits
        tables = [(m.start(), m) for m in _ODS_TABLE.finditer(head)]
        rows = list(_ODS_ROW.finditer(head))
        events = sorted(
            [(pos, "table", m) for pos, m in tables] + [(m.start(), "row", m) for m in rows],
            key=lambda e: e[0],
        )
        for _, what, match in events:
            if what == "table":
                self._end_table()
                name = _ODS_NAME.search(match[1])
                self.table = name[1].decode("utf-8", "replace") if name else "?"
                continue
            repeat = _ODS_ROWS_REPEATED.search(match[1])
            count = int(repeat[1]) if repeat else 1
            self.position += count  # where the reader puts the next row, empty ones included
            if match[2]:  # <table:table-row/>: empty
                continue
            end = head.find(b"</table:table-row>", match.end())
            content = head[match.end() : end if end != -1 else len(head)]
            width = 0
            filled = 0
            for cell in _ODS_CELL.finditer(content):
                repeat = _ODS_COLUMNS_REPEATED.search(cell[1])
                width += int(repeat[1]) if repeat else 1
                if not cell[2]:
                    filled = width
            if not filled:
                continue
            self.table_rows += count
            if self.table_rows > limits.max_rows_per_sheet:
                raise self._too_many_rows(f"sheet {self.table!r}")
            self.max_row = self.position
            self.max_column = max(self.max_column, filled)
            self._check_extent(f"sheet {self.table!r}")

    def _end_table(self) -> None:
        self.table_rows = self.position = self.max_row = self.max_column = 0

    # -- the area a reader allocates -------------------------------------------------

    def _check_extent(self, where: str) -> None:
        """A reader allocates every cell from A1 to the farthest one: two cells, at A1 and
        at XFD1048576, would ask for 17 billion. Refuse before it does."""
        limits = self.archive.limits
        if self.max_row > limits.max_rows_per_sheet:
            raise self.archive.fail(
                f"{where} has a cell in row {self.max_row}, past the limit "
                f"max_rows_per_sheet={limits.max_rows_per_sheet} "
                f"({_raise_hint('max_rows_per_sheet')})",
                "limit.rows-per-sheet",
            )
        cells = self.max_row * self.max_column
        if cells > limits.max_cells_per_sheet:
            raise self.archive.fail(
                f"{where} spans {self.max_row} rows by {self.max_column} columns, more than "
                f"{limits.max_cells_per_sheet} cells, over the limit max_cells_per_sheet="
                f"{limits.max_cells_per_sheet} ({_raise_hint('max_cells_per_sheet')})",
                "limit.cells-per-sheet",
            )

    def _extent(self, head: bytes, rows: int, prefixed: bool, numbers: list[bytes]) -> None:
        """The farthest row and column of a sheet part (a reader places every cell by
        its own ``r``). Excel writes ``<row r="N">`` and ``<c r="AB12">`` with ``r``
        first: then a few quick searches find them; anything else (another attribute
        order, no ``r``, a namespace prefix) is read element by element, placing the cells
        without ``r`` the way readers do."""
        plain = not self.exact and not prefixed and len(numbers) == rows  # r first in each
        if plain:
            if numbers:
                self.max_row = max(self.max_row, *map(int, numbers))
                self.current_row = int(numbers[-1])
            if b"<c" in head:
                plain = self._cells_within(head)
        if not plain:
            self._elements(head)
        if self.ceiling * self.max_column > self.archive.limits.max_cells_per_sheet:
            # a wider column now, after chunks whose cells' rows were bounded, not read:
            # too wide for that bound. Those chunks are gone: read the part again, exactly
            raise _Rescan
        self._check_extent(self.archive.where(self.part))

    def _cells_within(self, head: bytes) -> bool:
        """The farthest column of the chunk's cells, and whether their own rows are
        within what the extent allows, as counted from the row elements (a cell
        ``r="A900000"`` inside ``<row r="2">`` is placed in row 900000 all the same). One
        search answers both: every cell is ``<c r="`` with up to three capital letters
        and no more digits than the farthest row has, and its columns of two or three
        letters are the ones to measure. When those digits could still go past a limit,
        the cells' rows are read one by one. False: read the chunk element by element (a
        cell written otherwise, with a lower-case or a four-letter column too)."""
        digits = len(str(self.max_row or 1))
        wide = set(_unusual_cells(digits).findall(head))
        if b"" in wide:
            return False  # a longer number, another form: a cell farther away, perhaps
        self.max_column = max(self.max_column, 26, *map(_column_number, wide))
        ceiling = 10**digits - 1  # no cell of this chunk lies below this row
        limits = self.archive.limits
        if ceiling <= limits.max_rows_per_sheet and (
            ceiling * max(self.max_column, 1) <= limits.max_cells_per_sheet
        ):
            self.ceiling = max(self.ceiling, ceiling)
            return True
        found = _CELL_ROW.findall(head)
        if len(found) != head.count(b'<c r="'):
            return False
        if found:
            self.max_row = max(self.max_row, *map(int, set(found)))
        return True

    def _elements(self, head: bytes) -> None:
        for match in _ELEMENT.finditer(head):
            ref = _REF.search(match[2])
            if match[1] == b"row":
                self.current_row = int(ref[1]) if ref and ref[1].isdigit() else self.current_row + 1
                self.current_column = 0
                self.max_row = max(self.max_row, self.current_row)
                continue
            if ref:
                letters = ref[1].rstrip(b"0123456789")
                digits = ref[1][len(letters) :]
                self.current_column = (
                    _column_number(letters) if letters else self.current_column + 1
                )
                if digits:
                    self.max_row = max(self.max_row, int(digits))
            else:
                self.current_column += 1
            self.max_column = max(self.max_column, self.current_column)


# ---------------------------------------------------------------------------
# Small helpers


def _inflated_ahead(pieces: Generator[bytes, None, None]) -> Generator[bytes, None, None]:
    """``pieces`` as they come, taken from a thread that runs the inflating generator a
    few chunks ahead: zlib lets go of the interpreter while it inflates, so, with a
    second core, the next chunks are inflated while this one is searched. The same
    chunks in the same order; an exception of the generator (a limit) is raised here, in
    its turn. Closing this generator stops the thread and waits for it to end."""
    ahead: queue.Queue[Any] = queue.Queue(_AHEAD)
    stop = threading.Event()

    def produce() -> None:
        try:
            for piece in pieces:
                ahead.put((piece, None))
                if stop.is_set():
                    return
            ahead.put((None, None))
        except BaseException as exc:  # handed over to be raised where it is expected
            ahead.put((None, exc))
        finally:
            pieces.close()

    worker = threading.Thread(target=produce, name="kenshu-inflate", daemon=True)
    worker.start()
    try:
        while True:
            piece, problem = ahead.get()
            if problem is not None:
                raise problem
            if piece is None:
                return
            yield piece
    finally:
        stop.set()
        while worker.is_alive():  # let a blocked put() through, so that the thread ends
            with contextlib.suppress(queue.Empty):
                ahead.get(timeout=0.01)
        worker.join()


def _declared_entry_count(handle: BinaryIO) -> int | None:
    """The entry count of the end-of-central-directory record, read before zipfile
    builds an object for every entry (a million-entry directory costs memory)."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(size - (1 << 16) - 22, 0))
    tail = handle.read()
    at = tail.rfind(_EMPTY_ZIP_MAGIC)
    if at == -1 or len(tail) - at < 22:
        return None
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if count == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])
        handle.seek(offset)
        record = handle.read(56)
        if record.startswith(b"PK\x06\x06") and len(record) >= 40:
            (count,) = struct.unpack("<Q", record[32:40])
    return count


def _relationships(content: bytes | None) -> list[tuple[str, str, str]]:
    """``(Id, Type, Target)`` of a relationships part."""
    if not content:
        return []
    found = []
    for match in re.finditer(r"<(?:\w+:)?Relationship\b([^>]*)>", _as_text(content)):
        attributes = dict(re.findall(r"(\w+)\s*=\s*\"([^\"]*)\"", match[1]))
        found.append(
            (attributes.get("Id", ""), attributes.get("Type", ""), attributes.get("Target", ""))
        )
    return found


def _resolve(folder: str, target: str) -> str:
    target = _xml_unescape(target)
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def _as_text(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", "replace")
    return content.decode("utf-8", "replace")


def _xml_unescape(text: str) -> str:
    """``xml.sax.saxutils.unescape`` with quotes, without importing it (it imports
    urllib: a twentieth of a second at every start)."""
    if "&" not in text:
        return text
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample
