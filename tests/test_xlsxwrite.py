"""kenshu.workbook.xlsxwrite: the streaming writer on XlsxWriter, and its traps.

Each test writes a real workbook, reads it back with both reading engines (python-calamine
and openpyxl) or opens its XML, and compares values.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from kenshu.serial import cohort_to_json
from kenshu.workbook.engines import open_workbook
from kenshu.workbook.export import write_cohort_workbook
from kenshu.workbook.xlsxwrite import (
    Cell,
    SheetFullError,
    Style,
    XlsxBook,
    excel_serial,
    xlsx_workbook,
)

ENGINES = ("calamine", "openpyxl")
REGISTRY = PluginRegistry.discover()


def read_back(path: Path, engine: str) -> dict[str, list[list[Any]]]:
    """Every sheet's rows as kenshu's reader gives them (escapes decoded, "" as None)."""
    book = open_workbook(path, engine)
    try:
        out = {}
        for info in book.sheets():
            rows: list[list[Any]] = []
            for number, values in book.rows(info.name):
                while len(rows) < number - 1:
                    rows.append([])
                while values and values[-1] is None:
                    values = values[:-1]
                rows.append(values)
            out[info.name] = rows
        return out
    finally:
        book.close()


def sheet_xml(path: Path, index: int = 1) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def write_rows(path: Path, rows: list[list[Any]], **column: Any) -> Path:
    with xlsx_workbook(path) as book:
        sheet = book.sheet("Data")
        if column:
            sheet.column(0, **column)
        for row in rows:
            sheet.append(row)
    return path


TEXTS = [
    "=1+1",  # never a formula
    '=HYPERLINK("http://x")',
    "http://example.com",  # never a link
    "00123",  # never a number
    "1e5",
    "  leading and trailing  ",
    'a & <b> "q"',
    "<r>looks like rich text</r>",  # XlsxWriter writes such a string as raw XML
    "<r><t>x</t></r>",
    "bell\x07 nul\x00 esc\x1b",
    "_x0041_",
    "_x005F\x00",  # the escape of NUL must not complete a literal _x005F
    "_x0041_x0042_",
    "cr\r\nlf",
    "😀 نغوين 課長 \U00020b9f",
]


@pytest.mark.parametrize("engine", ENGINES)
def test_text_is_written_as_text_and_read_back_exactly(tmp_path: Path, engine: str) -> None:
    book = write_rows(tmp_path / "t.xlsx", [[text] for text in TEXTS])
    assert [row[0] for row in read_back(book, engine)["Data"]] == TEXTS
    xml = sheet_xml(book)
    assert "<f>" not in xml and "<hyperlink" not in xml
    assert "_x005F_x0041_" in xml and "_x0007_" in xml  # Excel's escapes, once


def test_escapes_are_written_once(tmp_path: Path) -> None:
    rows = [["_x0041_"], ["\x07"], ["_x005F\x00"], ["lone \ud800"], ["\ufffe\uffff"]]
    xml = sheet_xml(write_rows(tmp_path / "t.xlsx", rows))
    # characters that cannot be encoded or are no XML characters: escaped, not an error
    assert ">lone _xD800_<" in xml and ">_xFFFE__xFFFF_<" in xml
    assert ">_x005F_x0041_<" in xml
    assert ">_x0007_<" in xml
    assert ">_x005F_x005F_x0000_<" in xml
    assert "_x005F_x005F_x005F" not in xml


@pytest.mark.parametrize("engine", ENGINES)
def test_values_by_type(tmp_path: Path, engine: str) -> None:
    aware = dt.datetime(2024, 5, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    row = [
        7,
        -2.5,
        True,
        False,
        dt.date(2024, 5, 12),
        dt.datetime(2024, 5, 12, 10, 30),
        aware,
        dt.time(10, 30),
        dt.timedelta(hours=1),
        ["a", "b"],
        {"k": 1},
        float("nan"),
        float("inf"),
        -float("inf"),
        2**60 + 1,
        10**400,
    ]
    book = write_rows(tmp_path / "t.xlsx", [row])
    got = read_back(book, engine)["Data"][0]
    assert got[:6] == [7, -2.5, "yes", "no", dt.date(2024, 5, 12), dt.datetime(2024, 5, 12, 10, 30)]
    assert got[6:14] == [
        "2024-05-01T10:30:00+09:00",  # Excel has no time zones: kept as text
        "10:30:00",
        "1:00:00",
        "a; b",
        '{"k": 1}',
        "NaN",  # not silently emptied
        "Infinity",
        "-Infinity",
    ]
    assert got[14] == float(2**60)  # Excel's 15 digits, as before
    assert got[15] == str(10**400)


def test_dates_have_the_iso_format(tmp_path: Path) -> None:
    book = write_rows(tmp_path / "t.xlsx", [[dt.date(2024, 5, 12), dt.datetime(2024, 5, 12, 8)]])
    ws = openpyxl.load_workbook(book)["Data"]
    assert ws["A1"].number_format == "yyyy-mm-dd"
    assert ws["A1"].is_date and ws["B1"].is_date


@pytest.mark.parametrize(
    "day", [dt.date(1850, 1, 1), dt.date(1899, 12, 29), dt.date(1900, 2, 28), dt.date(1900, 3, 1)]
)
def test_early_dates_have_the_day_numbers_readers_expect(tmp_path: Path, day: dt.date) -> None:
    import openpyxl.utils.datetime as opx

    # the day numbers openpyxl wrote (and kenshu's reader turns back into these dates)
    assert excel_serial(day) == opx.to_excel(day)
    assert excel_serial(dt.datetime.combine(day, dt.time(6))) == opx.to_excel(
        dt.datetime.combine(day, dt.time(6))
    )
    source = _cohort_with(tmp_path, {"$date": day.isoformat()})["source"]
    data, _, schema = load_cohort(source, REGISTRY)
    write_cohort_workbook(tmp_path / "c.xlsx", data, schema)
    for engine in ENGINES:
        again, _, _ = load_cohort(tmp_path / "c.xlsx", REGISTRY, engine=engine)
        memo = cohort_to_json(again)["participants"][0]["_unknown"]["Memo"]
        assert memo == {"$date": day.isoformat()}


@pytest.mark.parametrize("engine", ENGINES)
def test_columns_with_a_format(tmp_path: Path, engine: str) -> None:
    """A number in a date column stays a number; a text column is formatted as text."""
    dated = write_rows(
        tmp_path / "d.xlsx", [[12345], [dt.date(2024, 1, 2)]], number_format="yyyy-mm-dd"
    )
    assert read_back(dated, engine)["Data"] == [[12345], [dt.date(2024, 1, 2)]]
    text = write_rows(tmp_path / "t.xlsx", [["007"], [7]], width=20, number_format="@")
    assert read_back(text, engine)["Data"] == [["007"], [7]]
    ws = openpyxl.load_workbook(text)["Data"]
    assert ws.column_dimensions["A"].number_format == "@"
    assert ws.column_dimensions["A"].width == pytest.approx(20, abs=1)


@pytest.mark.parametrize("engine", ENGINES)
def test_long_text_is_kept_whole(tmp_path: Path, engine: str) -> None:
    """XlsxWriter would cut a string at 32,767 characters, silently: kenshu keeps it."""
    texts = ["x" * 40_000, "\x01" * 5_000, "😀" * 20_000]
    book = write_rows(tmp_path / "t.xlsx", [[text] for text in texts])
    assert [row[0] for row in read_back(book, engine)["Data"]] == texts


def test_sheet_names_are_made_acceptable_and_never_dropped(tmp_path: Path) -> None:
    names = [
        "Notes",
        "notes",
        "NOTES",
        "'quoted'",
        "a/b:c*d?[e]",
        "x" * 40,
        "x" * 40,
        "",
        "😀" * 31,
    ]
    path = tmp_path / "t.xlsx"
    with xlsx_workbook(path) as book:
        titles = []
        for index, name in enumerate(names):
            sheet = book.sheet(name)
            sheet.append([index])
            titles.append(sheet.title)
    assert titles[:5] == ["Notes", "notes1", "NOTES2", "_quoted_", "a_b_c_d__e_"]
    assert titles[5:8] == ["x" * 31, "x" * 30 + "1", "Sheet"]
    assert titles[8] == "😀" * 31
    for engine in ENGINES:
        sheets = read_back(path, engine)
        assert list(sheets) == titles
        assert [sheets[t] for t in titles] == [[[i]] for i in range(len(names))]


def test_styles_comments_panes_hidden_sheets_and_dropdowns(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    with xlsx_workbook(path) as book:
        sheet = book.sheet("Main")
        sheet.freeze(1)
        sheet.append(
            [
                Cell("head", Style(bold=True, fill="FFDDE7F3"), "help text", size=(260, 110)),
                Cell("it", Style(bold=True, italic=True)),
                Cell(None, Style(fill="FFF4C7C3"), "[error] empty"),
                Cell(dt.date(2024, 1, 2), Style(fill="FFF4C7C3")),
            ]
        )
        sheet.append(["female"])
        sheet.dropdown("A2:A10", "_lists!$A$2:$A$3")
        sheet.dropdown("B2 B4", "_lists!$A$2:$A$3")
        lists = book.sheet("_lists", hidden=True)
        lists.append(["sex"])
        lists.append(["male"])
        lists.append(["female"])
    wb = openpyxl.load_workbook(path)
    ws = wb["Main"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b and not ws["A1"].font.i and ws["B1"].font.i
    assert ws["A1"].fill.fgColor.rgb.endswith("DDE7F3")
    assert ws["C1"].fill.fgColor.rgb.endswith("F4C7C3") and ws["C1"].value is None
    assert ws["D1"].value == dt.datetime(2024, 1, 2) and ws["D1"].number_format == "yyyy-mm-dd"
    assert ws["A1"].comment.text == "help text" and ws["A1"].comment.author == "kenshu"
    assert ws["C1"].comment.text == "[error] empty"
    assert wb["_lists"].sheet_state == "hidden"
    validations = ws.data_validations.dataValidation
    assert [str(v.sqref) for v in validations] == ["A2:A10", "B2 B4"]
    for v in validations:
        assert v.type == "list" and v.formula1 == "_lists!$A$2:$A$3"
        assert not v.showErrorMessage


def test_comments_with_characters_xml_cannot_carry(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    with xlsx_workbook(path) as book:
        book.sheet("S").append([Cell("v", comment="bell\x07 lone\ud800 _x0041_")])
    comment = openpyxl.load_workbook(path)["S"]["A1"].comment.text
    assert comment.startswith("bell") and "\ufffd" in comment


def test_a_failed_write_leaves_the_target_and_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")
    spilled = []
    with pytest.raises(RuntimeError), xlsx_workbook(target) as book:
        sheet = book.sheet("S")
        for n in range(100):
            sheet.append([n, "text"])
        spilled.append(Path(sheet._ws.row_data_filename))
        raise RuntimeError("stop")
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]
    assert not spilled[0].exists()


def test_cells_are_written_as_xlsxwriters_own_cell_writer_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer's quicker cell writer (text and numbers) writes the same XML as the
    XlsxWriter method it stands in for: styles of cell, row and column, space to keep."""
    from kenshu.workbook import xlsxwrite
    from xlsxwriter.worksheet import Worksheet

    def write(path: Path) -> Path:
        with xlsx_workbook(path) as book:
            sheet = book.sheet("Data")
            sheet.column(2, number_format="0.00")
            sheet.column(3, width=30)
            bold = Style(bold=True)
            rows: list[list[Any]] = [
                ["plain", "  leading", "trailing  ", "\tTab", 'a & <b> "q"', "行\n"],
                [1, -2.5, 1e-7, 2**53, 12345678901234567, 0.1 + 0.2],
                [dt.date(2024, 4, 1), dt.datetime(2024, 4, 1, 9, 30), True, None, "", " "],
                [Cell("styled", bold), Cell(3, bold), Cell("note", comment="a comment")],
                ["Nguyễn Thị Hồng", "山田\u3000", "\u00a0nbsp", "x", 0, -0.0],
            ]
            for row in rows:
                sheet.append(row)
        return path

    ours = sheet_xml(write(tmp_path / "ours.xlsx"))
    monkeypatch.setattr(xlsxwrite._worksheet_class(), "_write_cell", Worksheet._write_cell)
    theirs = sheet_xml(write(tmp_path / "theirs.xlsx"))
    assert ours == theirs
    assert ours.count('xml:space="preserve"') >= 5 and ' s="' in ours


def test_memory_stays_flat_one_row_at_a_time(tmp_path: Path) -> None:
    """constant_memory: rows already written are not kept in the worksheet's table."""
    path = tmp_path / "t.xlsx"
    with xlsx_workbook(path) as book:
        sheet = book.sheet("S")
        for n in range(1000):
            sheet.append([n, f"row {n}"])
        assert len(sheet._ws.table) <= 1
    assert read_back(path, "calamine")["S"][999] == [999, "row 999"]


def test_spilled_rows_are_copied_into_each_sheet_whole(tmp_path: Path) -> None:
    """The rows each sheet spilled to its temporary file (here several copy chunks of
    multi-byte text) come back whole and in order, and the temporary files are gone."""
    path = tmp_path / "t.xlsx"
    names = ["Nguyễn Thị Hồng Nhung", "山田 太郎", "Ólafsdóttir 😀"]
    spilled = []
    with xlsx_workbook(path) as book:
        for title in ("A", "B"):
            sheet = book.sheet(title)
            for n in range(3000):
                sheet.append([n, f"{title} {names[n % 3]} {n}"])
            spilled.append(Path(sheet._ws.row_data_filename))
        book.sheet("Empty")
    for engine in ENGINES:
        sheets = read_back(path, engine)
        for title in ("A", "B"):
            assert sheets[title] == [[n, f"{title} {names[n % 3]} {n}"] for n in range(3000)]
        assert sheets["Empty"] == []
    assert len(sheet_xml(path, 1).encode("utf-8")) > 2 * (1 << 16)  # more than one chunk
    assert not any(p.exists() for p in spilled)


def test_xlsxwriter_is_imported_only_when_writing() -> None:
    code = (
        "import sys, kenshu.workbook.export, kenshu.report_write, kenshu.diff, kenshu.cli.main;"
        "print('xlsxwriter' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_book_is_usable_without_the_context_manager(tmp_path: Path) -> None:
    book = XlsxBook(tmp_path / "plain.xlsx")
    book.sheet("S").append(["a", 1])
    book.close()
    assert read_back(tmp_path / "plain.xlsx", "openpyxl") == {"S": [["a", 1]]}


def _cohort_with(tmp_path: Path, value: Any) -> dict[str, Any]:
    payload = {
        "format": "kenshu-cohort/1",
        "programme": "lgotp",
        "cohort": {"programme": "lgotp", "cohort_id": "C1"},
        "participants": [{"participant_id": "P1", "_unknown": {"Memo": value}}],
        "unknown_columns": {"participants": ["Memo"]},
    }
    source = tmp_path / "c.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    return {"source": source}


@pytest.mark.parametrize("engine", ENGINES)
def test_cohort_cells_over_excels_limit_are_not_cut(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl cut such a cell at 32,767 characters without a word; now it is kept."""
    memo = "long memo " * 4_000 + "end"
    source = _cohort_with(tmp_path, memo)["source"]
    data, _, schema = load_cohort(source, REGISTRY)
    book = tmp_path / "c.xlsx"
    write_cohort_workbook(book, data, schema)
    monkeypatch.setenv("KENSHU_READER", engine)
    again, _, _ = load_cohort(book, REGISTRY)
    assert cohort_to_json(again)["participants"][0]["_unknown"]["Memo"] == memo


def test_what_a_sheet_cannot_hold_is_an_error_not_a_loss(tmp_path: Path) -> None:
    """XlsxWriter skips cells past row 1,048,576 or column XFD: kenshu refuses instead."""
    target = tmp_path / "t.xlsx"
    with pytest.raises(SheetFullError, match="columns"), xlsx_workbook(target) as book:
        book.sheet("Wide").append(list(range(16_385)))
    with pytest.raises(SheetFullError, match="rows"), xlsx_workbook(target) as book:
        sheet = book.sheet("Long")
        sheet._row = 1_048_576  # as if that many rows had been written
        sheet.append(["one too many"])
    assert not target.exists()
    with xlsx_workbook(target) as book:
        book.sheet("Widest").append(list(range(16_384)))
    assert read_back(target, "calamine")["Widest"] == [list(range(16_384))]


def test_libreoffice_opens_what_the_writer_writes(tmp_path: Path) -> None:
    """Calc opens the workbook (styles, comments, a dropdown, a hidden sheet, text that
    looks like markup or a formula, a cell past Excel's limit) and saves the same values."""
    from libreoffice import convert, require_soffice

    soffice = require_soffice()
    rows = [
        [Cell("name", Style(bold=True, fill="FFDDE7F3"), "help"), "date", "number"],
        ["=1+1", dt.date(2024, 5, 12), 7],
        ["<r>x</r>", dt.date(1900, 3, 1), -2.5],
        ['a & <b> "q"', None, 2**40],
        ["00123", "x" * 40_000, float("nan")],
    ]
    source = tmp_path / "written.xlsx"
    with xlsx_workbook(source) as book:
        sheet = book.sheet("Data")
        sheet.freeze(1)
        sheet.column(0, width=20, number_format="@")
        for row in rows:
            sheet.append(row)
        sheet.dropdown("C2:C10", "_lists!$A$2:$A$3")
        lists = book.sheet("_lists", hidden=True)
        for value in ("list", "a", "b"):
            lists.append([value])
    (ods,) = convert([source], "ods", tmp_path / "calc", soffice=soffice)
    got = read_back(ods, "calamine")
    assert got["Data"] == [
        ["name", "date", "number"],
        ["=1+1", dt.date(2024, 5, 12), 7],
        ["<r>x</r>", dt.date(1900, 3, 1), -2.5],
        ['a & <b> "q"', None, 2**40],
        ["00123", "x" * 40_000, "NaN"],
    ]
    assert got["_lists"] == [["list"], ["a"], ["b"]]
