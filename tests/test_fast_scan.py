"""The quick pre-scan of large sheets (``kenshu.workbook.safety``): one search per chunk
finds every cell a reader would place farther than the row elements say, however its
column is written, and a large sheet inflated by a thread of its own is checked exactly
as one inflated in turn."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest
from kenshu.workbook import safety
from kenshu.workbook.engines import ReadError
from test_safety_scan import rows, scans_exact, sheet_workbook


@pytest.mark.parametrize(
    ("cell", "columns"),
    [
        ("zz60000", 702),  # lower case: readers take it as ZZ
        ("Xfd60000", 16384),
        ("AAAA60000", 18279),  # four letters: past XFD, and readers allocate up to it
    ],
)
def test_a_wide_column_written_otherwise_is_measured(
    tmp_path: Path, cell: str, columns: int
) -> None:
    """In a chunk after thousands of plain rows, not only in the first one."""
    path = sheet_workbook(tmp_path / "wide.xlsx", rows(60_000, last=f'<c r="{cell}"><v>1</v></c>'))
    with pytest.raises(ReadError) as refused:
        safety.check_file(path, safety.Limits(max_cells_per_sheet=4_000_000))
    assert f"spans 60000 rows by {columns} columns" in refused.value.reason
    assert refused.value.code == "limit.cells-per-sheet"


@pytest.fixture(scope="module")
def large_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sheet larger than the size from which it is inflated ahead, with a formula cell
    without a value and a negative number in its last row."""
    folder = tmp_path_factory.mktemp("large")
    last = '<c r="B90000" t="str"><f>1+1</f></c><c r="C90000"><v>-5</v></c>'
    path = sheet_workbook(folder / "large.xlsx", rows(90_000, last=last))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > safety._AHEAD_FROM
    return path


def _threads() -> set[threading.Thread]:
    return set(threading.enumerate())


def test_a_sheet_inflated_ahead_is_learnt_as_one_inflated_in_turn(
    large_sheet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _threads()
    ahead = safety.check_file(large_sheet)
    assert _threads() == before  # the inflating thread has ended
    assert ahead.formulas_without_value == {"Participants": ["B90000"]}
    assert ahead.negative_serials == {"Participants": {"C90000": -5.0}}
    monkeypatch.setattr(safety, "_AHEAD_FROM", 1 << 40)
    assert safety.check_file(large_sheet) == ahead
    original = safety._Scanner.__init__
    monkeypatch.setattr(
        safety._Scanner,
        "__init__",
        lambda self, archive, part, kind, **_: original(self, archive, part, kind, exact=True),
    )
    assert safety.check_file(large_sheet) == ahead


def test_a_limit_met_by_the_scanner_while_inflating_ahead_refuses_the_file(
    large_sheet: Path,
) -> None:
    before = _threads()
    with pytest.raises(ReadError, match="more than 50000 rows"):
        safety.check_file(large_sheet, safety.Limits(max_rows_per_sheet=50_000))
    assert _threads() == before


def test_a_limit_met_by_the_inflating_thread_is_raised_in_its_turn(
    large_sheet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = safety._Archive._count

    def three_mib(self, entry, added, inflated, compressed):  # type: ignore[no-untyped-def]
        if inflated > 3 * safety._MIB:  # a limit that the directory could not tell
            raise self.fail(f"{entry.filename} inflates to more than 3 MiB", "limit.entry-size")
        count(self, entry, added, inflated, compressed)

    monkeypatch.setattr(safety._Archive, "_count", three_mib)
    before = _threads()
    with pytest.raises(ReadError, match="inflates to more than 3 MiB"):
        safety.check_file(large_sheet)
    assert _threads() == before


def test_a_declaration_in_a_large_sheet_is_refused(tmp_path: Path) -> None:
    body = rows(90_000).replace('<row r="3">', '<!DOCTYPE x [<!ENTITY a "b">]><row r="3">')
    path = sheet_workbook(tmp_path / "entity.xlsx", body)
    before = _threads()
    with pytest.raises(ReadError, match="DOCTYPE or ENTITY") as refused:
        safety.check_file(path)
    assert refused.value.code == "file.xml-entities"
    assert _threads() == before


def test_a_large_sheet_read_again_exactly_is_inflated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thread inflating ahead has ended when the sheet is read again from the start
    (a column widened in its last row: see test_safety_scan)."""
    path = sheet_workbook(tmp_path / "wide.xlsx", rows(90_000, last='<c r="GR90000"><v>1</v></c>'))
    exact = scans_exact(monkeypatch)
    before = _threads()
    with pytest.raises(ReadError, match="spans 90000 rows by 200 columns"):
        safety.check_file(path, safety.Limits(max_cells_per_sheet=17_999_999))
    assert True in exact
    assert _threads() == before
    # 18,000,000 cells: within this limit, read again and accepted
    safety.check_file(path, safety.Limits(max_cells_per_sheet=18_000_000))
    assert _threads() == before
