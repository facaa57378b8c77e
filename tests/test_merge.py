"""``kenshu merge``: submissions combined by id, conflicts printed, marked and resolved."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
from helpers import (
    append_rows,
    build_workbook,
    cohort_values,
    find_sheet,
    header_columns,
    host,
    json_output,
    make_cohort,
    participant,
    run_cli,
    sheet_records,
)
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry

_FILL_ERROR = "FFF4C7C3"
_FILL_WARNING = "FFFCE8B2"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def submissions(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Three submissions of one cohort.

    * office.xlsx: the programme office's list: P01, P02, hosts H01 and H02, two costs,
      a Remarks column with a note for P01;
    * sendai.xlsx: host H01's application: H01 with more capacity (a conflict), P02's
      e-mail (empty in office.xlsx: taken), P02's position (a conflict), a new trainee P03;
    * kochi.xlsx: another edit: P01's family name and placement score (conflicts), a
      Remarks note for P01 that differs, the Cohort's title (a conflict), a Notes sheet.
    """
    office = make_cohort(tmp_path, "office.xlsx")
    wb = openpyxl.load_workbook(office)
    ws = find_sheet(wb, "participants")
    header_row, columns = header_columns(ws, "participants")
    remarks = max(columns.values()) + 1
    ws.cell(header_row, remarks, "Remarks")
    ws.cell(header_row + 1, remarks, "arrives late")
    wb.save(office)

    sendai = make_cohort(
        tmp_path,
        "sendai.xlsx",
        participants=[
            participant(
                "P02",
                family_name="Santos",
                given_name="Maria",
                nationality="PH",
                home_country="PH",
                home_organisation="Cebu Provincial Government",
                host_id="H02",
                placement_test_score=55,
                field_of_training="Agriculture",
                email="maria@cebu.example",
                position="Section chief",
            ),
            participant("P03", family_name="Tran", given_name="Hoa", host_id="H01"),
        ],
        hosts=[host("H01", capacity=3)],
        costs=[],
    )
    kochi = make_cohort(
        tmp_path,
        "kochi.xlsx",
        cohort=cohort_values(title="LGOTP 2024 (37th)"),
        participants=[participant("P01", family_name="Nguyen Thi", placement_test_score=80)],
        hosts=[],
        costs=[],
    )
    wb = openpyxl.load_workbook(kochi)
    ws = find_sheet(wb, "participants")
    header_row, columns = header_columns(ws, "participants")
    remarks = max(columns.values()) + 1
    ws.cell(header_row, remarks, "Remarks")
    ws.cell(header_row + 1, remarks, "arrives on 2 June")
    notes = wb.create_sheet("Notes")
    notes["A1"] = "call Kochi about housing"
    wb.save(kochi)
    return office, sendai, kochi


def _conflicts(payload: dict) -> dict[tuple[str, str | None, str], dict]:
    return {(c["sheet"], c["id"], c["field"]): c for c in payload["conflicts"]}


def test_merge_of_three_files_lists_every_conflict_with_files_and_cells(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    office, sendai, kochi = submissions
    out = tmp_path / "cohort.xlsx"
    result = run_cli("merge", str(office), str(sendai), str(kochi), "-o", str(out), "--json")
    assert result.exit_code == 1, result.output
    payload = json_output(result)
    found = _conflicts(payload)
    assert set(found) == {
        ("cohort", "lgotp-2024", "title"),
        ("participants", "P01", "family_name"),
        ("participants", "P01", "placement_test_score"),
        ("participants", "P01", "Remarks"),
        ("participants", "P02", "position"),
        ("hosts", "H01", "capacity"),
    }
    assert payload["unresolved"] == 6
    family = found[("participants", "P01", "family_name")]
    assert family["values"] == [
        {"value": "Nguyen", "file": "office.xlsx", "cell": "Participants!B2"},
        {"value": "Nguyen Thi", "file": "kochi.xlsx", "cell": "Participants!B2"},
    ]
    assert family["kept"] == {"value": "Nguyen", "file": "office.xlsx"}
    assert family["resolved_by"] is None
    position = found[("participants", "P02", "position")]
    assert [(v["value"], v["file"]) for v in position["values"]] == [
        ("Officer", "office.xlsx"),
        ("Section chief", "sendai.xlsx"),
    ]
    # P02 is the first row in sendai.xlsx, the second in office.xlsx
    assert position["values"][0]["cell"].endswith("3")
    assert position["values"][1]["cell"].endswith("2")
    title = found[("cohort", "lgotp-2024", "title")]
    assert [v["value"] for v in title["values"]] == [
        "LGOTP 2024",
        "LGOTP 2024",
        "LGOTP 2024 (37th)",
    ]
    assert title["values"][2]["cell"] == "Cohort!B5"
    remarks = found[("participants", "P01", "Remarks")]
    assert remarks["unknown_column"] is True
    assert [v["value"] for v in remarks["values"]] == ["arrives late", "arrives on 2 June"]
    capacity = found[("hosts", "H01", "capacity")]
    assert [(v["value"], v["file"]) for v in capacity["values"]] == [
        (2, "office.xlsx"),
        (3, "sendai.xlsx"),
    ]


def test_merged_workbook_holds_every_record_value_and_unknown_data(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    office, sendai, kochi = submissions
    out = tmp_path / "cohort.xlsx"
    result = run_cli("merge", str(office), str(sendai), str(kochi), "-o", str(out))
    assert result.exit_code == 1
    data, _, _ = load_cohort(out, PluginRegistry.discover())
    assert [p.participant_id for p in data.participants] == ["P01", "P02", "P03"]
    assert [h.host_id for h in data.hosts] == ["H01", "H02"]
    assert [c.cost_id for c in data.costs] == ["C01", "C02"]
    p01, p02, p03 = data.participants
    # unresolved: the first file's value is written (and marked)
    assert p01.family_name == "Nguyen"
    assert p01.extra["placement_test_score"] == 72
    assert p01.unknown == {"Remarks": "arrives late"}
    assert p02.position == "Officer"
    # a value present in one file and empty in the other is taken, without a conflict
    assert p02.email == "maria@cebu.example"
    assert p03.family_name == "Tran"
    assert data.host("H01").capacity == 2
    assert data.cohort.title == "LGOTP 2024"
    assert data.cohort.start_date == dt.date(2024, 5, 20)
    assert {s.name for s in data.unknown_sheets} == {"Notes", "Conflicts"}
    notes = next(s for s in data.unknown_sheets if s.name == "Notes")
    assert notes.rows == [(1, ["call Kochi about housing"])]


def test_conflicts_are_marked_in_cells_and_listed_in_a_conflicts_sheet(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    office, sendai, kochi = submissions
    out = tmp_path / "cohort.xlsx"
    payload = json_output(
        run_cli("merge", str(office), str(sendai), str(kochi), "-o", str(out), "--json")
    )
    wb = openpyxl.load_workbook(out)
    assert "Findings" not in wb.sheetnames
    for conflict in payload["conflicts"]:
        sheet, _, cell = conflict["merged_cell"].partition("!")
        target = wb[sheet][cell]
        assert target.fill.fgColor.rgb == _FILL_ERROR, conflict
        assert "merge conflict" in target.comment.text
        for value in conflict["values"]:
            assert f"{value['file']}!{value['cell']}" in target.comment.text
        kept = conflict["kept"]["value"]
        assert target.value == kept
    # the cells are where the values are: P01's family name is B2 of Participants
    family = _conflicts(payload)[("participants", "P01", "family_name")]
    assert family["merged_cell"] == "Participants!B2"
    assert wb["Participants"]["B2"].value == "Nguyen"
    # an unmarked cell stays plain
    assert wb["Participants"]["A2"].comment is None
    rows = sheet_records(out, "Conflicts")
    assert len(rows) == sum(len(c["values"]) for c in payload["conflicts"])
    family_rows = [r for r in rows if r["id"] == "P01" and r["field"] == "family_name"]
    assert [(r["value"], r["file"], r["cell"], r["kept"], r["status"]) for r in family_rows] == [
        ("Nguyen", "office.xlsx", "Participants!B2", "yes", "unresolved"),
        ("Nguyen Thi", "kochi.xlsx", "Participants!B2", "no", "unresolved"),
    ]
    assert {r["field"] for r in rows if r["id"] == "P01"} >= {"[Remarks]"}


def test_conflicts_are_printed_with_both_values_files_and_cells(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    office, sendai, kochi = submissions
    result = run_cli(
        "merge", str(office), str(sendai), str(kochi), "-o", str(tmp_path / "cohort.xlsx")
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    start = lines.index("CONFLICT Participants P01 family_name (Participants!B2)")
    assert lines[start + 1 : start + 3] == [
        "    office.xlsx!Participants!B2: 'Nguyen' (kept)",
        "    kochi.xlsx!Participants!B2: 'Nguyen Thi'",
    ]
    assert "6 unresolved and 0 resolved conflict(s)" in result.stdout


def test_prefer_resolves_explicitly_and_still_lists_the_conflicts(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    office, sendai, kochi = submissions
    out = tmp_path / "cohort.xlsx"
    result = run_cli(
        "merge",
        str(office),
        str(sendai),
        str(kochi),
        "-o",
        str(out),
        "--prefer",
        str(kochi),
        "--json",
    )
    assert result.exit_code == 1  # P02's position and H01's capacity are left
    found = _conflicts(json_output(result))
    assert found[("participants", "P01", "family_name")]["resolved_by"] == "kochi.xlsx"
    assert found[("participants", "P01", "family_name")]["kept"]["value"] == "Nguyen Thi"
    assert found[("participants", "P02", "position")]["resolved_by"] is None

    result = run_cli(
        "merge",
        str(office),
        str(sendai),
        str(kochi),
        "-o",
        str(out),
        "--prefer",
        str(kochi),
        "--prefer",
        str(sendai),
    )
    assert result.exit_code == 0, result.output
    assert "0 unresolved and 6 resolved conflict(s)" in result.stdout
    assert "resolved by --prefer kochi.xlsx: Participants P01 family_name" in result.stdout
    data, _, _ = load_cohort(out, PluginRegistry.discover())
    p01, p02, _ = data.participants
    assert p01.family_name == "Nguyen Thi"
    assert p01.extra["placement_test_score"] == 80
    assert p01.unknown == {"Remarks": "arrives on 2 June"}
    assert p02.position == "Section chief"
    assert data.host("H01").capacity == 3
    assert data.cohort.title == "LGOTP 2024 (37th)"
    wb = openpyxl.load_workbook(out)
    assert wb["Participants"]["B2"].fill.fgColor.rgb == _FILL_WARNING
    assert "resolved by --prefer kochi.xlsx" in wb["Participants"]["B2"].comment.text
    statuses = {r["status"] for r in sheet_records(out, "Conflicts")}
    assert statuses == {"resolved (--prefer kochi.xlsx)", "resolved (--prefer sendai.xlsx)"}


def test_inputs_are_never_modified_nor_the_output(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    office, sendai, kochi = submissions
    before = [_digest(p) for p in submissions]
    run_cli("merge", str(office), str(sendai), str(kochi), "-o", str(tmp_path / "out.xlsx"))
    assert [_digest(p) for p in submissions] == before
    result = run_cli("merge", str(office), str(sendai), "-o", str(office))
    assert result.exit_code == 2
    assert "never overwrites its inputs" in result.stderr
    assert [_digest(p) for p in submissions] == before


def test_usage_errors(submissions: tuple[Path, Path, Path], tmp_path: Path) -> None:
    office, sendai, _ = submissions
    out = str(tmp_path / "out.xlsx")
    other = make_cohort(tmp_path, "other.xlsx", cohort=cohort_values(programme="jst"))
    result = run_cli("merge", str(office), str(other), "-o", out)
    assert result.exit_code == 2
    assert "different programmes" in result.stderr
    assert "office.xlsx is lgotp" in result.stderr and "other.xlsx is jst" in result.stderr
    assert not Path(out).exists()
    assert run_cli("merge", str(office), "-o", out).exit_code == 2
    result = run_cli("merge", str(office), str(sendai), "-o", out, "--prefer", "nope.xlsx")
    assert result.exit_code == 2 and "--prefer nope.xlsx" in result.stderr
    assert run_cli("merge", str(office), str(sendai), "-o", str(tmp_path / "o.json")).exit_code == 2
    result = run_cli("merge", str(office), str(tmp_path / "missing.xlsx"), "-o", out)
    assert result.exit_code == 2 and "missing.xlsx" in result.stderr


def test_a_partial_file_without_a_cohort_sheet_gets_the_programme_fields(
    tmp_path: Path,
) -> None:
    """A hand-made host list with only a Participants sheet: its plugin column (placement
    score) is read as the plugin field once merged with an lgotp file."""
    office = make_cohort(tmp_path, "office.xlsx")
    partial = build_workbook(
        tmp_path / "partial.xlsx",
        None,
        {
            "Participants": [
                ["Participant ID", "Placement test score", "Dietary needs"],
                ["P02", 61, "vegetarian"],
                ["P04", 40, None],
            ]
        },
    )
    out = tmp_path / "cohort.xlsx"
    result = run_cli("merge", str(office), str(partial), "-o", str(out), "--json")
    assert result.exit_code == 1
    (conflict,) = json_output(result)["conflicts"]
    assert (conflict["id"], conflict["field"]) == ("P02", "placement_test_score")
    assert conflict["values"][1] == {"value": 61, "file": "partial.xlsx", "cell": "Participants!B2"}
    data, _, _ = load_cohort(out, PluginRegistry.discover())
    p02 = data.participant("P02")
    assert p02.extra["placement_test_score"] == 55
    assert p02.unknown == {"Dietary needs": "vegetarian"}
    assert data.participant("P04").extra["placement_test_score"] == 40


def test_redact_withholds_personal_values_from_the_merge(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    office, sendai, kochi = submissions
    out = tmp_path / "cohort.xlsx"
    result = run_cli(
        "merge", str(office), str(sendai), str(kochi), "-o", str(out), "--redact", "--json"
    )
    assert result.exit_code == 1
    assert "--redact" in result.stderr
    found = _conflicts(json_output(result))
    family = found[("participants", "P01", "family_name")]
    assert {v["value"] for v in family["values"]} == {"(redacted)"}
    assert found[("participants", "P02", "position")]["values"][1]["value"] == "Section chief"
    text = "\n".join(
        str(c.value) for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row
    )
    for secret in ("Nguyen Thi", "maria@cebu.example", "arrives on 2 June"):
        assert secret not in text
    assert "Section chief" in text


def test_a_merged_workbook_merges_again_without_conflicts(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The output of a merge is an ordinary cohort: merging it with one of its inputs
    (preferring the merge) changes nothing and replaces the old Conflicts sheet."""
    office, sendai, kochi = submissions
    first = tmp_path / "first.xlsx"
    run_cli("merge", str(office), str(sendai), str(kochi), "-o", str(first), "--prefer", str(kochi))
    second = tmp_path / "second.xlsx"
    result = run_cli("merge", str(first), str(sendai), "-o", str(second), "--prefer", str(first))
    assert "its Conflicts sheet (from an earlier merge) is replaced" in result.stdout
    diff = run_cli("diff", str(first), str(second), "--json")
    changes = json_output(diff)["changes"]
    # only the Conflicts sheet differs (this merge's conflicts are fewer)
    assert {c["sheet_name"] for c in changes} <= {"Conflicts"}


def test_merge_adds_rows_from_every_sheet(tmp_path: Path) -> None:
    """Rows of sheets only one file fills (costs, hosts) are all kept, in file order."""
    first = make_cohort(tmp_path, "first.xlsx", costs=[], hosts=[])
    second = make_cohort(tmp_path, "second.xlsx", participants=[])
    wb = openpyxl.load_workbook(second)
    append_rows(wb, "costs", [{"cost_id": "C03", "item": "insurance", "amount": 30000}])
    wb.save(second)
    out = tmp_path / "out.xlsx"
    result = run_cli("merge", str(first), str(second), "-o", str(out))
    assert result.exit_code == 0, result.output
    data, _, _ = load_cohort(out, PluginRegistry.discover())
    assert [c.cost_id for c in data.costs] == ["C01", "C02", "C03"]
    assert [h.host_id for h in data.hosts] == ["H01", "H02"]
    assert len(data.participants) == 2
    assert "Conflicts" not in openpyxl.load_workbook(out).sheetnames


def test_title_rows_are_kept_and_conflict_cells_follow_them(
    submissions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The first file's title block above the Participants header is kept, and the
    conflicts' merged cells (and marks) are on the rows below it."""
    office, _, kochi = submissions
    wb = openpyxl.load_workbook(office)
    ws = wb["Participants"]
    ws.insert_rows(1, 2)
    ws["A1"] = "Trainees 2024 (office copy)"
    wb.save(office)
    out = tmp_path / "cohort.xlsx"
    payload = json_output(run_cli("merge", str(office), str(kochi), "-o", str(out), "--json"))
    family = _conflicts(payload)[("participants", "P01", "family_name")]
    assert family["values"][0]["cell"] == "Participants!B4"  # in office.xlsx, below the title
    assert family["merged_cell"] == "Participants!B4"
    merged = openpyxl.load_workbook(out)["Participants"]
    assert merged["A1"].value == "Trainees 2024 (office copy)"
    assert merged["B4"].value == "Nguyen" and "merge conflict" in merged["B4"].comment.text
    assert (merged["A3"].value, merged["A4"].value) == ("Participant ID", "P01")
