"""``kenshu diff``: changes between two versions of a cohort, by id, not by row position."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import (
    find_sheet,
    header_columns,
    json_output,
    make_cohort,
    participant,
    run_cli,
    set_settings,
    sheet_records,
    valid_participants,
)

CHANGE_KEYS = {
    "sheet",
    "sheet_name",
    "id",
    "field",
    "unknown_column",
    "change",
    "old",
    "new",
    "old_cell",
    "new_cell",
}


def _reverse_rows(wb: openpyxl.Workbook, sheet_id: str) -> None:
    """Sort a table sheet's data rows the other way round (values and all)."""
    ws = find_sheet(wb, sheet_id)
    header_row, _ = header_columns(ws, sheet_id)
    rows = [
        [c.value for c in row]
        for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row)
        if any(c.value is not None for c in row)
    ]
    for offset, values in enumerate(reversed(rows), start=1):
        for col, value in enumerate(values, start=1):
            ws.cell(header_row + offset, col, value)


def _cell(wb: openpyxl.Workbook, sheet_id: str, key: str, field: str) -> Any:
    """The cell of ``field`` (a field id or header text) in the row whose id is ``key``."""
    ws = find_sheet(wb, sheet_id)
    header_row, columns = header_columns(ws, sheet_id)
    if field not in columns:
        columns[field] = next(c.column for c in ws[header_row] if c.value == field)
    id_col = columns[next(iter(columns))]
    for row in range(header_row + 1, ws.max_row + 1):
        if ws.cell(row, id_col).value == key:
            return ws.cell(row, columns[field])
    raise KeyError(key)


@pytest.fixture
def old_book(tmp_path: Path) -> Path:
    """Three trainees, a Remarks column, a Notes sheet and a setting."""
    path = make_cohort(
        tmp_path,
        "old.xlsx",
        participants=[*valid_participants(), participant("P03", family_name="Tran")],
        settings={"min_months": 6},
    )
    wb = openpyxl.load_workbook(path)
    ws = find_sheet(wb, "participants")
    header_row, columns = header_columns(ws, "participants")
    remarks = max(columns.values()) + 1
    ws.cell(header_row, remarks, "Remarks")
    ws.cell(header_row + 2, remarks, "vegetarian")
    wb.create_sheet("Notes")["B2"] = "budget agreed"
    wb.save(path)
    return path


def _sorted_copy(old_book: Path, name: str) -> tuple[Path, openpyxl.Workbook]:
    wb = openpyxl.load_workbook(old_book)
    _reverse_rows(wb, "participants")
    _reverse_rows(wb, "hosts")
    _reverse_rows(wb, "costs")
    return old_book.with_name(name), wb


def test_sorting_a_sheet_is_not_a_change(old_book: Path) -> None:
    path, wb = _sorted_copy(old_book, "sorted.xlsx")
    wb.save(path)
    result = run_cli("diff", str(old_book), str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{old_book} and {path} hold the same cohort: no differences\n"
    payload = json_output(run_cli("diff", str(old_book), str(path), "--json"))
    assert payload == {
        "format": "kenshu-diff/1",
        "old": "old.xlsx",
        "new": "sorted.xlsx",
        "identical": True,
        "counts": {"added": 0, "removed": 0, "changed": 0},
        "changes": [],
    }


def test_same_cohort_in_json_and_in_japanese_is_no_change(old_book: Path, tmp_path: Path) -> None:
    as_json = tmp_path / "old.json"
    in_japanese = tmp_path / "old-ja.xlsx"
    assert run_cli("convert", str(old_book), str(as_json)).exit_code == 0
    assert run_cli("convert", str(old_book), str(in_japanese), "--lang", "ja").exit_code == 0
    assert run_cli("diff", str(old_book), str(as_json)).exit_code == 0
    assert run_cli("diff", str(old_book), str(in_japanese)).exit_code == 0
    assert run_cli("diff", str(as_json), str(in_japanese)).exit_code == 0


@pytest.fixture
def edited(old_book: Path) -> Path:
    """Re-sorted, then edited: a core field, a plugin field, an unknown column, the
    Cohort's title, a cost, the Notes sheet and a setting; P03 removed, P04 added."""
    path, wb = _sorted_copy(old_book, "new.xlsx")
    _cell(wb, "participants", "P01", "position").value = "Director"
    _cell(wb, "participants", "P02", "placement_test_score").value = 64
    _cell(wb, "participants", "P02", "Remarks").value = "halal"
    _cell(wb, "costs", "C02", "amount").value = 450000
    p03 = _cell(wb, "participants", "P03", "participant_id")
    values = {k: v for k, v in participant("P04", family_name="Vo").items()}
    ws = p03.parent
    _, columns = header_columns(ws, "participants")
    for field, col in columns.items():
        ws.cell(p03.row, col, values.get(field))
    cohort = find_sheet(wb, "cohort")
    for row in cohort.iter_rows(min_col=1, max_col=2):
        if row[0].value == "Title":
            row[1].value = "LGOTP 2024, 37th"
    wb["Notes"]["B2"] = "budget agreed on 3 May"
    wb["Notes"]["A5"] = "next review in June"
    settings = find_sheet(wb, "settings")
    for row in settings.iter_rows(min_col=1, max_col=2):
        if row[0].value == "min_months":
            row[1].value = 7
    set_settings(wb, {"class_min": 5})
    wb.save(path)
    return path


def test_diff_after_resorting_and_editing_lists_each_change_by_id(
    old_book: Path, edited: Path
) -> None:
    result = run_cli("diff", str(old_book), str(edited), "--json")
    assert result.exit_code == 1, result.output
    payload = json_output(result)
    assert payload["identical"] is False
    assert all(set(c) == CHANGE_KEYS for c in payload["changes"])
    summary = {
        (c["sheet"] or c["sheet_name"], c["id"], c["field"], c["change"]): (c["old"], c["new"])
        for c in payload["changes"]
        if c["change"] == "changed" or c["sheet"] in ("settings", None)
    }
    assert summary == {
        ("cohort", "lgotp-2024", "title", "changed"): ("LGOTP 2024", "LGOTP 2024, 37th"),
        ("participants", "P01", "position", "changed"): ("Officer", "Director"),
        ("participants", "P02", "placement_test_score", "changed"): (55, 64),
        ("participants", "P02", "Remarks", "changed"): ("vegetarian", "halal"),
        ("costs", "C02", "amount", "changed"): (420000, 450000),
        ("settings", "min_months", "value", "changed"): (6, 7),
        ("settings", "class_min", "value", "added"): (None, 5),
        ("Notes", None, "B2", "changed"): ("budget agreed", "budget agreed on 3 May"),
        ("Notes", None, "A5", "changed"): (None, "next review in June"),
    }
    rows = [c for c in payload["changes"] if c["sheet"] == "participants" and c["field"] is None]
    assert [(c["id"], c["change"]) for c in rows] == [("P03", "removed"), ("P04", "added")]
    added = rows[1]
    assert added["new"]["family_name"] == "Vo" and added["new"]["placement_test_score"] == 72
    assert added["new_cell"] == "Participants!A2"  # P04 took P03's row, now at the top
    assert rows[0]["old_cell"] == "Participants!A4"
    remarks = next(c for c in payload["changes"] if c["field"] == "Remarks")
    assert remarks["unknown_column"] is True
    # cells follow the rows: P02 was row 3 of the old sheet, is row 3 of the re-sorted one
    # (three rows reversed), P01 moved from row 2 to row 4
    position = next(c for c in payload["changes"] if c["field"] == "position")
    assert position["old_cell"].endswith("2") and position["new_cell"].endswith("4")
    assert payload["counts"] == {"added": 2, "removed": 1, "changed": 8}


def test_human_output_groups_changes_by_sheet(old_book: Path, edited: Path) -> None:
    result = run_cli("diff", str(old_book), str(edited))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{old_book} -> {edited}: 2 added, 1 removed, 8 value(s) changed"
    assert "Participants:" in lines
    assert "  ~ P01 position: 'Officer' -> 'Director'" in lines
    assert "  ~ P02 placement_test_score: 55 -> 64" in lines
    assert "  ~ P02 [Remarks]: 'vegetarian' -> 'halal'" in lines
    assert "  - P03 removed (Participants!A4)" in lines
    assert "  + P04 added (Participants!A2)" in lines
    assert "  ~ lgotp-2024 title: 'LGOTP 2024' -> 'LGOTP 2024, 37th'" in lines


def test_diff_workbook_has_one_sheet_of_changes(
    old_book: Path, edited: Path, tmp_path: Path
) -> None:
    out = tmp_path / "changes.xlsx"
    result = run_cli("diff", str(old_book), str(edited), "-o", str(out))
    assert result.exit_code == 1
    assert result.stdout.rstrip().endswith(f"wrote {out}")
    assert openpyxl.load_workbook(out).sheetnames == ["Changes"]
    rows = sheet_records(out, "Changes")
    payload = json_output(run_cli("diff", str(old_book), str(edited), "--json"))
    assert len(rows) == len(payload["changes"])
    by_field = {(r["sheet"], r["id"], r["field"]): r for r in rows}
    score = by_field[("Participants", "P02", "placement_test_score")]
    assert (score["old"], score["new"], score["change"]) == (55, 64, "changed")
    assert by_field[("Participants", "P02", "[Remarks]")]["new"] == "halal"
    added = by_field[("Participants", "P04", None)]
    assert added["change"] == "added"
    assert "family_name: 'Vo'" in added["new"]


def test_diff_errors_exit_2(old_book: Path, tmp_path: Path) -> None:
    missing = run_cli("diff", str(old_book), str(tmp_path / "missing.xlsx"))
    assert missing.exit_code == 2 and "missing.xlsx" in missing.stderr
    same = run_cli("diff", str(old_book), str(old_book), "-o", str(old_book))
    assert same.exit_code == 2 and "never overwrites its inputs" in same.stderr
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    assert run_cli("diff", str(old_book), str(text)).exit_code == 2
