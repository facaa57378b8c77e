"""The pre-scan of a workbook's sheets (``kenshu.workbook.safety``): its quick way (a few
searches per chunk) learns what reading every row and cell element learns, and a reader
is never handed a sheet whose cells lie farther than the limits allow, wherever the cell
says it lies."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import make_cohort, run_cli, run_kenshu
from kenshu.workbook import safety
from kenshu.workbook.engines import ReadError


def sheet_workbook(path: Path, sheet_data: str) -> Path:
    """A workbook whose one sheet, Participants, holds ``sheet_data`` as written."""
    book = openpyxl.Workbook()
    book.active.title = "Participants"
    book.active["A1"] = "participant_id"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    part = "xl/worksheets/sheet1.xml"
    xml = entries[part]
    start = xml.index(b"<sheetData")
    end = xml.index(b"</sheetData>") + len(b"</sheetData>") if b"</sheetData>" in xml else None
    if end is None:  # <sheetData/>
        end = xml.index(b"/>", start) + 2
    entries[part] = xml[:start] + f"<sheetData>{sheet_data}</sheetData>".encode() + xml[end:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def rows(count: int, *, last: str = "") -> str:
    """``count`` plain rows as Excel writes them, then ``last`` inside the last row."""
    body = "".join(f'<row r="{n}"><c r="A{n}" t="n"><v>{n}</v></c></row>' for n in range(1, count))
    return body + f'<row r="{count}"><c r="A{count}" t="n"><v>1</v></c>{last}</row>'


@pytest.mark.parametrize(
    ("sheet_data", "expected"),
    [
        # a cell placed far below the row element it sits in
        ('<row r="2"><c r="A900000" t="n"><v>1</v></c></row>', "has a cell in row 900000"),
        (
            '<row r="2"><c r="XFD150000" t="n"><v>1</v></c></row>',
            "spans 150000 rows by 16384 columns",
        ),
        # the same after many plain rows, in a later chunk
        (rows(60_000, last='<c r="B190000" t="n"><v>1</v></c>'), "spans 190000 rows by 26"),
        (rows(60_000, last='<c r="ZZ60000" t="n"><v>1</v></c>'), "spans 60000 rows by 702"),
    ],
)
def test_a_cell_is_placed_where_it_says(tmp_path: Path, sheet_data: str, expected: str) -> None:
    path = sheet_workbook(tmp_path / "far.xlsx", sheet_data)
    with pytest.raises(ReadError) as refused:
        safety.check_file(path, safety.Limits(max_cells_per_sheet=4_000_000))
    assert expected in refused.value.reason
    assert refused.value.code in ("limit.rows-per-sheet", "limit.cells-per-sheet")


def test_the_command_refuses_a_far_cell_before_reading(tmp_path: Path) -> None:
    path = sheet_workbook(tmp_path / "far.xlsx", '<row r="2"><c r="A900000"><v>1</v></c></row>')
    result = run_cli("validate", str(path))
    assert result.exit_code == 2, result.output
    assert "has a cell in row 900000" in result.stderr
    assert "max_rows_per_sheet=200000" in result.stderr
    process = run_kenshu("validate", str(path))
    assert process.returncode == 2 and "has a cell in row 900000" in process.stderr
    assert "Traceback" not in process.stderr


def scans_exact(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each scan of a sheet part is the exact one (element by element), in order."""
    exact: list[bool] = []
    original = safety._Scanner.__init__

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        exact.append(self.exact)

    monkeypatch.setattr(safety._Scanner, "__init__", spy)
    return exact


def test_a_column_widened_late_is_read_again_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40,000 rows, the last one 200 columns wide: the quick way bounded the first
    chunks' rows by 99,999, too many for 200 columns, so the sheet is read again element
    by element, and accepted (40,000 x 200 cells is within the limit)."""
    path = sheet_workbook(tmp_path / "wide.xlsx", rows(40_000, last='<c r="GR40000"><v>1</v></c>'))
    exact = scans_exact(monkeypatch)
    safety.check_file(path)
    assert True in exact
    with pytest.raises(ReadError, match="spans 40000 rows by 200 columns"):
        safety.check_file(path, safety.Limits(max_cells_per_sheet=7_999_999))


@pytest.fixture(scope="module")
def cohort_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_cohort(tmp_path_factory.mktemp("scan"))


@pytest.mark.parametrize(
    "sheet_data",
    [
        rows(50_000),
        rows(3, last='<c r="B3" t="str"><f>1+1</f></c><c r="C3"><v>-5</v></c>'),
        '<row r="1"><c r="A1"><v>1</v></c></row><row><c><v>2</v></c><c r="AB7"/></row>',
    ],
    ids=["plain", "formula-and-negative", "no-references"],
)
def test_the_quick_way_learns_what_the_exact_way_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sheet_data: str, cohort_book: Path
) -> None:
    paths = [sheet_workbook(tmp_path / "sheet.xlsx", sheet_data), cohort_book]
    quick = [safety.check_file(p) for p in paths]
    original = safety._Scanner.__init__
    monkeypatch.setattr(
        safety._Scanner,
        "__init__",
        lambda self, archive, part, kind, **_: original(self, archive, part, kind, exact=True),
    )
    assert [safety.check_file(p) for p in paths] == quick
