"""The example cohort that ``make demo`` runs on, modelled on the 4th programme (12 May -
8 June 2024): the committed workbooks match their JSON source, and validating and reporting
them, in English and in Japanese, gives exactly the problems planted in them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kenshu.testing import sheet_dicts
from kenshu.testing.examples import assert_matches_json
from kenshu_leaders_vietnam.plugin import EXAMPLES, PROGRAMME

SOURCE = EXAMPLES / "leaders-vietnam-4.json"
WORKBOOKS = ("leaders-vietnam-4.xlsx", "leaders-vietnam-4-ja.xlsx")
BUILD = Path(__file__).resolve().parent.parent / "tools" / "build_examples.py"

#: The problems planted in the example, as (code, subject, severity).
PLANTED = {
    ("leaders_vietnam.position-level", "lv4-09", "error"),  # a head of office: "manager"
    ("leaders_vietnam.unknown-region", "lv4-16", "error"),  # Biên Hòa: a city, not a province
    ("leaders_vietnam.no-report-presentation", "lv4-12", "warning"),  # ill at the final session
    ("leaders_vietnam.no-pre-seminar-report", "lv4-10", "warning"),
    ("leaders_vietnam.absence-without-reason", "lv4-07", "warning"),
    ("leaders_vietnam.cost-unassigned", "C6", "warning"),  # insurance: not in payer_items
}
SUMMARY = {
    "en": "16 participants from 11 provinces and 3 central cities "
    "(1 whose home region is not a provincial-level unit: lv4-16).",
    "ja": "参加者16人(11省・3中央直轄市から)。うち1人は出身地域が省・中央直轄市として確認できません。",
}
SEMINAR = {
    "en": "Follow-up seminar FU-2024-09 on 2024-09-16 in Hanoi for leaders-vietnam-3, "
    "leaders-vietnam-4 (due 2024-08-08 to 2024-12-08): 16 due, 15 reported, 12 attended.",
    "ja": "フォローアップセミナーFU-2024-09(2024-09-16、Hanoi、対象コホート: leaders-vietnam-3、"
    "leaders-vietnam-4、期限2024-08-08〜2024-12-08): 対象16人、事前レポート提出15人、出席12人。",
}


def source() -> dict:
    return json.loads(SOURCE.read_text(encoding="utf-8"))


def test_the_programme_lists_its_examples():
    assert [Path(p).name for p in PROGRAMME.examples] == sorted(WORKBOOKS)


def test_the_example_is_the_4th_programme():
    data = source()
    cohort = data["cohort"]
    assert (cohort["edition"], cohort["start_date"], cohort["end_date"]) == (
        4,
        "2024-05-12",
        "2024-06-08",
    )
    assert len(data["participants"]) == 16
    places = " ".join(
        a.get("location", "") for a in data["activities"] if a["kind"] == "site_visit"
    )
    for prefecture in ("Tokyo", "Saitama", "Ibaraki", "Gunma"):
        assert prefecture in places
    (seminar,) = data["follow_ups"]
    assert (seminar["date"], seminar["location"], seminar["cohorts"]) == (
        "2024-09-16",
        "Hanoi",
        ["leaders-vietnam-3", "leaders-vietnam-4"],
    )


@pytest.mark.parametrize("name", WORKBOOKS)
def test_committed_workbook_matches_the_json(name, tmp_path):
    assert_matches_json(
        EXAMPLES / name, SOURCE, tmp_path, tool="plugins/leaders_vietnam/tools/build_examples.py"
    )


def test_the_build_tool_writes_the_same_workbooks(tmp_path):
    done = subprocess.run(
        [sys.executable, str(BUILD), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name in WORKBOOKS:
        assert_matches_json(tmp_path / name, SOURCE, tmp_path, tool=str(BUILD))


@pytest.mark.parametrize(("name", "lang"), [(w, lang) for w in WORKBOOKS for lang in ("en", "ja")])
def test_validate_finds_exactly_the_planted_problems(lv, name, lang):
    out = lv.invoke_json("validate", "--json", EXAMPLES / name, "--lang", lang, exit_code=1)
    (result,) = out["files"]
    findings = result["findings"]
    assert sorted((f["code"], f["subject"], f["severity"]) for f in findings) == sorted(PLANTED)
    for f in findings:
        assert f["cell"], f  # every finding points at the cell to fix
        japanese = any(
            "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in f["message"]
        )
        assert japanese is (lang == "ja"), f["message"]


@pytest.mark.parametrize(
    ("name", "lang", "findings_sheet", "costs_sheet"),
    [
        ("leaders-vietnam-4.xlsx", "en", "Findings", "Costs"),
        ("leaders-vietnam-4-ja.xlsx", "ja", "指摘事項", "費用"),
    ],
)
def test_report_in_english_and_japanese(lv, name, lang, findings_sheet, costs_sheet, tmp_path):
    out = tmp_path / "report.xlsx"
    result = lv.invoke("report", EXAMPLES / name, "-o", out, "--lang", lang)
    assert result.exit_code == 1, result.output  # written, and the cohort has errors
    assert SUMMARY[lang] in result.output
    assert SEMINAR[lang] in result.output
    reported = sorted(
        (f["code"], f["subject"], f["severity"]) for f in sheet_dicts(out, findings_sheet)
    )
    assert reported == sorted(PLANTED)
    lines = sheet_dicts(out, costs_sheet)
    assert [c["cost_id"] for c in lines] == [c["cost_id"] for c in source()["costs"]]
    assert all(line["explanation"] for line in lines)
    provinces = sheet_dicts(out, "省・中央直轄市" if lang == "ja" else "Provinces")
    kinds = [row["kind"] for row in provinces if row["kind"]]
    assert (kinds.count("province"), kinds.count("central_city")) == (11, 3)
    assert sum(row["participants"] for row in provinces) == 16


def test_report_json_as_a_subprocess(tmp_path):
    """``kenshu report --json`` run as a user would, in a process of its own."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "kenshu", "report", "--json", str(EXAMPLES / WORKBOOKS[0])],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    out = json.loads(done.stdout)
    assert (out["programme"], out["cohort_id"]) == ("leaders-vietnam", "leaders-vietnam-4")
    assert SUMMARY["en"] in out["summary"]
    rows = {row[0]: row for row in out["sheets"]["provinces"]["rows"]}
    assert rows["Hà Nội"][1:4] == ["central_city", 1, 2]
    assert rows["Khánh Hòa"][1:4] == ["province", 56, 1]  # written "Tinh Khanh Hoa"
    assert rows["Thanh Hóa"][3] == 1  # written "Thanh Hoá"
    (seminar,) = out["follow_ups"]
    assert (seminar["date"], seminar["due_from"], seminar["due_to"]) == (
        "2024-09-16",
        "2024-08-08",
        "2024-12-08",
    )
    assert next(p["phase_id"] for p in out["phases"]) == "A01"  # the given activities
    assert {c["payer"] for c in out["costs"]} == {"japanese_implementing_side", "unassigned"}
