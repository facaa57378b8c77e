"""kenshu's own checks, which run for every programme: identities, references, dates,
required values and sheets, unknown programmes, rows without ids."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import (
    build_workbook,
    cohort_values,
    find_sheet,
    findings_with,
    header_columns,
    host,
    json_output,
    make_cohort,
    participant,
    run_cli,
    sheet_records,
    valid_hosts,
)
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from openpyxl.utils import get_column_letter


def _validate(book: Path) -> tuple[int, dict[str, Any]]:
    result = run_cli("validate", "--json", str(book))
    return result.exit_code, json_output(result)


def _column(book: Path, sheet_id: str, field_id: str) -> str:
    wb = openpyxl.load_workbook(book)
    _, columns = header_columns(find_sheet(wb, sheet_id), sheet_id)
    return get_column_letter(columns[field_id])


def test_duplicate_ids(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        participants=[participant("P01"), participant("P02", host_id="H02"), participant("P01")],
        hosts=[*valid_hosts(), host("H02", name="Again")],
    )
    code, payload = _validate(book)
    assert code == 1
    found = findings_with(payload, "core.duplicate-id")
    by_sheet = {f["sheet"]: f for f in found}
    assert set(by_sheet) == {"Participants", "Hosts"}
    person = by_sheet["Participants"]
    assert (person["row"], person["cell"], person["subject"]) == (4, "A4", "P01")
    assert "'P01' appears again (first at row 2)" in person["message"]
    hosted = by_sheet["Hosts"]
    assert (hosted["row"], hosted["subject"]) == (4, "H02")


def test_references_to_missing_hosts_and_participants(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        participants=[participant("P01", host_id="H99"), participant("P02", host_id="H02")],
        costs=[
            {
                "cost_id": "C01",
                "item": "airfare",
                "amount": 1,
                "currency": "JPY",
                "participant_id": "P77",
            },
            {"cost_id": "C02", "item": "airfare", "amount": 1, "currency": "JPY", "host_id": "H88"},
        ],
    )
    code, payload = _validate(book)
    assert code == 1
    found = {(f["sheet"], f["row"]): f for f in findings_with(payload, "core.unknown-reference")}
    host_col = _column(book, "participants", "host_id")
    person = found[("Participants", 2)]
    assert person["cell"] == f"{host_col}2"
    assert person["subject"] == "P01"
    assert "'H99' is not on the Hosts sheet" in person["message"]
    cost_person = found[("Costs", 2)]
    assert cost_person["subject"] == "P77"  # the participant the line is about
    assert "'P77' is not on the Participants sheet" in cost_person["message"]
    cost_host = found[("Costs", 3)]
    assert cost_host["cell"] == f"{_column(book, 'costs', 'host_id')}3"
    assert len(found) == 3


def test_reversed_dates(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        cohort=cohort_values(
            start_date=dt.datetime(2025, 3, 31), end_date=dt.datetime(2024, 5, 20)
        ),
        participants=[
            participant(
                "P01", arrival_date=dt.datetime(2024, 12, 1), departure_date=dt.datetime(2024, 5, 1)
            ),
            participant("P02", host_id="H02"),
        ],
        phases=[
            {
                "phase_id": "ph1",
                "start_date": dt.datetime(2024, 6, 10),
                "end_date": dt.datetime(2024, 6, 1),
            }
        ],
    )
    code, payload = _validate(book)
    assert code == 1
    found = {f["sheet"]: f for f in findings_with(payload, "core.dates-reversed")}
    assert set(found) == {"Cohort", "Participants", "Phases"}
    person = found["Participants"]
    assert person["cell"] == f"{_column(book, 'participants', 'departure_date')}2"
    assert person["subject"] == "P01"
    assert "2024-05-01 is before arrival_date 2024-12-01" in person["message"]
    assert found["Cohort"]["column"] == "B"
    assert found["Phases"]["subject"] == "ph1"
    # the plugin leaves length rules to the core for reversed stays: no second error
    assert not findings_with(payload, "lgotp.stay-too-short")


def test_missing_required_values_name_the_cell(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        cohort=cohort_values(start_date=None),
        participants=[participant("P01", arrival_date=None), participant("P02", host_id="H02")],
        hosts=[host("H01", kind=None), host("H02", kind="prefecture")],
    )
    code, payload = _validate(book)
    assert code == 1
    found = {(f["sheet"], f["subject"]): f for f in findings_with(payload, "core.missing-required")}
    person = found[("Participants", "P01")]
    letter = _column(book, "participants", "arrival_date")
    assert (person["row"], person["column"], person["cell"]) == (2, letter, f"{letter}2")
    assert "arrival_date" in person["message"]
    hosted = found[("Hosts", "H01")]
    assert hosted["cell"] == f"{_column(book, 'hosts', 'kind')}2"
    cohort = found[("Cohort", "lgotp-2024")]
    wb = openpyxl.load_workbook(book)
    assert wb["Cohort"][f"A{cohort['row']}"].value == "Start date"
    assert cohort["cell"] == f"B{cohort['row']}"
    assert len(found) == 3


def test_missing_cohort_sheet(tmp_path: Path) -> None:
    book = build_workbook(
        tmp_path / "no-cohort.xlsx",
        None,
        {"Participants": [["Participant ID", "Family name"], ["P01", "Nguyen"]]},
    )
    code, payload = _validate(book)
    assert code == 1
    (finding,) = findings_with(payload, "core.missing-sheet")
    assert "no Cohort sheet" in finding["message"]
    assert payload["files"][0]["programme"] is None
    # report still writes, explaining why it is empty
    out = tmp_path / "report.xlsx"
    result = run_cli("report", str(book), "-o", str(out))
    assert result.exit_code == 1
    assert any("could not be read" in row[0] for row in _summary(out))


def _summary(path: Path) -> list[list[Any]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [list(r) for r in wb["Summary"].iter_rows(values_only=True)][1:]


def test_missing_sheet_the_programme_requires(tmp_path: Path) -> None:
    book = make_cohort(tmp_path)
    wb = openpyxl.load_workbook(book)
    del wb["Hosts"]
    wb.save(book)
    code, payload = _validate(book)
    assert code == 1
    (finding,) = findings_with(payload, "core.missing-sheet")
    assert "needs a Hosts sheet (受入団体)" in finding["message"]


def test_unknown_programme_names_how_to_install(tmp_path: Path) -> None:
    book = build_workbook(
        tmp_path / "jet.xlsx",
        [
            ("Programme", "jet_programme"),
            ("Cohort ID", "jet-2024"),
            ("Start date", "2024-08-01"),
            ("End date", "2025-07-31"),
        ],
        {"Participants": [["Participant ID", "Family name"], ["A1", "Smith"], ["A1", "Jones"]]},
    )
    code, payload = _validate(book)
    assert code == 1
    assert payload["files"][0]["programme"] == "jet_programme"
    (finding,) = findings_with(payload, "core.unknown-programme")
    assert "pip install kenshu-jet-programme" in finding["message"]
    assert "kenshu programmes" in finding["message"]
    assert finding["sheet"] == "Cohort" and finding["cell"] == "B1"
    # the core checks still ran
    assert findings_with(payload, "core.duplicate-id")


def test_rows_without_ids_are_kept_on_export(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        participants=[
            participant("P01"),
            {
                "family_name": "Mystery",
                "given_name": "Person",
                "arrival_date": dt.datetime(2024, 5, 21),
            },
            participant("P02", host_id="H02"),
        ],
    )
    code, payload = _validate(book)
    assert code == 1
    (finding,) = findings_with(payload, "core.missing-id")
    assert (finding["sheet"], finding["row"], finding["cell"]) == ("Participants", 3, "A3")
    data, _, _ = load_cohort(book, PluginRegistry.discover())
    assert [p.participant_id for p in data.participants] == ["P01", "P02"]

    as_json = tmp_path / "cohort.json"
    back = tmp_path / "back.xlsx"
    assert run_cli("convert", str(book), str(as_json)).exit_code == 0
    assert run_cli("convert", str(as_json), str(back)).exit_code == 0
    (kept,) = json.loads(as_json.read_text(encoding="utf-8"))["unkeyed_rows"]["participants"]
    assert kept["family_name"] == "Mystery"
    assert kept["arrival_date"] == {"$date": "2024-05-21"}
    rows = sheet_records(back, "Participants")
    assert [r["Participant ID"] for r in rows] == ["P01", "P02", None]
    assert (rows[2]["Family name"], rows[2]["Given name"]) == ("Mystery", "Person")
    assert rows[2]["Arrival date"] == dt.datetime(2024, 5, 21)
    # and the export still reports it
    code, again = _validate(back)
    assert len(findings_with(again, "core.missing-id")) == 1


@pytest.mark.parametrize("sheet", ["Participants", "Hosts"])
def test_findings_are_sorted_errors_first(tmp_path: Path, sheet: str) -> None:
    people = [participant("P01", leadership_evidence=None, host_id="H01")]
    hosts = valid_hosts()
    if sheet == "Participants":
        people.append(participant("P01", host_id="H02"))
    else:
        hosts.append(host("H01"))
    book = make_cohort(tmp_path, participants=people, hosts=hosts)
    _, payload = _validate(book)
    severities = [f["severity"] for f in payload["files"][0]["findings"]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert severities[0] == "error" and "warning" in severities
