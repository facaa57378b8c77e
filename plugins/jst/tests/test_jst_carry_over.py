"""``kenshu jst carry-over OLD NEW -o OUT``: accepted participants of a postponed tour move
to the next tour, in a new workbook; nobody is dropped or duplicated; inputs are untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

D = dt.date
OLD_COHORT = {"status": "postponed", "host_city": "Shizuoka City"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def old_and_new(jst, write_tour):
    """A postponed jst-2021 with five people (three accepted) and the next tour, jst-2022,
    which already uses id P01 for someone else and already has Mikko Virtanen as P05."""
    old = write_tour(
        "jst-2021.xlsx",
        cohort_id="jst-2021",
        start=D(2021, 1, 17),
        end=D(2021, 1, 23),
        cohort=OLD_COHORT,
        participants=[
            jst.person("P01", family_name="Kavanagh", given_name="Niamh", status="selected"),
            jst.person("P02", family_name="Price", given_name="Owen", status="placed"),
            jst.person(
                "P03",
                family_name="Virtanen",
                given_name="Mikko",
                home_country="FI",
                home_organisation="City of Oulu",
                status="selected",
            ),
            jst.person("P04", family_name="Eriksson", given_name="Karin", status="applicant"),
            jst.person("P05", family_name="Bauer", given_name="Thomas", status="withdrawn"),
        ],
    )
    new = write_tour(
        "jst-2022.xlsx",
        cohort_id="jst-2022",
        start=D(2022, 1, 16),
        end=D(2022, 1, 22),
        cohort={"status": "open", "host_city": "Shizuoka City"},
        participants=[
            jst.person("P01", family_name="Murphy", given_name="Seán", status="selected"),
            jst.person(
                "P05",
                family_name="VIRTANEN",
                given_name="Mikko ",
                home_country="FI",
                home_organisation="city of  Oulu",
                status="selected",
            ),
        ],
    )
    # a column and a sheet kenshu does not know, which must survive the carry-over
    book = openpyxl.load_workbook(new)
    ws = book["Participants"]
    column = ws.max_column + 1
    ws.cell(row=1, column=column, value="Dietary needs")
    ws.cell(row=2, column=column, value="vegetarian")
    book.create_sheet("Budget notes").append(["ask CLAIR about the 2022 rates"])
    book.save(new)
    return old, new


def participants_of(jst, path: Path) -> list[dict]:
    return jst.sheet_dicts(path, "Participants")


def test_accepted_participants_are_carried_into_a_new_workbook(jst, old_and_new, tmp_path):
    old, new = old_and_new
    before = (digest(old), digest(new))
    out = tmp_path / "jst-2022-with-2021.xlsx"
    result = jst.invoke("jst", "carry-over", old, new, "-o", out)
    assert result.exit_code == 0, result.output
    assert (digest(old), digest(new)) == before  # the inputs are never modified
    rows = participants_of(jst, out)
    assert [(r["Participant ID"], r["Family name"], r["Carried over from"]) for r in rows] == [
        ("P01", "Murphy", None),
        ("P05", "VIRTANEN", None),
        ("jst-2021-P01", "Kavanagh", "jst-2021:P01"),  # P01 is taken in NEW: a new id
        ("P02", "Price", "jst-2021:P02"),
    ]
    assert [r["Dietary needs"] for r in rows] == ["vegetarian", None, None, None]
    assert "Budget notes" in openpyxl.load_workbook(out, read_only=True).sheetnames
    lines = result.stdout.splitlines()
    assert lines[0].startswith("carried 2 participant(s) from jst-2021 (postponed) to jst-2022")
    assert "  + P01 Niamh Kavanagh -> jst-2021-P01 (new id: P01 is taken in jst-2022)" in lines
    assert "  + P02 Owen Price -> P02" in lines
    assert "  = P03 Mikko Virtanen: already in jst-2022 as P05, not added again" in lines
    assert "  - P04 Karin Eriksson: not carried, status applicant is not accepted" in lines
    assert "  - P05 Thomas Bauer: not carried, status withdrawn is not accepted" in lines
    # and the result is a valid JST tour
    check = jst.invoke("validate", out)
    assert check.exit_code == 0, check.output


def test_carrying_over_twice_adds_nobody_again(jst, old_and_new, tmp_path):
    old, new = old_and_new
    once = tmp_path / "once.xlsx"
    assert jst.invoke("jst", "carry-over", old, new, "-o", once).exit_code == 0
    twice = tmp_path / "twice.xlsx"
    result = jst.invoke("jst", "carry-over", old, once, "-o", twice)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("carried 0 participant(s)")
    assert len(participants_of(jst, twice)) == 4


def test_the_accepted_statuses_are_a_setting_of_the_old_tour(jst, write_tour, tmp_path):
    old = write_tour(
        "old.xlsx",
        cohort_id="jst-2021",
        cohort=OLD_COHORT,
        participants=[jst.person("P01", status="nominated")],
        settings=[{"setting": "carry_over_statuses", "value": "nominated; selected"}],
    )
    new = write_tour("new.xlsx", cohort_id="jst-2022", start=D(2022, 1, 16), participants=[])
    out = tmp_path / "out.xlsx"
    result = jst.invoke("jst", "carry-over", old, new, "-o", out)
    assert result.exit_code == 0, result.output
    assert [r["Participant ID"] for r in participants_of(jst, out)] == ["P01"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("NEW", "OLD", "-o", "OUT"), "has status open, not postponed"),
        (("OLD", "NEW", "-o", "NEW"), "is an input file; kenshu never overwrites its inputs"),
        (("OLD", "OLD", "-o", "OUT"), "OLD and NEW are the same tour"),
        (("OLD", "MISSING", "-o", "OUT"), "no such file"),
        (("OLD", "NEW", "-o", "OUT.json"), "is written as a workbook (.xlsx)"),
    ],
)
def test_misuse_is_a_one_line_error_with_exit_code_2(jst, old_and_new, tmp_path, args, message):
    old, new = old_and_new
    paths = {
        "OLD": old,
        "NEW": new,
        "OUT": tmp_path / "out.xlsx",
        "OUT.json": tmp_path / "out.json",
        "MISSING": tmp_path / "missing.xlsx",
    }
    before = (digest(old), digest(new))
    result = jst.invoke("jst", "carry-over", *(paths.get(a, a) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.xlsx").exists()
    assert (digest(old), digest(new)) == before


def test_a_cohort_of_another_programme_is_refused(jst, old_and_new, tmp_path):
    old, _ = old_and_new
    other = tmp_path / "other.json"
    other.write_text(
        '{"format": "kenshu-cohort/1", "programme": "elsewhere", "cohort": '
        '{"programme": "elsewhere", "cohort_id": "x", "start_date": "2022-01-01", '
        '"end_date": "2022-01-07"}}',
        encoding="utf-8",
    )
    result = jst.invoke("jst", "carry-over", old, other, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 2
    assert "a elsewhere cohort, not a Japan Study Tour (jst)" in result.stderr


def test_carry_over_as_a_subprocess(old_and_new, tmp_path):
    old, new = old_and_new
    out = tmp_path / "out.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "kenshu", "jst", "carry-over", str(old), str(new), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "carried 2 participant(s)" in done.stdout
    assert out.exists()


NOT_LATER = "starts on {new}, not after the postponed tour jst-2021 ({old})"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2020, 1, 19), D(2020, 1, 25)),  # a year before the postponed tour
        (D(2021, 1, 17), D(2021, 1, 23)),  # the same day: not after it
        (D(2021, 1, 16), D(2021, 1, 22)),  # the day before
    ],
)
def test_a_new_tour_that_does_not_start_after_the_old_one_is_refused(
    jst, old_and_new, write_tour, tmp_path, start, end
):
    old, _ = old_and_new
    earlier = write_tour("earlier.xlsx", cohort_id="jst-2020b", start=start, end=end)
    out = tmp_path / "out.xlsx"
    result = jst.invoke("jst", "carry-over", old, earlier, "-o", out)
    assert result.exit_code == 2, result.output
    message = NOT_LATER.format(new=start.isoformat(), old="2021-01-17")
    assert result.stderr == (
        f"kenshu: error: NEW tour jst-2020b {message}; participants are carried over to a "
        "later tour (give OLD first, then NEW)\n"
    )
    assert result.stdout == ""
    assert not out.exists()


def test_the_day_after_the_old_start_is_accepted(jst, old_and_new, write_tour, tmp_path):
    old, _ = old_and_new
    later = write_tour(
        "later.xlsx", cohort_id="jst-2021b", start=D(2021, 1, 18), end=D(2021, 1, 24)
    )
    result = jst.invoke("jst", "carry-over", old, later, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 0, result.output


def test_the_shipped_tours_in_the_wrong_order_are_refused(jst, tmp_path):
    """``kenshu examples``: carrying the postponed 2021 tour back into 2020 is refused,
    in-process and as a subprocess; the right order (into a later tour) is not."""
    assert jst.invoke("examples", "jst", "-o", tmp_path).exit_code == 0
    old, new = tmp_path / "jst-2021.xlsx", tmp_path / "jst-2020.xlsx"
    before = (digest(old), digest(new))
    out = tmp_path / "out.xlsx"
    result = jst.invoke("jst", "carry-over", old, new, "-o", out)
    assert result.exit_code == 2, result.output
    assert NOT_LATER.format(new="2020-01-19", old="2021-01-17") in result.stderr
    assert len(result.stderr.splitlines()) == 1
    done = subprocess.run(
        [sys.executable, "-m", "kenshu", "jst", "carry-over", str(old), str(new), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith("kenshu: error: NEW tour jst-2020 starts on 2020-01-19")
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert not out.exists()
    assert (digest(old), digest(new)) == before
