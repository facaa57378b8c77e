"""``kenshu hokkaido annual``: a cohort (programme and cohort id) given in several workbooks
is counted once, from the first; each later copy is listed in Excluded naming the file
counted, as a note when identical (exit 0) and as a problem when its events or participants
differ (exit 1, saying what differs)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from kenshu.testing import write_cohort
from kenshu_hokkaido import programmes as P

D = dt.date
EN = "hokkaido-lectures-fy2024.xlsx"
JA = "hokkaido-lectures-fy2024-ja.xlsx"
SAME = (
    "the same cohort (hokkaido-lectures, lectures-fy2024) as hokkaido-lectures-fy2024.xlsx, "
    "which is counted; this copy is identical, so it is not counted again"
)


@pytest.fixture
def shipped(hk, tmp_path) -> Path:
    """The folder ``kenshu examples -o DIR`` fills (English and Japanese lectures among them)."""
    folder = tmp_path / "examples"
    result = hk.invoke("examples", "-o", folder)
    assert result.exit_code == 0, result.output
    assert (folder / EN).exists() and (folder / JA).exists()
    return folder


def sheet_rows(path: Path, title: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[title].values]
    finally:
        wb.close()


def test_the_same_cohort_in_two_languages_is_counted_once(hk, shipped, tmp_path):
    out = tmp_path / "annual.xlsx"
    result = hk.invoke("hokkaido", "annual", shipped / EN, shipped / JA, "-o", out)
    assert result.exit_code == 0, result.output  # an identical copy is a note
    assert "1 of 2 workbooks included; 1 item left out, see Excluded." in result.stdout
    assert "Events: 5, total attendance 245, in 4 municipalities." in result.stdout
    assert f"  left out: {JA}: workbook: {SAME}" in result.stdout
    assert len(sheet_rows(out, "Events")) == 1 + 5
    assert sheet_rows(out, "Events by programme")[1:] == [("hokkaido-lectures", 5, 245)]
    assert sheet_rows(out, "Excluded")[1:] == [(JA, "workbook", SAME)]
    assert [(r[0], r[-1]) for r in sheet_rows(out, "Workbooks")[1:]] == [
        (EN, "yes"),
        (JA, "no"),
    ]
    # the first given is the one counted
    payload = hk.invoke_json("hokkaido", "annual", shipped / JA, shipped / EN, "--json")
    assert len(payload["sheets"]["events"]) == 5
    assert {e["file"] for e in payload["sheets"]["events"]} == {JA}
    assert payload["sheets"]["excluded"] == [
        {"file": EN, "what": "workbook", "reason": SAME.replace(EN, JA)}
    ]


def test_all_the_examples_with_their_japanese_copy(hk, shipped, tmp_path):
    workbooks = sorted(shipped.glob("hokkaido-*.xlsx"))
    assert len(workbooks) == 7
    payload = hk.invoke_json("hokkaido", "annual", *workbooks, "--json", exit_code=0)
    assert len(payload["sheets"]["events"]) == 13
    assert [(x["file"], x["what"]) for x in payload["sheets"]["excluded"]] == [(EN, "workbook")]


def test_a_copy_that_differs_is_a_problem_naming_what_differs(hk, tmp_path, registry):
    first = hk.events(P.LECTURES, [hk.lecture("L1"), hk.lecture("L2", municipality="Kushiro")])
    later = hk.events(
        P.LECTURES,
        [hk.lecture("L1", attendance=60), hk.lecture("L3"), hk.lecture("L4")],
    )
    a = write_cohort(tmp_path / "lectures.xlsx", first, registry)
    b = write_cohort(tmp_path / "lectures-copy.xlsx", later, registry)
    out = tmp_path / "annual.xlsx"
    result = hk.invoke("hokkaido", "annual", a, b, "-o", out)
    assert result.exit_code == 1, result.output
    reason = (
        "the same cohort (hokkaido-lectures, hokkaido-lectures-fy2024) as lectures.xlsx, which "
        "is counted; this copy differs from it (event L1 differs; events L3, L4 only in this "
        "file; event L2 only in lectures.xlsx): check which copy is right"
    )
    assert f"  left out: lectures-copy.xlsx: workbook: {reason}" in result.stdout
    assert sheet_rows(out, "Excluded")[1:] == [("lectures-copy.xlsx", "workbook", reason)]
    assert [(r[3], r[-1]) for r in sheet_rows(out, "Events")[1:]] == [("L1", 50), ("L2", 50)]


def test_a_mission_copy_with_other_participants_is_a_problem(hk, tmp_path, registry):
    members = [hk.member("M1"), hk.member("M2")]
    first = hk.exchange_mission(members)
    later = hk.exchange_mission([hk.member("M1", date_of_birth=D(1998, 5, 1)), members[1]])
    a = write_cohort(tmp_path / "mission.xlsx", first, registry)
    b = write_cohort(tmp_path / "mission-2.xlsx", later, registry)
    same = write_cohort(tmp_path / "mission-3.xlsx", first, registry)
    payload = hk.invoke_json("hokkaido", "annual", a, b, same, "--json", exit_code=1)
    assert len(payload["sheets"]["missions"]) == 1
    assert [m["participant_id"] for m in payload["sheets"]["mission_members"]] == ["M1", "M2"]
    reasons = {x["file"]: x["reason"] for x in payload["sheets"]["excluded"]}
    assert reasons["mission-2.xlsx"].endswith(
        "this copy differs from it (participant M1 differs): check which copy is right"
    )
    assert reasons["mission-3.xlsx"].endswith("this copy is identical, so it is not counted again")
    # the identical copy alone is a note: exit 0
    assert hk.invoke("hokkaido", "annual", a, same, "--json").exit_code == 0


def test_two_files_of_one_name_are_told_apart_by_their_path(hk, shipped, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    copy = Path(shutil.copy(shipped / EN, other / EN))
    result = hk.invoke("hokkaido", "annual", shipped / EN, copy, "--json")
    assert result.exit_code == 0, result.output
    assert f"as {shipped / EN}, which is counted" in result.stdout


def test_an_identical_copy_does_not_hide_another_problem(hk, shipped, tmp_path, registry):
    late = hk.events(P.SEMINARS, [hk.lecture("S1", date=D(2025, 4, 2))])
    path = write_cohort(tmp_path / "seminars.xlsx", late, registry)
    result = hk.invoke("hokkaido", "annual", shipped / EN, shipped / JA, path, "--json")
    assert result.exit_code == 1, result.output


def test_counted_once_as_a_subprocess(hk, shipped, tmp_path):
    out = tmp_path / "annual.xlsx"
    done = hk.run_kenshu("hokkaido", "annual", shipped / EN, shipped / JA, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "Events: 5, total attendance 245, in 4 municipalities." in done.stdout
    assert SAME in done.stdout
    assert len(sheet_rows(out, "Events")) == 1 + 5
