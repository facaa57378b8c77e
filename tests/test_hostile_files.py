"""Files to refuse: every reading command exits 2 with one line naming the file and the
limit or defect, writes nothing, and never lets a parser inflate the file first.

Every hostile file is generated here (nothing is committed): empty files, files that are
not workbooks whatever their name says, truncated and damaged archives, zip bombs (honest
ones, and ones whose directory lies about their sizes), an archive of thousands of
entries, XML entity attacks (billion laughs and external entities) in the sheet,
shared-strings and workbook parts, an encrypted workbook (msoffcrypto-tool), and sheets of
a million real rows (.xlsx, and .ods where one XML element can stand for a million rows).

The builders are imported by the other hostile-file tests and by the fuzz tests.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import make_cohort, run_cli, run_kenshu

MIB = 1024 * 1024

# ---------------------------------------------------------------------------
# Building archives byte by byte (so that a directory can lie)


def deflate(data: bytes | None = None, *, zeros: int = 0, level: int = 1) -> bytes:
    """A raw deflate stream of ``data``, or of ``zeros`` zero bytes (compressed in chunks,
    so that a 1 GiB bomb never exists in memory)."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    if data is not None:
        return packer.compress(data) + packer.flush()
    chunk = b"\x00" * MIB
    parts = []
    left = zeros
    while left:
        parts.append(packer.compress(chunk[: min(left, MIB)]))
        left -= min(left, MIB)
    parts.append(packer.flush())
    return b"".join(parts)


def zero_crc(size: int) -> int:
    """The CRC-32 of ``size`` zero bytes."""
    crc = 0
    chunk = b"\x00" * MIB
    while size:
        crc = zlib.crc32(chunk[: min(size, MIB)], crc)
        size -= min(size, MIB)
    return crc


def raw_zip(entries: list[dict]) -> bytes:
    """A zip archive from entries ``{name, payload, crc, size, compressed, method}`` whose
    declared sizes (``size``, ``compressed``) are written as given, true or not."""
    body = bytearray()
    directory = bytearray()
    for entry in entries:
        name = entry["name"].encode()
        method = entry.get("method", 8)
        payload = entry["payload"]
        compressed = entry.get("compressed", len(payload))
        offset = len(body)
        fields = (20, 0, method, 0, 0, entry["crc"], compressed, entry["size"], len(name))
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + name + payload
        directory += (
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                *fields,
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    count = len(entries)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


def zip_entries(path: Path) -> dict[str, bytes]:
    """Every entry of a (real) zip file."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    """A well-formed zip of ``entries`` (deflated)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def sheet_part(entries: dict[str, bytes], sheet: str) -> str:
    """The part name of a sheet, found through the workbook and its relationships."""
    workbook = entries["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(\w+)"', workbook)
    assert rid, f"no sheet {sheet!r}"
    rels = entries["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'<Relationship [^>]*Id="{rid[1]}"[^>]*/>', rels)
    assert target
    path = re.search(r'Target="([^"]+)"', target[0])[1]
    return path.lstrip("/") if path.startswith("/xl/") else f"xl/{path}"


def with_doctype(xml: bytes, doctype: str) -> bytes:
    """``xml`` with a DOCTYPE put after its XML declaration (or at its start)."""
    declaration = re.match(rb"<\?xml[^>]*\?>", xml)
    at = declaration.end() if declaration else 0
    return xml[:at] + doctype.encode() + xml[at:]


def add_shared_string(entries: dict[str, bytes], sheet: str, cell: str, text_xml: str) -> None:
    """Make ``sheet!cell`` a shared string whose ``<t>`` content is ``text_xml``."""
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    entries["xl/_rels/workbook.xml.rels"] = entries["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>",
    )
    entries["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + text_xml.encode() + b"</t></si></sst>"
    )
    part = sheet_part(entries, sheet)
    entries[part], found = re.subn(
        rf'<c r="{cell}"[^>]*>.*?</c>'.encode(),
        f'<c r="{cell}" t="s"><v>0</v></c>'.encode(),
        entries[part],
        count=1,
    )
    assert found == 1, f"no cell {cell} in {part}"


def replace_cell_text(entries: dict[str, bytes], sheet: str, cell: str, text_xml: str) -> None:
    """Make ``sheet!cell`` an inline string whose ``<t>`` content is ``text_xml``."""
    part = sheet_part(entries, sheet)
    entries[part], found = re.subn(
        rf'<c r="{cell}"[^>]*>.*?</c>'.encode(),
        f'<c r="{cell}" t="inlineStr"><is><t>{text_xml}</t></is></c>'.encode(),
        entries[part],
        count=1,
    )
    assert found == 1, f"no cell {cell} in {part}"


# ---------------------------------------------------------------------------
# The corpus

BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def external_entity(secret: Path) -> str:
    return f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">]>'


SECRET = "TOP-SECRET-0f3a9c"


def _valid(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return make_cohort(folder, "valid.xlsx")


def _entity_file(folder: Path, part: str, payload: str, utf16: bool = False) -> bytes:
    """A valid cohort with an entity attack in its sheet, shared strings or workbook."""
    entries = zip_entries(_valid(folder))
    secret = folder / "secret.txt"
    secret.write_text(SECRET)
    doctype = external_entity(secret) if payload == "xxe" else BILLION_LAUGHS
    reference = "&xxe;" if payload == "xxe" else "&lol9;"
    if part == "sheet":
        replace_cell_text(entries, "Participants", "B2", reference)
        name = sheet_part(entries, "Participants")
    elif part == "sharedStrings":
        add_shared_string(entries, "Participants", "B2", reference)
        name = "xl/sharedStrings.xml"
    else:
        name = "xl/workbook.xml"
        entries[name] = entries[name].replace(
            b"</sheets>",
            f'</sheets><definedNames><definedName name="x">{reference}</definedName>'
            "</definedNames>".encode(),
        )
    entries[name] = with_doctype(entries[name], doctype)
    if utf16:
        text = entries[name].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
        entries[name] = text.encode("utf-16")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return buffer.getvalue()


def bomb(zeros: int, *, lie: str | None = None) -> bytes:
    """A workbook-looking archive whose sheet is ``zeros`` zero bytes: honest, or lying
    about its inflated size (``lie="size"``) or its compressed size (``lie="ratio"``)."""
    payload = deflate(zeros=zeros)
    entry = {
        "name": "xl/worksheets/sheet1.xml",
        "payload": payload,
        "crc": zero_crc(zeros),
        "size": zeros,
    }
    if lie == "size":
        entry["size"] = 1000
    elif lie == "ratio":
        entry["compressed"] = zeros // 50  # claims 50:1, is over 200:1
    types = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    return raw_zip(
        [
            {
                "name": "[Content_Types].xml",
                "payload": deflate(types),
                "crc": zlib.crc32(types),
                "size": len(types),
            },
            entry,
        ]
    )


def entry_count_bomb(folder: Path, count: int = 3000) -> bytes:
    """A valid cohort with ``count`` tiny extra entries."""
    entries = zip_entries(_valid(folder))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for index in range(count):
            archive.writestr(f"customXml/item{index}.txt", b"x")
    return buffer.getvalue()


def million_rows(folder: Path, rows: int = 1_000_000) -> bytes:
    """A valid cohort whose Participants sheet has ``rows`` real rows, each with an id."""
    entries = zip_entries(_valid(folder))
    part = sheet_part(entries, "Participants")
    xml = entries.pop(part).decode()
    head = xml[: xml.index("<row")]
    tail = xml[xml.index("</sheetData>") :]
    header = re.search(r'<row r="1".*?</row>', xml)[0]
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>P{n}</t></is></c></row>'
        for n in range(2, rows + 2)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        archive.writestr(part, (head + header + body + tail).encode())
    return buffer.getvalue()


def ods(rows_xml: str) -> bytes:
    """A minimal OpenDocument spreadsheet with one sheet "Participants" of ``rows_xml``."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Participants">'
        + rows_xml
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def _cell(text: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


def ods_rows(repeat: int, columns: int = 1) -> bytes:
    """An .ods of a header and one row of values repeated ``repeat`` times."""
    header = (
        "<table:table-row>" + _cell("Participant ID") + _cell("Family name") + "</table:table-row>"
    )
    row = (
        f'<table:table-row table:number-rows-repeated="{repeat}">'
        + _cell("P01", columns)
        + "</table:table-row>"
    )
    return ods(header + row)


def encrypted(folder: Path) -> bytes:
    """A valid cohort saved with a password (as Excel's "Encrypt with password" does)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    source = _valid(folder)
    buffer = io.BytesIO()
    with source.open("rb") as handle:
        OOXMLFile(handle).encrypt("secret", buffer)
    return buffer.getvalue()


def truncated(folder: Path) -> bytes:
    data = _valid(folder).read_bytes()
    return data[: len(data) // 2]


#: name -> (file name, builder(folder) -> bytes, what the one-line reason must say)
CASES: dict[str, tuple[str, Callable[[Path], bytes], tuple[str, ...]]] = {
    "empty": ("empty.xlsx", lambda f: b"", ("the file is empty",)),
    "not-a-zip": (
        "image.xlsx",
        lambda f: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        ("not a workbook", "unknown binary data"),
    ),
    "csv-named-xlsx": (
        "participants.xlsx",
        lambda f: b'participant_id,family_name\nP01,=HYPERLINK("x")\n',
        ("not a workbook", "text (CSV?)"),
    ),
    "html-named-xls": (
        "export.xls",
        lambda f: b"<html><body><table><tr><td>P01</td></tr></table></body></html>",
        ("not a workbook", "text (CSV?)"),
    ),
    "plain-zip": (
        "archive.xlsx",
        lambda f: raw_zip(
            [
                {
                    "name": "a.txt",
                    "payload": b"hello",
                    "crc": zlib.crc32(b"hello"),
                    "size": 5,
                    "method": 0,
                }
            ]
        ),
        ("not a workbook", "no [Content_Types].xml"),
    ),
    "truncated": ("truncated.xlsx", truncated, ("damaged or truncated",)),
    "zip-bomb": ("bomb.xlsx", lambda f: bomb(64 * MIB), ("max_compression_ratio=100", "zip bomb")),
    "zip-bomb-lying-size": (
        "bomb-lying-size.xlsx",
        lambda f: bomb(64 * MIB, lie="size"),
        ("xl/worksheets/sheet1.xml", "inflates to more than the 1000 bytes it declares"),
    ),
    "zip-bomb-lying-ratio": (
        "bomb-lying-ratio.xlsx",
        lambda f: bomb(64 * MIB, lie="ratio"),
        ("xl/worksheets/sheet1.xml", "max_compression_ratio=100"),
    ),
    "entry-count-bomb": (
        "entries.xlsx",
        entry_count_bomb,
        ("entries, over the limit max_archive_entries=2000", "--set max_archive_entries=N"),
    ),
    "encrypted": ("encrypted.xlsx", encrypted, ("password-protected",)),
    "million-rows": (
        "million.xlsx",
        million_rows,
        ("sheet 'Participants'", "more than 200000 rows", "max_rows_per_sheet=200000"),
    ),
    "ods-million-repeated-rows": (
        "million.ods",
        lambda f: ods_rows(1_000_000),
        ("sheet 'Participants'", "max_rows_per_sheet=200000"),
    ),
    "ods-repeated-cells": (
        "cells.ods",
        lambda f: ods_rows(100_000, columns=1000),
        ("sheet 'Participants'", "max_cells_per_sheet=10000000"),
    ),
}


def far_cell(folder: Path, cell_xml: str) -> bytes:
    """A valid cohort with one more cell, far away (readers allocate up to it)."""
    entries = zip_entries(_valid(folder))
    part = sheet_part(entries, "Participants")
    entries[part] = entries[part].replace(b"</sheetData>", cell_xml.encode() + b"</sheetData>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CASES["far-cell"] = (
    "far-cell.xlsx",
    lambda f: far_cell(f, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    ("sheet 'Participants'", "has a cell in row 1048576", "max_rows_per_sheet=200000"),
)
CASES["far-column"] = (
    "far-column.xlsx",
    lambda f: far_cell(f, '<row r="199999"><c r="XFD199999"><v>1</v></c></row>'),
    ("sheet 'Participants'", "spans 199999 rows by 16384 columns", "max_cells_per_sheet="),
)
CASES["far-column-reordered"] = (
    "far-column-reordered.xlsx",
    lambda f: far_cell(f, "<row spans='1:2' r='9999'><c t='n' r='XFD9999'><v>1</v></c></row>"),
    ("sheet 'Participants'", "spans 9999 rows by 16384 columns", "max_cells_per_sheet="),
)
CASES["ods-far-row"] = (
    "far-row.ods",
    lambda f: ods(
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/>'
        "</table:table-row><table:table-row>" + _cell("P01") + "</table:table-row>"
    ),
    ("sheet 'Participants'", "has a cell in row 1048001", "max_rows_per_sheet=200000"),
)
for _part in ("sheet", "sharedStrings", "workbook"):
    _where = {
        "sheet": "sheet 'Participants' (xl/worksheets/",
        "sharedStrings": "entry xl/sharedStrings.xml",
        "workbook": "entry xl/workbook.xml",
    }[_part]
    for _payload in ("laughs", "xxe"):
        CASES[f"{_payload}-in-{_part}"] = (
            f"{_payload}-{_part}.xlsx",
            lambda f, part=_part, payload=_payload: _entity_file(f, part, payload),
            (_where, "DOCTYPE or ENTITY"),
        )
CASES["laughs-in-utf16-sheet"] = (
    "laughs-utf16.xlsx",
    lambda f: _entity_file(f, "sheet", "laughs", utf16=True),
    ("sheet 'Participants' (xl/worksheets/", "DOCTYPE or ENTITY"),
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every hostile file, generated once for the module."""
    folder = tmp_path_factory.mktemp("hostile")
    files = {}
    for name, (file_name, build, _) in CASES.items():
        path = folder / file_name
        path.write_bytes(build(folder / f"work-{name}"))
        files[name] = path
    return files


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------
# Refused by every reading command


def _command(command: str, path: Path, out: Path) -> list[str]:
    if command == "validate":
        return ["validate", str(path), "--annotate", str(out / "annotated.xlsx")]
    if command == "validate-json":
        return ["validate", "--json", str(path)]
    if command == "report":
        return ["report", str(path), "-o", str(out / "report.xlsx"), "--csv", str(out / "csv")]
    if command == "convert":
        return ["convert", str(path), str(out / "cohort.json")]
    return ["convert", str(path), str(out / "csv"), "--to", "csv"]


@pytest.mark.parametrize("command", ["validate", "report", "convert", "convert-csv"])
@pytest.mark.parametrize("case", list(CASES))
def test_refused_by_every_reading_command(
    corpus: dict[str, Path], tmp_path: Path, case: str, command: str
) -> None:
    path = corpus[case]
    before = digest(path)
    out = tmp_path / "out"
    result = run_cli(*_command(command, path, out))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert line.startswith(f"kenshu: error: {path}: "), line
    for expected in CASES[case][2]:
        assert expected in line, line
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    assert result.stdout == ""
    assert not out.exists(), "nothing may be written for a refused file"
    assert digest(path) == before


def test_validate_json_reports_each_refusal(corpus: dict[str, Path]) -> None:
    result = run_cli("validate", "--json", *(str(p) for p in corpus.values()))
    assert result.exit_code == 2
    import json

    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == [str(p) for p in corpus.values()]
    for entry in files:
        assert entry["valid"] is False
        assert entry["error"] and entry["error_code"]
        assert entry["findings"] == []
    codes = {f["error_code"] for f in files}
    assert {
        "file.empty",
        "file.not-a-workbook",
        "file.damaged",
        "file.encrypted",
        "file.xml-entities",
        "limit.compression-ratio",
        "limit.archive-entries",
        "limit.rows-per-sheet",
        "limit.cells-per-sheet",
    } <= codes
    assert SECRET not in result.stdout


def test_refused_in_a_real_process_in_one_line_each(corpus: dict[str, Path]) -> None:
    """The console script itself: exit 2, one line per file, no traceback."""
    result = run_kenshu("validate", *(str(p) for p in corpus.values()))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(corpus), result.stderr
    for line, path in zip(lines, corpus.values(), strict=True):
        assert line.startswith(f"kenshu: error: {path}: ")
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stdout + result.stderr


# ---------------------------------------------------------------------------
# Refused before a parser inflates them: memory stays low

MEASURE = """
import resource, sys
from kenshu.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
# The peak of this process only: getrusage's ru_maxrss also counts the memory of the
# process that started it (pytest, by then large), which Linux carries over exec; VmHWM
# is the peak of this program's own memory.
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
try:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) // 1024
except OSError:
    pass
print(code, peak, file=sys.stderr)
"""


@pytest.fixture(scope="module")
def gigabyte_bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    payload = deflate(zeros=1024 * MIB)
    crc = zero_crc(1024 * MIB)
    types = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    files = {}
    for lie in (None, "size", "ratio"):
        entry = {"name": "xl/worksheets/sheet1.xml", "payload": payload, "crc": crc}
        entry["size"] = 1000 if lie == "size" else 1024 * MIB
        if lie == "ratio":
            entry["compressed"] = 1024 * MIB // 50
        head = {"name": "[Content_Types].xml", "payload": types, "crc": zlib.crc32(types)}
        head.update(size=len(types), method=0)
        path = folder / f"gigabyte-{lie or 'honest'}.xlsx"
        path.write_bytes(raw_zip([head, entry]))
        files[lie or "honest"] = path
    return files


@pytest.mark.parametrize("kind", ["honest", "size", "ratio"])
def test_a_gigabyte_bomb_is_refused_with_little_memory(
    gigabyte_bombs: dict[str, Path], kind: str
) -> None:
    path = gigabyte_bombs[kind]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    *messages, last = result.stderr.strip().splitlines()
    code, peak_mib = (int(part) for part in last.split())
    assert code == 2, result.stderr
    assert len(messages) == 1 and str(path) in messages[0]
    assert peak_mib < 300, f"peak memory {peak_mib} MiB"


# ---------------------------------------------------------------------------
# The limits are settings with documented defaults


def test_limits_are_settings_with_documented_defaults() -> None:
    import attrs
    from kenshu.cli.main import LIMIT_IDS
    from kenshu.workbook.safety import LIMIT_SETTINGS, Limits

    ids = [s.id for s in LIMIT_SETTINGS]
    assert ids == [a.name for a in attrs.fields(Limits)]
    assert tuple(ids) == LIMIT_IDS
    defaults = Limits()
    security = (Path(__file__).resolve().parent.parent / "SECURITY.md").read_text()
    for setting in LIMIT_SETTINGS:
        assert getattr(defaults, setting.id) == setting.default
        assert f"`{setting.id}`" in security and f"{setting.default:,}" in security, setting.id
    assert Limits().max_compression_ratio == 100
    assert Limits().max_rows_per_sheet == 200_000
    schema = run_cli("schema", "lgotp", "--json")
    import json

    listed = {s["id"]: s["default"] for s in json.loads(schema.stdout)["settings"]}
    for setting in LIMIT_SETTINGS:
        assert listed[setting.id] == setting.default


def test_raising_a_limit_lets_a_trusted_file_through(corpus: dict[str, Path]) -> None:
    path = corpus["entry-count-bomb"]
    assert run_cli("validate", str(path)).exit_code == 2
    result = run_cli("validate", str(path), "--set", "max_archive_entries=5000")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["validate", "report", "convert"])
def test_the_row_limit_is_counted_in_the_file(tmp_path: Path, command: str) -> None:
    book = make_cohort(tmp_path)
    args = {
        "validate": ["validate", str(book)],
        "report": ["report", str(book), "--json"],
        "convert": ["convert", str(book), str(tmp_path / "out.json")],
    }[command]
    refused = run_cli(*args, "--set", "max_rows_per_sheet=3")
    assert refused.exit_code == 2
    assert "more than 3 rows, over the limit max_rows_per_sheet=3" in refused.stderr
    assert "--set max_rows_per_sheet=N" in refused.stderr
    assert run_cli(*args).exit_code in (0, 1)


def test_convert_set_takes_only_reading_limits(valid_book: Path, tmp_path: Path) -> None:
    result = run_cli(
        "convert", str(valid_book), str(tmp_path / "x.json"), "--set", "class_min_size=2"
    )
    assert result.exit_code == 2
    assert "convert takes only the reading limits" in result.stderr


def test_a_declared_size_that_matches_is_read(tmp_path: Path) -> None:
    """The raw builder makes archives Python's zipfile agrees with (so the lies above are
    the only defects of the bombs)."""
    data = b"<x/>" * 1000
    path = tmp_path / "ok.zip"
    path.write_bytes(
        raw_zip(
            [
                {
                    "name": "a.xml",
                    "payload": deflate(data),
                    "crc": zlib.crc32(data),
                    "size": len(data),
                }
            ]
        )
    )
    with zipfile.ZipFile(path) as archive:
        assert archive.read("a.xml") == data
    assert os.path.getsize(path) < len(data)
