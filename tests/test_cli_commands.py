"""Every command of the ``kenshu`` command line: exit codes, outputs and JSON shapes."""

from __future__ import annotations

import datetime as dt
import json
from importlib import metadata
from pathlib import Path

import openpyxl
import pytest
from helpers import (
    append_rows,
    find_sheet,
    findings_with,
    header_columns,
    json_output,
    make_cohort,
    participant,
    run_cli,
    run_kenshu,
    sheet_records,
    sheet_rows,
    state_for,
)
from kenshu import Programme, __version__, hookimpl
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from openpyxl.utils import get_column_letter

FINDING_KEYS = {
    "code",
    "severity",
    "message",
    "sheet",
    "row",
    "column",
    "cell",
    "subject",
    "source",
}
FILE_KEYS = {"path", "programme", "valid", "counts", "findings"}


def _dropdowns(ws) -> dict[str, str]:
    """``{first cell of each validated range: formula}`` of a sheet's list validations."""
    out = {}
    for validation in ws.data_validations.dataValidation:
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            out[cell_range.coord.split(":")[0]] = validation.formula1
    return out


def _list_values(wb: openpyxl.Workbook, formula: str) -> list[str]:
    """The values a dropdown formula like ``=_kenshu_lists!$B$2:$B$4`` points at."""
    sheet, _, ref = formula.lstrip("=").partition("!")
    assert sheet == "_kenshu_lists"
    return [row[0].value for row in wb[sheet][ref.replace("$", "")]]


# ---------------------------------------------------------------------------
# template


def test_template_english(template_en: Path) -> None:
    wb = openpyxl.load_workbook(template_en)
    assert wb.sheetnames == [
        "Cohort",
        "Participants",
        "Hosts",
        "Phases",
        "Activities",
        "Costs",
        "Settings",
        "_kenshu_lists",
        "_kenshu",
    ]
    assert wb["_kenshu_lists"].sheet_state == "hidden"
    assert wb["_kenshu"].sheet_state == "hidden"
    assert all(wb[name].sheet_state == "visible" for name in wb.sheetnames[:7])

    participants = wb["Participants"]
    header = [c.value for c in participants[1]]
    assert header[:3] == ["Participant ID", "Family name", "Given name"]
    # the plugin's own fields follow the core ones
    assert "Placement test score" in header
    assert "Recommended by own government" in header
    assert participants.freeze_panes == "A2"
    assert participants.max_row == 1  # empty, ready to fill

    comment = participants["A1"].comment.text
    assert "A stable identifier, unique in the cohort." in comment
    assert "Required." in comment
    assert "id: participant_id" in comment
    dob = participants.cell(1, header.index("Date of birth") + 1).comment.text
    assert "Sensitive data" in dob

    # dropdowns point at the hidden lists sheet and hold the field's choices
    dropdowns = _dropdowns(participants)
    gender_col = get_column_letter(header.index("Gender") + 1)
    assert _list_values(wb, dropdowns[f"{gender_col}2"]) == ["F", "M", "X"]
    recommended_col = get_column_letter(header.index("Recommended by own government") + 1)
    assert _list_values(wb, dropdowns[f"{recommended_col}2"]) == ["yes", "no"]
    org_col = get_column_letter(header.index("Organisation type") + 1)
    assert "local_government" in _list_values(wb, dropdowns[f"{org_col}2"])

    cohort = wb["Cohort"]
    assert cohort.freeze_panes == "A2"
    assert all(wb[name].freeze_panes == "A2" for name in wb.sheetnames[1:6])
    labels = [c.value for c in cohort["A"]]
    assert labels[:3] == ["Field", "Programme", "Cohort ID"]
    assert cohort["B2"].value == "lgotp"  # the programme is filled in
    assert "id: cohort_id" in cohort["A3"].comment.text
    status_row = labels.index("Status") + 1
    assert _list_values(wb, _dropdowns(cohort)[f"B{status_row}"])[:2] == ["planned", "open"]

    meta = {row[0].value: row[1].value for row in wb["_kenshu"].iter_rows()}
    assert meta["format"] == "kenshu-cohort"
    assert meta["format_version"] == "1"
    assert meta["programme"] == "lgotp"
    assert meta["kenshu_version"] == __version__
    assert meta["language"] == "en"
    assert meta["plugin:lgotp"] == metadata.version("kenshu-lgotp")
    # only the plugins that answer for the programme: another programme's plugin had no
    # part in this workbook, however many are installed
    assert [key for key in meta if key.startswith("plugin:")] == ["plugin:lgotp"]


def test_template_japanese(template_ja: Path) -> None:
    wb = openpyxl.load_workbook(template_ja)
    assert wb.sheetnames[:7] == [
        "コホート",
        "参加者",
        "受入団体",
        "研修段階",
        "活動",
        "費用",
        "設定",
    ]
    ws = wb["参加者"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["参加者ID", "姓", "名"]
    assert "日本語クラス分けテスト得点" in header
    assert "コホート内で一意の識別子" in ws["A1"].comment.text
    assert "必須" in ws["A1"].comment.text
    assert ws.freeze_panes == "A2"
    gender_col = get_column_letter(header.index("性別") + 1)
    assert _list_values(wb, _dropdowns(ws)[f"{gender_col}2"]) == ["F", "M", "X"]
    assert [c.value for c in wb["コホート"]["A"]][:3] == ["項目", "プログラム", "コホートID"]
    meta = {row[0].value: row[1].value for row in wb["_kenshu"].iter_rows()}
    assert meta["language"] == "ja"
    assert meta["programme"] == "lgotp"


def test_template_unknown_programme_names_how_to_install(tmp_path: Path) -> None:
    result = run_cli("template", "nosuch", "-o", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 2
    assert "unknown programme 'nosuch'" in result.stderr
    assert "pip install" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_template_then_validate_reports_missing_cohort_id(template_en: Path) -> None:
    result = run_cli("validate", str(template_en), "--json")
    assert result.exit_code == 1
    assert findings_with(json_output(result), "core.missing-required")


# ---------------------------------------------------------------------------
# validate


def test_validate_valid_with_warnings_exits_0(valid_book: Path) -> None:
    result = run_cli("validate", str(valid_book))
    assert result.exit_code == 0, result.output
    assert "valid (0 error(s), 1 warning(s)" in result.stdout
    assert "lgotp.class-size" in result.stdout


def test_validate_json_shape(valid_book: Path) -> None:
    result = run_cli("validate", "--json", str(valid_book))
    assert result.exit_code == 0
    payload = json_output(result)
    assert set(payload) == {"files"}
    (entry,) = payload["files"]
    assert set(entry) == FILE_KEYS
    assert entry["path"] == str(valid_book)
    assert entry["programme"] == "lgotp"
    assert entry["valid"] is True
    assert entry["counts"] == {"error": 0, "warning": 1, "info": 0}
    (finding,) = entry["findings"]
    assert set(finding) == FINDING_KEYS
    assert finding["code"] == "lgotp.class-size"
    assert finding["severity"] == "warning"
    assert finding["source"] == "lgotp"
    assert finding["sheet"] == "Participants"


def test_validate_errors_exit_1_and_name_participant(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        participants=[participant("P01"), participant("P02", english_level="A2", host_id="H02")],
    )
    result = run_cli("validate", "--json", str(book))
    assert result.exit_code == 1
    entry = json_output(result)["files"][0]
    assert entry["valid"] is False
    assert entry["counts"]["error"] == 1
    (finding,) = findings_with(json_output(result), "lgotp.language-level")
    assert set(finding) == FINDING_KEYS
    wb = openpyxl.load_workbook(book)
    _, columns = header_columns(find_sheet(wb, "participants"), "participants")
    letter = get_column_letter(columns["english_level"])
    assert finding == {
        "code": "lgotp.language-level",
        "severity": "error",
        "message": finding["message"],
        "sheet": "Participants",
        "row": 3,
        "column": letter,
        "cell": f"{letter}3",
        "subject": "P02",
        "source": "lgotp",
    }
    assert "A2" in finding["message"] and "B2" in finding["message"]
    # the text form says where and whom
    text = run_cli("validate", str(book))
    assert text.exit_code == 1
    assert f"Participants!{letter}3 [P02]" in text.stdout
    assert "INVALID" in text.stdout


def test_validate_several_files_worst_exit_code(tmp_path: Path, valid_book: Path) -> None:
    bad = make_cohort(tmp_path, "bad.xlsx", participants=[participant("P01", recommended="no")])
    result = run_cli("validate", "--json", str(valid_book), str(bad))
    assert result.exit_code == 1
    files = json_output(result)["files"]
    assert [f["valid"] for f in files] == [True, False]
    assert findings_with({"findings": files[1]["findings"]}, "lgotp.not-recommended")


def test_validate_unreadable_file_exits_2(tmp_path: Path, valid_book: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_text("this is not a workbook\n")
    result = run_cli("validate", str(junk))
    assert result.exit_code == 2
    assert result.stderr.startswith("kenshu: error: ")
    assert "Traceback" not in result.output

    as_json = run_cli("validate", "--json", str(valid_book), str(junk))
    assert as_json.exit_code == 2
    files = json_output(as_json)["files"]
    assert files[0]["valid"] is True
    assert files[1]["path"] == str(junk)
    assert files[1]["valid"] is False
    assert files[1]["error_code"]

    missing = run_cli("validate", str(tmp_path / "nowhere.xlsx"))
    assert missing.exit_code == 2


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("nonsense", "expected ID=VALUE"),
        ("no_such_setting=3", "no_such_setting"),
        ("min_months=many", "min_months"),
    ],
)
def test_validate_bad_set_exits_2(valid_book: Path, option: str, message: str) -> None:
    result = run_cli("validate", str(valid_book), "--set", option)
    assert result.exit_code == 2
    assert message in result.stderr


def test_validate_annotate(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        participants=[participant("P01"), participant("P02", english_level="A1", host_id="H02")],
    )
    before = book.read_bytes()
    out = tmp_path / "annotated.xlsx"
    result = run_cli("validate", str(book), "--annotate", str(out))
    assert result.exit_code == 1
    assert f"wrote {out}" in result.stdout
    assert book.read_bytes() == before  # the input is never touched

    wb = openpyxl.load_workbook(out)
    ws = wb["Participants"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=3, column=header.index("English level (CEFR)") + 1)
    assert cell.value == "A1"
    assert cell.fill.fgColor.rgb == "FFF4C7C3"
    assert "lgotp.language-level" in cell.comment.text
    assert "[error]" in cell.comment.text
    # unflagged cells keep their values and get no comment
    assert ws.cell(row=2, column=1).value == "P01"
    assert ws.cell(row=2, column=header.index("English level (CEFR)") + 1).comment is None

    assert wb["Findings"].freeze_panes == "A2"
    findings = sheet_records(out, "Findings")
    codes = {f["code"]: f for f in findings}
    assert codes["lgotp.language-level"]["subject"] == "P02"
    assert codes["lgotp.language-level"]["severity"] == "error"
    # the annotated copy is itself a cohort workbook with the same participants
    again = run_cli("validate", "--json", str(out))
    assert json_output(again)["files"][0]["counts"]["error"] == 1


def test_validate_annotate_misuse(tmp_path: Path, valid_book: Path) -> None:
    two = run_cli(
        "validate", str(valid_book), str(valid_book), "--annotate", str(tmp_path / "a.xlsx")
    )
    assert two.exit_code == 2
    before = valid_book.read_bytes()
    same = run_cli("validate", str(valid_book), "--annotate", str(valid_book))
    assert same.exit_code == 2
    assert "never overwrites its inputs" in same.stderr
    assert valid_book.read_bytes() == before


# ---------------------------------------------------------------------------
# report


REPORT_KEYS = {
    "programme",
    "cohort_id",
    "summary",
    "settings",
    "phases",
    "groups",
    "costs",
    "totals",
    "follow_ups",
    "findings",
}


def test_report_workbook(tmp_path: Path, valid_book: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = run_cli("report", str(valid_book), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    for wanted in (
        "Summary",
        "Schedule",
        "Participants",
        "Classes",
        "Costs",
        "FollowUps",
        "Findings",
    ):
        assert wanted in names
    summary = [row[0] for row in sheet_rows(out, "Summary")[1:]]
    assert summary[0].startswith("Local Government Officials Training Programme (LGOTP)")
    assert "From 2024-05-20 to 2025-03-31 (316 days, both included)." in summary
    participants = sheet_records(out, "Participants")
    assert [p["participant_id"] for p in participants] == ["P01", "P02"]
    assert participants[0]["arrival_date"] == dt.datetime(2024, 5, 20)
    assert participants[0]["groups"] == "jiam-class-1"
    costs = {c["cost_id"]: c for c in sheet_records(out, "Costs")}
    assert costs["C01"]["payer"] == "H01"
    assert costs["C01"]["reimbursement"] == "special_local_allocation_tax"
    assert costs["C02"]["payer"] == "H02"
    assert costs["C02"]["reimbursement"] == "ordinary_local_allocation_tax"
    schedule = sheet_records(out, "Schedule")
    orientation = next(s for s in schedule if s["phase_id"] == "P01-orientation")
    assert orientation["days"] == 2
    findings = sheet_records(out, "Findings")
    assert [f["code"] for f in findings] == ["lgotp.class-size"]


def test_report_json_keys(valid_book: Path) -> None:
    result = run_cli("report", str(valid_book), "--json")
    assert result.exit_code == 0
    payload = json_output(result)
    assert set(payload) >= REPORT_KEYS
    assert set(payload) - REPORT_KEYS <= {"sheets"}
    assert payload["programme"] == "lgotp"
    assert payload["cohort_id"] == "lgotp-2024"
    assert payload["settings"]["min_months"] == 6
    assert payload["groups"][0]["participant_ids"] == ["P01", "P02"]
    totals = {t["payer"]: t["amount"] for t in payload["totals"]}
    assert totals == {"H01": 150000, "H02": 420000}
    assert all(set(f) == FINDING_KEYS for f in payload["findings"])
    assert payload["sheets"]["placements"]["header"][0] == "participant_id"


def test_report_with_errors_exits_1_and_still_writes(tmp_path: Path) -> None:
    book = make_cohort(tmp_path, participants=[participant("P01", organisation_type="company")])
    out = tmp_path / "report.xlsx"
    result = run_cli("report", str(book), "-o", str(out))
    assert result.exit_code == 1
    assert out.exists()
    codes = [f["code"] for f in sheet_records(out, "Findings")]
    assert "lgotp.not-local-government" in codes
    participants = sheet_records(out, "Participants")
    assert participants[0]["errors"] == 1
    as_json = run_cli("report", str(book), "--json")
    assert as_json.exit_code == 1
    assert findings_with(json_output(as_json), "lgotp.not-local-government")


def test_report_in_japanese(tmp_path: Path, valid_book: Path) -> None:
    out = tmp_path / "report-ja.xlsx"
    assert run_cli("report", str(valid_book), "-o", str(out), "--lang", "ja").exit_code == 0
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert {"概要", "日程", "参加者", "費用", "指摘事項"} <= set(names)


def test_report_needs_an_output(valid_book: Path) -> None:
    result = run_cli("report", str(valid_book))
    assert result.exit_code == 2
    assert "-o" in result.stderr


# ---------------------------------------------------------------------------
# convert


def _rich_book(tmp_path: Path) -> Path:
    """A cohort with plugin fields, an unknown column, an unknown sheet, an invalid value
    and a row without its id."""
    book = make_cohort(
        tmp_path,
        participants=[
            participant("P01", notes="=not a formula", date_of_birth=dt.datetime(1990, 1, 2)),
            participant("P02", host_id="H02", placement_test_score="lots"),
            participant("", family_name="Nobody"),
        ],
    )
    wb = openpyxl.load_workbook(book)
    ws = find_sheet(wb, "participants")
    memo_col = ws.max_column + 1
    ws.cell(row=1, column=memo_col, value="Internal memo")
    ws.cell(row=2, column=memo_col, value="met at airport")
    ws.cell(row=3, column=memo_col, value=dt.datetime(2024, 6, 1))
    notes = wb.create_sheet("Office notes")
    notes["A1"] = "Budget code"
    notes["B1"] = 4711
    notes["A3"] = "Checked"
    notes["B3"] = dt.datetime(2024, 4, 1)
    wb.save(book)
    return book


def _records(path: Path) -> dict:
    data, _, _ = load_cohort(path, PluginRegistry.discover())
    return {
        "cohort": data.cohort,
        **{sheet: list(data.records(sheet)) for sheet in ("participants", "hosts", "costs")},
        "unknown_sheets": [(s.name, s.rows) for s in data.unknown_sheets],
        "unknown_columns": {k: v for k, v in data.unknown_columns.items() if v},
        "unkeyed": data.unkeyed_rows,
        "settings": data.settings,
    }


def test_convert_round_trip_is_lossless(tmp_path: Path) -> None:
    book = _rich_book(tmp_path)
    as_json = tmp_path / "cohort.json"
    back = tmp_path / "back.xlsx"
    first = run_cli("convert", str(book), str(as_json))
    assert first.exit_code == 0, first.output
    assert "could not be read and were kept" in first.stdout
    second = run_cli("convert", str(as_json), str(back))
    assert second.exit_code == 0, second.output

    original = _records(book)
    p1, p2 = original["participants"]
    assert p1.extra["placement_test_score"] == 72
    assert p1.extra["recommended"] is True
    assert p1.notes == "=not a formula"
    assert p1.date_of_birth == dt.date(1990, 1, 2)
    assert p1.unknown == {"Internal memo": "met at airport"}
    assert p2.unknown == {"Internal memo": dt.date(2024, 6, 1)}
    assert p2.invalid == {"placement_test_score": "lots"}
    assert original["unkeyed"]["participants"][0]["family_name"] == "Nobody"
    assert original["unknown_sheets"] == [
        ("Office notes", [(1, ["Budget code", 4711]), (3, ["Checked", dt.date(2024, 4, 1)])])
    ]
    assert _records(as_json) == original
    assert _records(back) == original

    payload = json.loads(as_json.read_text(encoding="utf-8"))
    assert payload["format"] == "kenshu-cohort/1"
    first_person = payload["participants"][0]
    assert first_person["placement_test_score"] == 72
    assert first_person["arrival_date"] == "2024-05-20"
    assert first_person["_unknown"] == {"Internal memo": "met at airport"}
    assert payload["participants"][1]["_invalid"] == {"placement_test_score": "lots"}
    # the formula-like text stays text in the workbook written back
    wb = openpyxl.load_workbook(back)
    ws = wb["Participants"]
    header = [c.value for c in ws[1]]
    notes = ws.cell(row=2, column=header.index("Notes") + 1)
    assert notes.value == "=not a formula"
    assert notes.data_type == "s"


def test_convert_in_japanese_keeps_values(tmp_path: Path, valid_book: Path) -> None:
    out = tmp_path / "ja.xlsx"
    assert run_cli("convert", str(valid_book), str(out), "--lang", "ja").exit_code == 0
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[:2] == ["コホート", "参加者"]
    assert _records(out) == _records(valid_book)


def test_convert_refuses_unknown_target_and_overwriting(tmp_path: Path, valid_book: Path) -> None:
    assert run_cli("convert", str(valid_book), str(tmp_path / "x.csv")).exit_code == 2
    before = valid_book.read_bytes()
    assert run_cli("convert", str(valid_book), str(valid_book)).exit_code == 2
    assert valid_book.read_bytes() == before


# ---------------------------------------------------------------------------
# plugins, programmes, schema, examples, version


def test_plugins_lists_lgotp() -> None:
    text = run_cli("plugins")
    assert text.exit_code == 0
    assert "lgotp (kenshu-lgotp" in text.stdout
    assert "programmes: lgotp" in text.stdout
    payload = json_output(run_cli("plugins", "--json"))
    assert payload["plugin_api"] == "1.0"
    (lgotp,) = [p for p in payload["plugins"] if p["name"] == "lgotp"]
    assert lgotp["status"] == "loaded"
    assert lgotp["distribution"] == "kenshu-lgotp"
    assert lgotp["version"] == metadata.version("kenshu-lgotp")
    assert lgotp["programmes"] == ["lgotp"]
    assert "kenshu_check_participant" in lgotp["hooks"]
    assert lgotp["plugin_api"] == ">=1.0,<2"
    assert all(p["name"] != "core" for p in payload["plugins"])


def test_programmes() -> None:
    text = run_cli("programmes")
    assert text.exit_code == 0
    assert "lgotp: Local Government Officials Training Programme" in text.stdout
    assert "自治体職員協力交流事業" in text.stdout
    payload = json_output(run_cli("programmes", "--json"))
    (lgotp,) = [p for p in payload["programmes"] if p["code"] == "lgotp"]
    assert lgotp["plugin"] == "lgotp"
    assert lgotp["direction"] == "inbound"
    assert lgotp["enrolled"] is True
    assert "participants" in lgotp["sheets"]


def test_schema_json_shape() -> None:
    result = run_cli("schema", "lgotp", "--json")
    assert result.exit_code == 0
    payload = json_output(result)
    assert {"programme", "sheets", "settings"} == set(payload)
    assert payload["programme"] == "lgotp"
    for sheet in payload["sheets"]:
        assert {"name", "fields"} <= set(sheet)
        for f in sheet["fields"]:
            assert {"id", "labels", "type", "required", "choices", "help", "default"} <= set(f)
            assert set(f["labels"]) == {"en", "ja"}
    sheets = {s["name"]: s for s in payload["sheets"]}
    fields = {f["id"]: f for f in sheets["Participants"]["fields"]}
    assert fields["participant_id"]["required"] is True
    assert fields["arrival_date"]["required"] is True  # required by the programme
    assert fields["gender"]["choices"] == ["F", "M", "X"]
    assert fields["placement_test_score"]["labels"] == {
        "en": "Placement test score",
        "ja": "日本語クラス分けテスト得点",
    }
    assert fields["placement_test_score"]["type"] == "integer"
    settings = {s["id"]: s for s in payload["settings"]}
    for s in payload["settings"]:
        assert {"id", "default", "help", "source"} <= set(s)
    assert settings["min_months"]["default"] == 6
    assert settings["arrival_from"]["default"] == "05-11"
    assert "seed" in settings["min_months"]["source"]
    assert settings["max_rows_per_sheet"]["default"] == 200_000


def test_schema_text_and_unknown_programme() -> None:
    text = run_cli("schema", "lgotp")
    assert text.exit_code == 0
    assert "placement_test_score" in text.stdout
    assert "min_months = 6" in text.stdout
    ja = json_output(run_cli("schema", "lgotp", "--json", "--lang", "ja"))
    assert ja["sheets"][1]["name"] == "参加者"
    assert run_cli("schema", "nosuch").exit_code == 2


def test_examples_command(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    example = shipped / "demo-2024.xlsx"
    example.write_bytes(b"not really a workbook, only copied")

    class Shipper:
        @hookimpl
        def kenshu_register_programmes(self, register) -> None:
            register(Programme(code="demo", title="Demo", examples=(str(example),)))

    registry = PluginRegistry.discover()
    registry.add(Shipper(), "shipper")
    listed = run_cli("examples", "demo", state=state_for(registry))
    assert listed.exit_code == 0
    assert listed.stdout == f"demo: {example}\n"
    out = tmp_path / "copies"
    copied = run_cli("examples", "demo", "-o", str(out), state=state_for(registry))
    assert copied.exit_code == 0
    assert copied.stdout == f"{out / example.name}\n"
    assert (out / example.name).read_bytes() == example.read_bytes()

    everything = run_cli("examples", state=state_for(registry))
    assert f"demo: {example}" in everything.stdout
    for programme in registry.programmes.values():
        for path in programme.examples:
            assert f"{programme.code}: {path}" in everything.stdout
            assert Path(path).is_file()

    nothing = PluginRegistry.discover(entry_points=[])
    empty = run_cli("examples", state=state_for(nothing))
    assert empty.exit_code == 0
    assert empty.stdout.startswith("No example workbooks installed.")
    unknown = run_cli("examples", "nosuch")
    assert unknown.exit_code == 2
    assert "unknown programme" in unknown.stderr


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"kenshu, version {__version__}"


def test_python_dash_m_kenshu(tmp_path: Path) -> None:
    version = run_kenshu("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"kenshu, version {__version__}"
    out = tmp_path / "t.xlsx"
    made = run_kenshu("template", "lgotp", "-o", str(out))
    assert made.returncode == 0, made.stderr
    validated = run_kenshu("validate", "--json", str(out))
    assert validated.returncode == 1
    assert json.loads(validated.stdout)["files"][0]["programme"] == "lgotp"
    help_text = run_kenshu("--help")
    assert help_text.returncode == 0
    commands = [
        "template",
        "validate",
        "report",
        "convert",
        "plugins",
        "programmes",
        "schema",
        "examples",
    ]
    positions = [help_text.stdout.index(f"  {name}") for name in commands]
    assert positions == sorted(positions)


def test_subprocess_unreadable_file_exits_2_in_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 broken")
    result = run_kenshu("validate", str(junk))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("kenshu: error:")


def test_participant_rows_are_appended_under_the_header(template_en: Path) -> None:
    """The helpers write where kenshu reads: a guard for every other test."""
    wb = openpyxl.load_workbook(template_en)
    rows = append_rows(wb, "participants", [participant("P09")])
    assert rows == [2]
    assert find_sheet(wb, "participants")["A2"].value == "P09"
