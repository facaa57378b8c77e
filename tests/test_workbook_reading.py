"""Reading filled workbooks: template round trips in English and Japanese, headers found
however they are written, values converted, problems located, settings overridden."""

from __future__ import annotations

import datetime as dt
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
)
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from openpyxl.utils import get_column_letter


@pytest.fixture(scope="module")
def registry() -> PluginRegistry:
    """The installed plugins (lgotp), loaded once for the module."""
    return PluginRegistry.discover()


COHORT_BY_ID = [(key, value) for key, value in cohort_values().items()]


def _by_id(data) -> dict[str, Any]:
    return {p.participant_id: p for p in data.participants}


# ---------------------------------------------------------------------------
# Template -> fill -> validate -> report


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_template_fill_validate_report(tmp_path: Path, lang: str, registry) -> None:
    book = make_cohort(tmp_path, lang=lang)
    validated = run_cli("validate", "--json", str(book))
    assert validated.exit_code == 0, validated.output
    entry = json_output(validated)["files"][0]
    assert entry["valid"] is True
    assert entry["counts"] == {"error": 0, "warning": 1, "info": 0}

    data, findings, schema = load_cohort(book, registry)
    assert findings == []
    assert schema.programme.code == "lgotp"
    assert data.cohort.cohort_id == "lgotp-2024"
    assert data.cohort.start_date == dt.date(2024, 5, 20)
    assert data.cohort.edition == 37
    people = _by_id(data)
    assert people["P01"].arrival_date == dt.date(2024, 5, 20)
    assert people["P01"].extra == {
        "placement_test_score": 72,
        "recommended": True,
        "field_of_training": "Tourism",
        "leadership_evidence": "Leads the city's tourism promotion team",
    }
    assert people["P02"].nationality == "PH"
    assert [h.kind for h in data.hosts] == ["designated_city", "prefecture"]
    assert [c.amount for c in data.costs] == [150000, 420000]
    expected_names = {"en": "Participants", "ja": "参加者"}[lang]
    assert data.layouts["participants"].name == expected_names

    out = tmp_path / "report.xlsx"
    reported = run_cli("report", str(book), "-o", str(out), "--lang", lang)
    assert reported.exit_code == 0, reported.output
    participants_sheet = {"en": "Participants", "ja": "参加者"}[lang]
    rows = sheet_records(out, participants_sheet)
    assert [r["participant_id"] for r in rows] == ["P01", "P02"]


def test_japanese_and_english_workbooks_hold_the_same_records(tmp_path: Path, registry) -> None:
    en = make_cohort(tmp_path, "en.xlsx")
    ja = make_cohort(tmp_path, "ja.xlsx", lang="ja")
    data_en, _, _ = load_cohort(en, registry)
    data_ja, _, _ = load_cohort(ja, registry)
    assert data_en.cohort == data_ja.cohort
    assert data_en.participants == data_ja.participants
    assert data_en.hosts == data_ja.hosts
    assert data_en.costs == data_ja.costs


def test_japanese_findings_name_the_japanese_sheet(tmp_path: Path) -> None:
    book = make_cohort(tmp_path, lang="ja", participants=[participant("P01", recommended="いいえ")])
    result = run_cli("validate", "--json", str(book))
    assert result.exit_code == 1
    (finding,) = findings_with(json_output(result), "lgotp.not-recommended")
    assert finding["sheet"] == "参加者"
    assert finding["subject"] == "P01"
    assert finding["row"] == 2


def test_japanese_workbook_outputs_stay_japanese(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        lang="ja",
        participants=[participant("P01", english_level="A1", japanese_level="N5")],
    )
    annotated = tmp_path / "annotated.xlsx"
    result = run_cli("validate", str(book), "--annotate", str(annotated))
    assert result.exit_code == 1
    wb = openpyxl.load_workbook(annotated)
    assert wb.sheetnames[:2] == ["コホート", "参加者"]
    ws = wb["参加者"]
    header = [c.value for c in ws[1]]
    flagged = ws.cell(row=2, column=header.index("英語力(CEFR)") + 1)
    assert flagged.value == "A1"
    assert "lgotp.language-level" in flagged.comment.text
    report = tmp_path / "report.xlsx"
    assert run_cli("report", str(book), "-o", str(report)).exit_code == 1
    assert "概要" in openpyxl.load_workbook(report, read_only=True).sheetnames


# ---------------------------------------------------------------------------
# Finding the headers


def test_headers_are_field_ids(tmp_path: Path, registry) -> None:
    book = build_workbook(
        tmp_path / "ids.xlsx",
        COHORT_BY_ID,
        {
            "Participants": [
                ["participant_id", "family_name", "host_id", "arrival_date", "departure_date"],
                ["P01", "Nguyen", "H01", dt.datetime(2024, 5, 20), dt.datetime(2024, 12, 19)],
            ],
            "Hosts": [["host_id", "name", "kind"], ["H01", "Sendai City", "designated_city"]],
        },
    )
    data, findings, _ = load_cohort(book, registry)
    assert [f for f in findings if f.severity == "error"] == []
    assert data.cohort.programme == "lgotp"
    (p,) = data.participants
    assert (p.participant_id, p.family_name, p.host_id) == ("P01", "Nguyen", "H01")
    assert p.departure_date == dt.date(2024, 12, 19)
    assert data.hosts[0].kind == "designated_city"


def test_headers_match_ignoring_case_spacing_and_full_width(tmp_path: Path, registry) -> None:
    book = build_workbook(
        tmp_path / "fuzzy.xlsx",
        [("ＰＲＯＧＲＡＭＭＥ", "lgotp"), ("cohort  id", "x-1"), ("START_DATE", "2024-05-20")],
        {
            "participants": [
                [
                    "ＰＡＲＴＩＣＩＰＡＮＴ　ＩＤ",
                    "  family   NAME ",
                    "Given-Name",
                    "ＨＯＳＴ＿ＩＤ",
                    "English level (cefr)",
                    "placement test score",
                    "参加者ＩＤ",
                ],
                ["P01", "Nguyen", "Lan", "H01", "b2", 80, "ignored duplicate"],
            ],
        },
    )
    data, findings, _ = load_cohort(book, registry)
    assert data.cohort.cohort_id == "x-1"
    assert data.cohort.start_date == dt.date(2024, 5, 20)
    (p,) = data.participants
    assert (p.participant_id, p.family_name, p.given_name, p.host_id) == (
        "P01",
        "Nguyen",
        "Lan",
        "H01",
    )
    assert p.english_level == "B2"
    assert p.extra["placement_test_score"] == 80
    # a second header for the same field is an unknown column, kept verbatim
    assert p.unknown == {"参加者ＩＤ": "ignored duplicate"}
    assert not [f for f in findings if f.code == "core.invalid-value"]


def test_header_row_below_title_rows(tmp_path: Path, registry) -> None:
    book = make_cohort(
        tmp_path,
        participants=[participant("P01"), participant("P02", recommended="no", host_id="H02")],
    )
    wb = openpyxl.load_workbook(book)
    ws = find_sheet(wb, "participants")
    ws.insert_rows(1, amount=3)
    ws["A1"] = "LGOTP 2024: trainees"
    ws["A2"] = "Prepared by the International Affairs Division"
    wb.save(book)

    data, _, _ = load_cohort(book, registry)
    assert data.layouts["participants"].header_row == 4
    assert [p.participant_id for p in data.participants] == ["P01", "P02"]

    result = run_cli("validate", "--json", str(book))
    (finding,) = findings_with(json_output(result), "lgotp.not-recommended")
    _, columns = header_columns(
        find_sheet(openpyxl.load_workbook(book), "participants"), "participants"
    )
    letter = get_column_letter(columns["recommended"])
    assert (finding["row"], finding["column"], finding["cell"]) == (6, letter, f"{letter}6")
    assert finding["subject"] == "P02"


def test_sheet_found_by_content_when_renamed(tmp_path: Path, registry) -> None:
    book = build_workbook(
        tmp_path / "renamed.xlsx",
        COHORT_BY_ID,
        {"Trainees 2024": [["Participant ID", "Family name"], ["P01", "Nguyen"]]},
    )
    data, _, _ = load_cohort(book, registry)
    assert [p.participant_id for p in data.participants] == ["P01"]
    assert data.layouts["participants"].name == "Trainees 2024"
    assert data.unknown_sheets == []


# ---------------------------------------------------------------------------
# Converting values


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_values_are_converted(tmp_path: Path, engine: str) -> None:
    book = make_cohort(
        tmp_path,
        participants=[
            participant(
                "P01",
                arrival_date=dt.datetime(2024, 5, 20),  # a real date cell
                departure_date=45645,  # an Excel serial number: 2024-12-19
                date_of_birth="1990-01-02",  # ISO text
                placement_test_score=72.0,  # an integer stored as a float
                gender="female",
                english_level="b2",
                nationality="Viet Nam",
            ),
            participant(
                "P02",
                host_id="H02",
                arrival_date="2024年5月20日",
                departure_date="２０２４－１２－１９",  # full-width digits and hyphens
                placement_test_score="７２",
                recommended="はい",
                gender="女",
                nationality="ph",
            ),
        ],
        hosts=[host("H01", capacity=2.0), host("H02", kind="prefecture", capacity="１")],
    )
    data, findings, _ = load_cohort(book, PluginRegistry.discover(), engine=engine)
    assert [f for f in findings if f.severity == "error"] == []
    people = _by_id(data)
    for p in people.values():
        assert p.arrival_date == dt.date(2024, 5, 20)
        assert type(p.arrival_date) is dt.date
        assert p.departure_date == dt.date(2024, 12, 19)
        assert p.extra["placement_test_score"] == 72
        assert type(p.extra["placement_test_score"]) is int
        assert p.gender == "F"
    assert people["P01"].date_of_birth == dt.date(1990, 1, 2)
    assert people["P01"].english_level == "B2"
    assert people["P01"].nationality == "VN"
    assert people["P02"].nationality == "PH"
    assert people["P02"].extra["recommended"] is True
    capacities = [h.capacity for h in data.hosts]
    assert capacities == [2, 1]
    assert all(type(c) is int for c in capacities)

    result = run_cli("validate", "--json", "--engine", engine, str(book))
    assert result.exit_code == 0, result.output


BAD_VALUES = {
    "arrival_date": "next spring",
    "departure_date": "2024-02-30",
    "placement_test_score": 72.5,
    "english_level": "fluent",
    "email": "not-an-address",
    "nationality": "Atlantis",
    "recommended": "maybe",
    "date_of_birth": -3,
}


def test_each_conversion_problem_is_located(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        participants=[participant("P01"), participant("P02", host_id="H02", **BAD_VALUES)],
    )
    wb = openpyxl.load_workbook(book)
    _, columns = header_columns(find_sheet(wb, "participants"), "participants")
    result = run_cli("validate", "--json", str(book))
    assert result.exit_code == 1
    invalid = findings_with(json_output(result), "core.invalid-value")
    assert len(invalid) == len(BAD_VALUES)
    by_cell = {f["cell"]: f for f in invalid}
    for field_id, raw in BAD_VALUES.items():
        letter = get_column_letter(columns[field_id])
        finding = by_cell[f"{letter}3"]
        assert finding["sheet"] == "Participants"
        assert finding["row"] == 3
        assert finding["column"] == letter
        assert finding["severity"] == "error"
        assert finding["subject"] == "P02"
        assert str(raw) in finding["message"] or field_id == "placement_test_score"
    assert "72.5" in by_cell[f"{get_column_letter(columns['placement_test_score'])}3"]["message"]
    # an invalid value is kept as written, not dropped
    data, _, _ = load_cohort(book, PluginRegistry.discover())
    assert _by_id(data)["P02"].invalid["arrival_date"] == "next spring"


def test_value_out_of_bounds_is_located(tmp_path: Path) -> None:
    book = make_cohort(tmp_path, participants=[participant("P01", placement_test_score=150)])
    result = run_cli("validate", "--json", str(book))
    (finding,) = findings_with(json_output(result), "core.invalid-value")
    assert "above the maximum 100" in finding["message"]
    assert finding["row"] == 2


def test_cohort_value_problem_is_located(tmp_path: Path) -> None:
    book = make_cohort(tmp_path, cohort=cohort_values(start_date="someday", edition=0))
    result = run_cli("validate", "--json", str(book))
    assert result.exit_code == 1
    invalid = {
        f["message"].split(":")[0]: f
        for f in findings_with(json_output(result), "core.invalid-value")
    }
    assert set(invalid) == {"Start date", "Edition"}
    start = invalid["Start date"]
    assert (start["sheet"], start["column"]) == ("Cohort", "B")
    assert start["cell"] == f"B{start['row']}"
    wb = openpyxl.load_workbook(book)
    assert wb["Cohort"][start["cell"]].value == "someday"


# ---------------------------------------------------------------------------
# Settings: the workbook's Settings sheet, then --set


def _report(book: Path, *sets: str) -> tuple[int, dict]:
    args = ["report", str(book), "--json"]
    for item in sets:
        args += ["--set", item]
    result = run_cli(*args)
    return result.exit_code, json_output(result)


def test_settings_sheet_and_set_override(tmp_path: Path) -> None:
    people = [participant("P01", recommended="no"), participant("P02", host_id="H02")]
    plain = make_cohort(tmp_path, "plain.xlsx", participants=people)
    code, payload = _report(plain)
    assert code == 1
    assert findings_with(payload, "lgotp.not-recommended")
    assert findings_with(payload, "lgotp.class-size")
    assert payload["settings"]["require_recommendation"] is True
    assert payload["settings"]["class_min_size"] == 6

    tuned = make_cohort(
        tmp_path,
        "tuned.xlsx",
        participants=people,
        settings={"require_recommendation": "no", "class_min_size": 2},
    )
    code, payload = _report(tuned)
    assert code == 0
    assert not findings_with(payload, "lgotp.not-recommended")
    assert not findings_with(payload, "lgotp.class-size")
    assert payload["settings"]["require_recommendation"] is False
    assert payload["settings"]["class_min_size"] == 2

    # the command line wins over the workbook
    code, payload = _report(tuned, "require_recommendation=yes", "class_min_size=3")
    assert code == 1
    assert findings_with(payload, "lgotp.not-recommended")
    assert findings_with(payload, "lgotp.class-size")
    assert payload["settings"]["require_recommendation"] is True
    assert payload["settings"]["class_min_size"] == 3

    # the report workbook says which value came from where
    out = tmp_path / "report.xlsx"
    run_cli("report", str(tuned), "-o", str(out), "--set", "class_min_size=3")
    used = {row["setting"]: row for row in sheet_records(out, "Summary settings")}
    assert (used["class_min_size"]["value"], used["class_min_size"]["origin"]) == (
        3,
        "command line",
    )
    assert (used["require_recommendation"]["value"], used["require_recommendation"]["origin"]) == (
        "no",  # yes/no values are written as words
        "workbook",
    )
    assert (used["min_months"]["value"], used["min_months"]["origin"]) == (6, "default")


def test_unknown_setting_in_workbook_is_a_finding(tmp_path: Path) -> None:
    book = make_cohort(tmp_path, settings={"class_min_size": 2, "no_such_setting": 5})
    result = run_cli("validate", "--json", str(book))
    assert result.exit_code == 1
    (finding,) = findings_with(json_output(result), "core.invalid-setting")
    assert "no_such_setting" in finding["message"]
    assert (finding["sheet"], finding["row"], finding["column"], finding["cell"]) == (
        "Settings",
        3,
        "B",
        "B3",
    )
    # the known setting still applies
    assert not findings_with(json_output(result), "lgotp.class-size")


def test_unusable_setting_value_in_workbook_keeps_the_default(tmp_path: Path) -> None:
    book = make_cohort(tmp_path, settings={"class_min_size": "a few"})
    code, payload = _report(book)
    assert code == 1
    (finding,) = findings_with(payload, "core.invalid-setting")
    assert "class_min_size" in finding["message"]
    assert payload["settings"]["class_min_size"] == 6


def test_unknown_setting_on_command_line_exits_2(valid_book: Path) -> None:
    result = run_cli("report", str(valid_book), "--json", "--set", "no_such_setting=1")
    assert result.exit_code == 2
    assert "no_such_setting" in result.stderr
    assert "unknown setting" in result.stderr
