"""Dates in Japanese eras: read in every kind of date field (workbook cells and JSON), the
era boundary of 2019-05-01, and ``--date-style wareki`` written and read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from helpers import (
    build_workbook,
    cohort_values,
    findings_with,
    json_output,
    make_cohort,
    participant,
    run_cli,
    sheet_records,
    state_for,
)
from hypothesis import given
from hypothesis import strategies as st
from kenshu import Field, Programme, hookimpl
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from kenshu.wareki import WarekiError, fold, format_wareki, parse_wareki
from kenshu.workbook.convert import convert, to_date

# ---------------------------------------------------------------------------
# Reading era text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年5月12日", dt.date(2024, 5, 12)),
        ("R6.5.12", dt.date(2024, 5, 12)),
        ("r06/05/12", dt.date(2024, 5, 12)),
        ("R6-5-12", dt.date(2024, 5, 12)),
        ("R6年5月12日", dt.date(2024, 5, 12)),
        ("令6.5.12", dt.date(2024, 5, 12)),
        ("令和 6 年 5 月 12 日", dt.date(2024, 5, 12)),
        ("令和6年5月12日(日)", dt.date(2024, 5, 12)),
        ("令和六年五月十二日", dt.date(2024, 5, 12)),
        ("令和６年５月１２日", dt.date(2024, 5, 12)),  # full-width digits
        ("Ｒ６．５．１２", dt.date(2024, 5, 12)),  # full-width letter and dots
        ("令和６年５月１２日（日）", dt.date(2024, 5, 12)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),  # the last day of Heisei
        ("H31.4.30", dt.date(2019, 4, 30)),
        ("㍻31年4月30日", dt.date(2019, 4, 30)),  # the one-character era sign
        ("令和元年5月1日", dt.date(2019, 5, 1)),  # the first day of Reiwa
        ("令和1年5月1日", dt.date(2019, 5, 1)),
        ("㋿元年5月1日", dt.date(2019, 5, 1)),
        ("S64.1.7", dt.date(1989, 1, 7)),  # the last day of Showa
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("昭和55年3月1日", dt.date(1980, 3, 1)),
        ("昭55.3.1", dt.date(1980, 3, 1)),
        ("大正15年12月24日", dt.date(1926, 12, 24)),
        ("T1.7.30", dt.date(1912, 7, 30)),
        ("明治6年1月1日", dt.date(1873, 1, 1)),
        ("令和二十年十月三十一日", dt.date(2038, 10, 31)),
    ],
)
def test_era_dates_are_read(text: str, expected: dt.date) -> None:
    assert to_date(text) == expected
    assert convert(to_date, text) == (expected, None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("令和元年4月30日", "before Reiwa (令和) began on 2019-05-01; that day is 平成31年4月30日"),
        ("平成31年2月30日", "is not a real date"),
        ("R0.5.1", "era years start at 1"),
        ("明治5年12月2日", "lunisolar calendar"),
        ("M1.1.25", "lunisolar calendar"),
        ("R6.13.1", "is not a real date"),
        ("X6.5.12", "expected a date"),
        ("令和6年5月", "expected a date"),
        ("R6.5-12", "expected a date"),  # mixed separators are not guessed
    ],
)
def test_impossible_era_dates_are_refused_with_a_reason_in_both_languages(
    text: str, reason: str
) -> None:
    value, problem = convert(to_date, text)
    assert value is None
    assert reason in problem
    assert problem.severity == "error" and problem.code == "core.invalid-value"
    assert problem.ja and problem.ja != str(problem)
    assert any("\u3040" <= ch <= "\u30ff" for ch in problem.ja)  # kana: written in Japanese


def test_a_date_past_its_era_is_read_by_counting_on_with_a_warning() -> None:
    """平成31年5月1日 does not exist in law (Reiwa began that day) but appears on forms
    printed before the new era was named: it is read as 2019-05-01, with a warning."""
    value, note = convert(to_date, "平成31年5月1日")
    assert value == dt.date(2019, 5, 1)
    assert note.severity == "warning" and note.code == "core.date-past-era"
    assert "令和元年5月1日" in note and "2019-04-30" in note
    assert "令和元年5月1日" in note.ja and "平成31年4月30日" in note.ja
    assert convert(to_date, "H32.3.31")[0] == dt.date(2020, 3, 31)
    assert convert(to_date, "昭和64年1月8日")[0] == dt.date(1989, 1, 8)  # Heisei 1's first day
    assert convert(to_date, "平成31年4月30日") == (dt.date(2019, 4, 30), None)


def test_era_signs_are_not_mistaken_for_other_text() -> None:
    assert parse_wareki("Reiwa") is None
    assert parse_wareki("2024-05-12") is None
    with pytest.raises(WarekiError):
        parse_wareki("令和0年1月1日")


# ---------------------------------------------------------------------------
# Writing era text


@pytest.mark.parametrize(
    ("day", "kanji", "letter"),
    [
        (dt.date(2024, 5, 12), "令和6年5月12日", "R6.5.12"),
        (dt.date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (dt.date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (dt.date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (dt.date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (dt.date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        (dt.date(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
        (dt.date(1873, 1, 1), "明治6年1月1日", "M6.1.1"),
    ],
)
def test_dates_are_written_in_their_era(day: dt.date, kanji: str, letter: str) -> None:
    assert format_wareki(day) == kanji
    assert format_wareki(day, "letter") == letter
    assert format_wareki(dt.datetime.combine(day, dt.time(9))) == kanji


def test_dates_before_the_gregorian_calendar_are_written_as_iso() -> None:
    assert format_wareki(dt.date(1872, 12, 31)) == "1872-12-31"


@given(st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2150, 12, 31)))
def test_writing_then_reading_gives_the_same_date(day: dt.date) -> None:
    for style in ("kanji", "letter"):
        read = parse_wareki(fold(format_wareki(day, style)))
        assert read is not None and read.date == day and not read.past_era_end


# ---------------------------------------------------------------------------
# Every kind of date field, in real workbooks and JSON


class _DatePlugin:
    """A programme using every sheet, with a date field of its own on Participants."""

    @hookimpl
    def kenshu_register_programmes(self, register) -> None:
        register(
            Programme(
                code="datetest",
                title="Date test",
                sheets=(
                    "cohort",
                    "participants",
                    "hosts",
                    "phases",
                    "activities",
                    "follow_ups",
                    "attendance",
                    "costs",
                ),
            )
        )

    @hookimpl
    def kenshu_fields(self, programme):
        return [
            Field(
                id="visa_expiry",
                type="date",
                label="Visa expiry",
                label_ja="在留期限",
                help="When the visa expires.",
                sheet="participants",
            )
        ]


@pytest.fixture
def registry() -> PluginRegistry:
    reg = PluginRegistry.discover(entry_points=[])
    reg.add(_DatePlugin(), "datetest")
    return reg


def _era_workbook(path: Path) -> Path:
    """A hand-made workbook with era dates in every date field (Japanese headers too)."""
    return build_workbook(
        path,
        [
            ("Programme", "datetest"),
            ("Cohort ID", "d-2024"),
            ("開始日", "令和6年5月20日"),
            ("End date", "Ｒ７．３．３１"),
        ],
        {
            "Participants": [
                ["参加者ID", "生年月日", "到着日", "出発日", "在留期限"],
                ["P1", "平成2年4月1日", "R6.5.20", "令和6年12月19日(木)", "R8.5.19"],
                ["P2", "S64.1.7", "令和６年５月２０日", "平成31年5月1日", "令和元年4月30日"],
            ],
            "Phases": [
                ["Phase ID", "Start date", "End date"],
                ["ph1", "R6.5.20", "令和6年5月31日"],
            ],
            "Activities": [["Activity ID", "Date"], ["a1", "令和六年六月三日"]],
            "FollowUps": [["Follow-up ID", "Date"], ["f1", "令7.3.1"]],
        },
    )


def test_era_dates_are_read_in_every_kind_of_date_field(
    registry: PluginRegistry, tmp_path: Path
) -> None:
    data, findings, _ = load_cohort(_era_workbook(tmp_path / "era.xlsx"), registry)
    cohort = data.cohort
    assert (cohort.start_date, cohort.end_date) == (dt.date(2024, 5, 20), dt.date(2025, 3, 31))
    p1, p2 = data.participants
    assert p1.date_of_birth == dt.date(1990, 4, 1)
    assert (p1.arrival_date, p1.departure_date) == (dt.date(2024, 5, 20), dt.date(2024, 12, 19))
    assert p1.extra["visa_expiry"] == dt.date(2026, 5, 19)  # a plugin's date field
    assert p2.date_of_birth == dt.date(1989, 1, 7)
    assert p2.arrival_date == dt.date(2024, 5, 20)
    assert (data.phases[0].start_date, data.phases[0].end_date) == (
        dt.date(2024, 5, 20),
        dt.date(2024, 5, 31),
    )
    assert data.activities[0].date == dt.date(2024, 6, 3)
    assert data.follow_ups[0].date == dt.date(2025, 3, 1)

    # the era boundary: read, with a warning naming the cell; a date before its era: refused
    assert p2.departure_date == dt.date(2019, 5, 1)
    (boundary,) = [f for f in findings if f.code == "core.date-past-era"]
    assert boundary.severity == "warning"
    assert (boundary.sheet, boundary.cell, boundary.subject) == ("Participants", "D3", "P2")
    assert "令和元年5月1日" in boundary.message_ja
    (refused,) = [f for f in findings if f.code == "core.invalid-value"]
    assert (refused.cell, refused.field_id) == ("E3", "visa_expiry")
    assert refused.message_ja.startswith("在留期限: ")
    assert p2.invalid == {"visa_expiry": "令和元年4月30日"}  # kept as typed


def test_json_input_reads_era_dates_through_the_same_converters(
    registry: PluginRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "era.json"
    path.write_text(
        json.dumps(
            {
                "programme": "datetest",
                "cohort": {
                    "programme": "datetest",
                    "cohort_id": "d-json",
                    "start_date": "R6.5.20",
                    "end_date": "令和7年3月31日",
                },
                "participants": [
                    {
                        "participant_id": "P1",
                        "date_of_birth": "平成2年4月1日",
                        "departure_date": "H31.5.1",
                        "visa_expiry": "R8.5.19",
                    }
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    data, findings, _ = load_cohort(path, registry)
    assert data.cohort.start_date == dt.date(2024, 5, 20)
    assert data.cohort.end_date == dt.date(2025, 3, 31)
    (p,) = data.participants
    assert p.date_of_birth == dt.date(1990, 4, 1)
    assert p.departure_date == dt.date(2019, 5, 1)
    assert p.extra["visa_expiry"] == dt.date(2026, 5, 19)
    assert [(f.code, f.severity) for f in findings] == [("core.date-past-era", "warning")]


def test_validate_reports_the_era_boundary_as_a_warning_only(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        participants=[participant("P01", date_of_birth="平成31年5月1日"), participant("P02")],
    )
    result = run_cli("validate", "--json", str(book))
    assert result.exit_code == 0, result.output  # a warning, not an error
    (warning,) = findings_with(json_output(result), "core.date-past-era")
    assert warning["severity"] == "warning" and warning["subject"] == "P01"
    assert "2019-05-01" in warning["message"]


# ---------------------------------------------------------------------------
# --date-style wareki


def _wareki_lgotp_book(tmp_path: Path) -> Path:
    """A valid LGOTP workbook whose dates are typed as dates, ISO text and era text."""
    return make_cohort(
        tmp_path,
        cohort=cohort_values(start_date="令和6年5月20日", end_date="R7.3.31"),
        participants=[
            participant("P01", date_of_birth="H2.4.1", departure_date="令和6年12月19日"),
            participant(
                "P02",
                family_name="Santos",
                nationality="PH",
                home_country="PH",
                host_id="H02",
                date_of_birth=dt.datetime(1988, 11, 3),
                placement_test_score=55,
            ),
        ],
    )


def test_convert_date_style_wareki_writes_era_text_that_reads_back_to_the_same_dates(
    tmp_path: Path,
) -> None:
    book = _wareki_lgotp_book(tmp_path)
    wareki = tmp_path / "wareki.xlsx"
    result = run_cli("convert", str(book), str(wareki), "--date-style", "wareki")
    assert result.exit_code == 0, result.output

    wb = openpyxl.load_workbook(wareki)
    cohort = {row[0].value: row[1].value for row in wb["Cohort"].iter_rows(min_row=2)}
    assert cohort["Start date"] == "令和6年5月20日" and cohort["End date"] == "令和7年3月31日"
    people = list(wb["Participants"].iter_rows(values_only=True))
    header = people[0]
    rows = [dict(zip(header, row, strict=False)) for row in people[1:]]
    assert [r["Date of birth"] for r in rows] == ["平成2年4月1日", "昭和63年11月3日"]
    assert [r["Arrival date"] for r in rows] == ["令和6年5月20日", "令和6年5月20日"]
    assert rows[0]["Departure date"] == "令和6年12月19日"

    # read back: exactly the values of the original, field for field
    original, back = tmp_path / "original.json", tmp_path / "back.json"
    assert run_cli("convert", str(book), str(original)).exit_code == 0
    assert run_cli("convert", str(wareki), str(back)).exit_code == 0
    assert json.loads(back.read_text("utf-8")) == json.loads(original.read_text("utf-8"))
    assert json.loads(back.read_text("utf-8"))["cohort"]["start_date"] == "2024-05-20"
    assert run_cli("validate", str(wareki)).exit_code == 0


def test_convert_to_json_refuses_wareki_dates(tmp_path: Path) -> None:
    book = _wareki_lgotp_book(tmp_path)
    result = run_cli("convert", str(book), str(tmp_path / "out.json"), "--date-style", "wareki")
    assert result.exit_code == 2
    assert "JSON dates are always ISO 8601" in result.output
    assert not (tmp_path / "out.json").exists()


def test_report_date_style_wareki(tmp_path: Path) -> None:
    book = _wareki_lgotp_book(tmp_path)
    out = tmp_path / "report.xlsx"
    result = run_cli("report", str(book), "-o", str(out), "--date-style", "wareki")
    assert result.exit_code == 0, result.output
    assert "From 令和6年5月20日 to 令和7年3月31日 (316 days, both included)." in result.output
    schedule = sheet_records(out, "Schedule")
    assert schedule[0]["start_date"] == "令和6年5月20日"
    assert all(str(r["end_date"]).startswith("令和") for r in schedule)
    people = sheet_records(out, "Participants")
    assert [p["arrival_date"] for p in people] == ["令和6年5月20日", "令和6年5月20日"]
    # JSON keeps ISO dates
    payload = json_output(run_cli("report", str(book), "--json", "--date-style", "wareki"))
    assert payload["phases"][0]["start_date"] == "2024-05-20"


def test_report_dates_are_date_cells_by_default(tmp_path: Path) -> None:
    book = _wareki_lgotp_book(tmp_path)
    out = tmp_path / "report.xlsx"
    assert run_cli("report", str(book), "-o", str(out)).exit_code == 0
    assert sheet_records(out, "Schedule")[0]["start_date"] == dt.datetime(2024, 5, 20)


def test_registry_helper_state_reads_era_dates(registry: PluginRegistry, tmp_path: Path) -> None:
    """The CLI with a test plugin: era dates in the plugin's own field validate cleanly."""
    book = _era_workbook(tmp_path / "era.xlsx")
    result = run_cli("validate", "--json", str(book), state=state_for(registry))
    codes = {f["code"] for f in json_output(result)["files"][0]["findings"]}
    assert {"core.date-past-era", "core.invalid-value"} <= codes
