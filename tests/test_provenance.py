"""Provenance: every value of ``convert --provenance`` and every cost amount of ``report
--json --provenance`` names the cell it came from, and that cell holds it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import json_output, make_cohort, participant, put, run_cli, valid_hosts

SHEETS = ("participants", "hosts", "phases", "activities", "follow_ups", "attendance", "costs")


def _cell_value(folder: Path, reference: str) -> Any:
    """The value of ``FILE!SHEET!CELL`` in the workbook ``folder/FILE``."""
    file_name, _, rest = reference.partition("!")
    sheet, _, cell = rest.rpartition("!")
    return openpyxl.load_workbook(folder / file_name)[sheet][cell].value


def _same(json_value: Any, cell: Any) -> bool:
    """Does the cell hold the value the JSON gives (as kenshu converts cells)?"""
    if isinstance(cell, dt.datetime):
        cell = cell.date().isoformat()
    if isinstance(json_value, bool):
        return (cell in ("yes", True)) if json_value else (cell in ("no", False))
    if isinstance(json_value, list):
        return [v.strip() for v in str(cell).split(";")] == json_value
    return json_value == cell or str(json_value) == str(cell)


def _check_every_reference(folder: Path, payload: dict[str, Any]) -> int:
    """Assert each ``_provenance`` reference holds its value; returns how many were seen."""
    seen = 0
    for item in [payload["cohort"]] + [i for sheet in SHEETS for i in payload[sheet]]:
        refs = item.get("_provenance", {})
        values = {k: v for k, v in item.items() if not k.startswith("_")}
        assert set(refs) - {"_unknown"} == set(values) | set(item.get("_invalid", {})), item
        for key, value in values.items():
            assert _same(value, _cell_value(folder, refs[key])), (key, value, refs[key])
            seen += 1
        for header, value in item.get("_unknown", {}).items():
            assert _same(value, _cell_value(folder, refs["_unknown"][header])), header
            seen += 1
    return seen


@pytest.fixture
def shifted_book(tmp_path: Path) -> Path:
    """A filled template whose sheets were edited by a person: a title block above the
    Participants header, rows in another order, an extra column, a Settings value."""
    path = make_cohort(
        tmp_path,
        "cohort.xlsx",
        participants=[
            participant("P01", email="lan@danang.example"),
            participant("P02", family_name="Santos", nationality="PH", host_id="H02"),
        ],
        settings={"min_months": 5},
    )
    wb = openpyxl.load_workbook(path)
    ws = wb["Participants"]
    ws.insert_rows(1, 3)
    put(ws, 1, 1, "Trainees 2024")
    put(ws, 2, 1, "as of 1 April")
    extra = ws.max_column + 1
    put(ws, 4, extra, "Dietary needs")
    put(ws, 6, extra, "halal")
    wb.save(path)
    return path


def test_convert_provenance_names_the_cell_of_every_value(
    shifted_book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.json"
    result = run_cli("convert", str(shifted_book), str(out), "--provenance")
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["_provenance"] == {
        "file": "cohort.xlsx",
        "settings": {"min_months": "cohort.xlsx!Settings!B2"},
    }
    p01, p02 = payload["participants"]
    assert p01["_provenance"]["participant_id"] == "cohort.xlsx!Participants!A5"
    assert p02["_provenance"]["family_name"] == "cohort.xlsx!Participants!B6"
    dietary = next(
        c
        for c in openpyxl.load_workbook(shifted_book)["Participants"][4]
        if c.value == "Dietary needs"
    )
    assert p02["_provenance"]["_unknown"] == {
        "Dietary needs": f"cohort.xlsx!Participants!{dietary.column_letter}6"
    }
    assert payload["cohort"]["_provenance"]["cohort_id"] == "cohort.xlsx!Cohort!B3"
    assert payload["costs"][1]["_provenance"]["amount"] == "cohort.xlsx!Costs!C3"
    assert _check_every_reference(tmp_path, payload) > 50


def test_provenance_json_reads_back_as_the_same_cohort(shifted_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "cohort.json"
    run_cli("convert", str(shifted_book), str(out), "--provenance")
    assert run_cli("diff", str(shifted_book), str(out)).exit_code == 0
    again = tmp_path / "again.xlsx"
    assert run_cli("convert", str(out), str(again)).exit_code == 0
    header = [c.value for c in openpyxl.load_workbook(again)["Participants"][1]]
    assert "_provenance" not in header


def test_provenance_of_hand_made_sheets_starting_below_row_one(tmp_path: Path) -> None:
    """Blank rows and columns before the data, and the Cohort's labels in column B: the
    cells still point where the values are (with either reading engine)."""
    wb = openpyxl.Workbook()
    form = wb.active
    form.title = "Cohort"
    put(form, 2, 2, "Programme")
    put(form, 2, 3, "lgotp")
    put(form, 3, 2, "Cohort ID")
    put(form, 3, 3, "lgotp-2024")
    put(form, 5, 2, "Title")
    put(form, 5, 3, "LGOTP 2024")
    table = wb.create_sheet("Participants")
    for col, text in enumerate(["Participant ID", "Family name", "Placement test score"], start=3):
        put(table, 4, col, text)
    for row, values in ((5, ["P01", "Nguyen", 72]), (7, ["P02", "Santos", 55])):
        for col, value in enumerate(values, start=3):
            put(table, row, col, value)
    path = tmp_path / "hand.xlsx"
    wb.save(path)
    for engine in ("calamine", "openpyxl"):
        out = tmp_path / f"hand-{engine}.json"
        result = run_cli(
            "convert", str(path), str(out), "--provenance", env={"KENSHU_READER": engine}
        )
        assert result.exit_code == 0, result.output
        payload = json.loads(out.read_text(encoding="utf-8"))
        assert payload["cohort"]["_provenance"] == {
            "programme": "hand.xlsx!Cohort!C2",
            "cohort_id": "hand.xlsx!Cohort!C3",
            "title": "hand.xlsx!Cohort!C5",
        }
        p01, p02 = payload["participants"]
        assert p01["_provenance"] == {
            "participant_id": "hand.xlsx!Participants!C5",
            "family_name": "hand.xlsx!Participants!D5",
            "placement_test_score": "hand.xlsx!Participants!E5",
        }
        assert p02["_provenance"]["placement_test_score"] == "hand.xlsx!Participants!E7"
        assert _check_every_reference(tmp_path, payload) == 9


def test_report_provenance_gives_the_cell_of_each_amount(
    shifted_book: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(shifted_book)
    costs = wb["Costs"]
    costs.insert_rows(1)
    put(costs, 1, 1, "Costs agreed with the hosts")
    put(costs, 5, 1, "C03")
    put(costs, 5, 2, "insurance")
    put(costs, 5, 3, 30000)
    put(costs, 5, 4, "JPY")
    put(costs, 5, 5, "P01")
    wb.save(shifted_book)
    result = run_cli("report", str(shifted_book), "--json", "--provenance")
    assert result.exit_code in (0, 1), result.output
    payload = json_output(result)
    assert payload["_provenance"] == {"file": "cohort.xlsx"}
    lines = [(c["amount"], c["_provenance"]["amount"]) for c in payload["costs"]]
    assert lines == [
        (150000, "cohort.xlsx!Costs!C3"),
        (420000, "cohort.xlsx!Costs!C4"),
        (30000, "cohort.xlsx!Costs!C5"),
    ]
    for amount, reference in lines:
        assert _cell_value(tmp_path, reference) == amount
    for total in payload["totals"]:
        cells = total["_provenance"]["amount"]
        assert sum(_cell_value(tmp_path, ref) for ref in cells) == total["amount"]
    assert sorted(r for t in payload["totals"] for r in t["_provenance"]["amount"]) == sorted(
        ref for _, ref in lines
    )


def test_redacted_values_have_no_provenance(shifted_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "redacted.json"
    result = run_cli("convert", str(shifted_book), str(out), "--provenance", "--redact")
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    p01 = payload["participants"][0]
    assert "email" not in p01 and "email" not in p01["_provenance"]
    assert "_unknown" not in payload["participants"][1]["_provenance"]
    assert p01["_provenance"]["participant_id"] == "cohort.xlsx!Participants!A5"


def test_provenance_usage_errors(shifted_book: Path, tmp_path: Path) -> None:
    to_xlsx = run_cli("convert", str(shifted_book), str(tmp_path / "x.xlsx"), "--provenance")
    assert to_xlsx.exit_code == 2 and "--provenance" in to_xlsx.stderr
    as_json = tmp_path / "c.json"
    run_cli("convert", str(shifted_book), str(as_json))
    from_json = run_cli("convert", str(as_json), str(tmp_path / "d.json"), "--provenance")
    assert from_json.exit_code == 2
    report = run_cli("report", str(shifted_book), "-o", str(tmp_path / "r.xlsx"), "--provenance")
    assert report.exit_code == 2 and "--json" in report.stderr


def test_hosts_cells_follow_their_rows(tmp_path: Path) -> None:
    path = make_cohort(tmp_path, "hosts.xlsx", hosts=list(reversed(valid_hosts())))
    out = tmp_path / "hosts.json"
    run_cli("convert", str(path), str(out), "--provenance")
    payload = json.loads(out.read_text(encoding="utf-8"))
    refs = {h["host_id"]: h["_provenance"]["host_id"] for h in payload["hosts"]}
    assert refs == {"H02": "hosts.xlsx!Hosts!A2", "H01": "hosts.xlsx!Hosts!A3"}
    assert _check_every_reference(tmp_path, payload) > 20


@pytest.mark.parametrize(
    "rows",
    [
        # python-calamine today: rows from row 1, the empty ones above the data included
        [["", ""], ["", ""], ["x", ""], ["", ""], ["", "y"]],
        # a version that starts at the data (its issue #177 fixed)
        [["x", ""], ["", ""], ["", "y"]],
    ],
)
def test_calamine_rows_are_numbered_from_row_one_in_either_numbering(
    rows: list[list[str]],
) -> None:
    from kenshu.workbook.engines import _from_row_one

    numbered = {
        n: values for n, values in enumerate(_from_row_one(iter(rows), 2), start=1) if any(values)
    }
    assert numbered == {3: ["x", ""], 5: ["", "y"]}
