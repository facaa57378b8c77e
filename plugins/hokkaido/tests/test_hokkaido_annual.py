"""``kenshu hokkaido annual FILE... -o annual.xlsx``: the fiscal-year activity report over
several workbooks of the six programmes; other years and programmes are reported, never
dropped silently; a cohort given twice is counted once; inputs are never overwritten;
unreadable files stop with exit 2; English or Japanese (--lang)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from kenshu.testing import write_cohort
from kenshu_hokkaido import programmes as P

D = dt.date
LGOTP_EXAMPLE = "lgotp-fy2024.xlsx"


@pytest.fixture
def examples(hk, tmp_path) -> list[Path]:
    """Copies of the six FY2024 example workbooks (English)."""
    out = []
    for code in P.CODES:
        source = hk.EXAMPLES / f"{code}-fy2024.xlsx"
        out.append(Path(shutil.copy(source, tmp_path / source.name)))
    return out


def sheet_rows(path: Path, title: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[title].values]
    finally:
        wb.close()


def test_the_annual_report_over_the_six_examples(hk, examples, tmp_path):
    out = tmp_path / "annual.xlsx"
    result = hk.invoke("hokkaido", "annual", *examples, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Events: 13, total attendance 526, in 9 municipalities." in result.output
    assert "Missions: 2 (CN, PH), 7 members." in result.output
    assert "Technical trainees: 4 from 4 countries, with 2 hosts; 1 not yet placed." in (
        result.output
    )
    assert f"wrote {out}" in result.output
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == [
        "Summary",
        "Workbooks",
        "Events",
        "Events by municipality",
        "Events by theme",
        "Events by programme",
        "Missions",
        "Mission members",
        "Trainees",
        "Trainees by country",
        "Trainees by host",
        "Excluded",
    ]
    wb.close()
    assert sheet_rows(out, "Events by programme") == [
        ("programme", "events", "attendance"),
        ("hokkaido-course", 5, 175),
        ("hokkaido-lectures", 5, 245),
        ("hokkaido-seminars", 3, 106),
    ]
    by_place = dict((r[0], r[1:]) for r in sheet_rows(out, "Events by municipality")[1:])
    assert by_place["Obihiro"] == (2, 116)
    assert by_place["Sapporo"] == (4, 148)
    assert by_place["Asahikawa"] == (1, 0)  # the 31 March lecture without a head count
    members = sheet_rows(out, "Mission members")
    assert [(r[2], r[4], r[5], r[6]) for r in members[1:5]] == [
        ("M01", "Hokkaido", 22, "CN"),
        ("M02", "Hokkaido", 28, "CN"),
        ("M03", "Hokkaido", 15, "CN"),
        ("M04", "Hokkaido", 41, "CN"),
    ]
    assert [r[2] for r in members[5:]] == ["H01", "H02", "H03"]
    assert sheet_rows(out, "Trainees by country")[1:] == [
        ("BR", 1),
        ("DO", 1),
        ("PE", 1),
        ("ZM", 1),
    ]
    assert sheet_rows(out, "Trainees by host")[1:] == [("HOKUDAI", 1), ("OBIHIRO", 2), (None, 1)]
    assert sheet_rows(out, "Excluded") == [("file", "what", "reason")]


def test_a_workbook_of_another_fiscal_year_is_reported(hk, examples, tmp_path, registry):
    fy2023 = hk.events(
        P.LECTURES,
        [hk.lecture(date=D(2023, 9, 1))],
        start_date=D(2023, 4, 1),
        end_date=D(2024, 3, 31),
        cohort_id="lectures-fy2023",
    )
    old = write_cohort(tmp_path / "lectures-fy2023.xlsx", fy2023, registry)
    payload = hk.invoke_json("hokkaido", "annual", *examples, old, "--json", exit_code=1)
    assert payload["fiscal_year"] == 2024
    assert payload["sheets"]["excluded"] == [
        {
            "file": "lectures-fy2023.xlsx",
            "what": "workbook",
            "reason": "the cohort is of FY2023, not FY2024",
        }
    ]
    workbooks = {w["file"]: w for w in payload["sheets"]["workbooks"]}
    assert workbooks["lectures-fy2023.xlsx"]["included"] == "no"
    assert len(payload["sheets"]["events"]) == 13
    asked = hk.invoke_json(
        "hokkaido", "annual", *examples, old, "--json", "--fiscal-year", "2023", exit_code=1
    )
    assert [e["activity_id"] for e in asked["sheets"]["events"]] == ["L1"]
    assert len(asked["sheets"]["excluded"]) == 6


def test_a_workbook_of_another_programme_is_reported(hk, examples, tmp_path):
    from kenshu_lgotp.plugin import EXAMPLES as LGOTP_EXAMPLES

    lgotp = LGOTP_EXAMPLES / LGOTP_EXAMPLE
    other = Path(shutil.copy(lgotp, tmp_path / LGOTP_EXAMPLE))
    result = hk.invoke("hokkaido", "annual", examples[0], other, "-o", tmp_path / "a.xlsx")
    assert result.exit_code == 1, result.output
    assert (
        f"left out: {LGOTP_EXAMPLE}: workbook: programme 'lgotp' is not one of the centre's programmes"
        in result.output
    )
    excluded = sheet_rows(tmp_path / "a.xlsx", "Excluded")
    assert excluded[1][0] == LGOTP_EXAMPLE


def test_an_event_outside_the_year_is_left_out_with_its_reason(hk, tmp_path, registry):
    data = hk.events(P.LECTURES, [hk.lecture("L1"), hk.lecture("L2", date=D(2025, 4, 1))])
    path = write_cohort(tmp_path / "lectures.xlsx", data, registry)
    payload = hk.invoke_json("hokkaido", "annual", path, "--json", exit_code=1)
    assert [e["activity_id"] for e in payload["sheets"]["events"]] == ["L1"]
    assert payload["sheets"]["excluded"] == [
        {"file": "lectures.xlsx", "what": "event L2", "reason": "dated 2025-04-01, outside FY2024"}
    ]


def test_inputs_are_never_overwritten(hk, examples):
    before = examples[0].read_bytes()
    result = hk.invoke("hokkaido", "annual", *examples, "-o", examples[0])
    assert result.exit_code == 2
    assert "is an input file; kenshu never overwrites its inputs" in result.stderr
    assert examples[0].read_bytes() == before


def test_an_unreadable_file_stops_with_exit_2(hk, examples, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_text("this is not a workbook", encoding="utf-8")
    out = tmp_path / "annual.xlsx"
    result = hk.invoke("hokkaido", "annual", examples[0], broken, "-o", out)
    assert result.exit_code == 2
    assert "broken.xlsx" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    assert hk.invoke("hokkaido", "annual", examples[0]).exit_code == 2  # no output asked for


def test_as_a_subprocess(hk, examples, tmp_path):
    out = tmp_path / "annual.xlsx"
    done = hk.run_kenshu("hokkaido", "annual", *examples, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "6 of 6 workbooks included." in done.stdout
    assert sheet_rows(out, "Summary")[1][0].startswith("HIECC activity report, FY2024")
