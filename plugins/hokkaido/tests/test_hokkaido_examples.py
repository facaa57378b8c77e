"""The example cohorts that ``make demo`` runs on: each committed workbook matches its JSON
source, and validate and report give exactly the problems planted in it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from kenshu.testing.examples import assert_matches_json
from kenshu_hokkaido import programmes as P

#: Each example's planted findings, as (code, subject): all warnings, so each validates.
PLANTED = {
    P.LECTURES: {("hokkaido.attendance-missing", "L05")},  # the 31 March lecture
    P.COURSE: {("hokkaido.course-theme-unknown", "C05")},  # "climate change"
    P.SEMINARS: {("hokkaido.lecturer-without-cooperation-experience", "S03")},
    P.EXCHANGE_MISSION: {("hokkaido.age-outside-youth-band", "M04")},  # 41 on his departure
    P.HIGHSCHOOL_MISSION: {("hokkaido.report-session-missing", "H03")},
    P.TECHNICAL_TRAINEES: {("hokkaido.trainee-not-placed", "T04")},
}
WORKBOOKS = [(code, f"{code}-fy2024.xlsx") for code in P.CODES] + [
    (P.LECTURES, f"{P.LECTURES}-fy2024-ja.xlsx")
]


def test_every_programme_lists_its_examples(registry):
    for code in P.CODES:
        names = [Path(p).name for p in registry.programme(code).examples]
        assert f"{code}-fy2024.xlsx" in names, code


@pytest.mark.parametrize(("code", "name"), WORKBOOKS)
def test_each_example_validates_with_its_planted_problems(hk, code, name):
    path = hk.EXAMPLES / name
    (result,) = hk.invoke_json("validate", "--json", path, exit_code=0)["files"]
    assert result["programme"] == code
    assert result["valid"] is True
    assert {(f["code"], f["subject"]) for f in result["findings"]} == PLANTED[code]


@pytest.mark.parametrize(("code", "name"), WORKBOOKS)
def test_each_example_reports(hk, code, name, tmp_path):
    out = tmp_path / "report.xlsx"
    result = hk.invoke("report", hk.EXAMPLES / name, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Findings: 0 error(s), 1 warning(s)." in result.output or "警告1件" in result.output
    wb = openpyxl.load_workbook(out, read_only=True)
    names = wb.sheetnames
    wb.close()
    if code in P.EVENTS:
        assert "Participants" not in names and "参加者" not in names
        assert {"Events", "催し"} & set(names)


@pytest.mark.parametrize(("code", "name"), WORKBOOKS)
def test_the_workbooks_match_their_json_source(code, name, tmp_path):
    # the whole document; the JSON sources leave out the (empty) list of unknown sheets
    assert_matches_json(
        P.EXAMPLES / name,
        P.EXAMPLES / f"{code}-fy2024.json",
        tmp_path,
        tool="plugins/hokkaido/tools/build_examples.py",
        ignore=("unknown_sheets",),
    )


def test_the_examples_report_in_japanese(hk):
    out = hk.invoke_json(
        "report", "--json", "--lang", "ja", hk.EXAMPLES / f"{P.TECHNICAL_TRAINEES}-fy2024.xlsx"
    )
    assert (
        "研修員4人(BR 1, DO 1, PE 1, ZM 1)、うち南米2人。受入機関に配属済み3人、未配属1人。"
        in out["summary"]
    )
    (finding,) = out["findings"]
    assert finding["message"].startswith("受入機関が未定です")
