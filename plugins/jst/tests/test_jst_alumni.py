"""The alumni register across tours (``kenshu jst alumni``) and the invitation list of a
feedback session (``kenshu jst invite``)."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kenshu_jst.alumni import RegisterError, build_register, invitations
from kenshu_jst.names import normalise
from kenshu_jst.plugin import EXAMPLES

D = dt.date
TOURS = [EXAMPLES / f"jst-{year}.xlsx" for year in (2017, 2019, 2020, 2021)]


@pytest.fixture
def register_of(jst, check):
    """``register_of(*tours)``: the register of cohorts built in the test."""

    def build(*tours):
        return build_register([(f"{t.cohort.cohort_id}.xlsx", t, check(t).settings) for t in tours])

    return build


def early(jst, *participants):
    return jst.tour(
        list(participants), cohort_id="jst-2019", start=D(2019, 1, 20), end=D(2019, 1, 26)
    )


def late(jst, *participants):
    return jst.tour(list(participants), cohort_id="jst-2020")


def test_the_same_person_in_two_tours_is_one_alumnus(jst, register_of):
    first = jst.person(
        "P03", family_name="Ó Briain", given_name="Siobhán", home_organisation="Cork County Council"
    )
    # another id, no diacritics, other case and spacing: the same person
    again = jst.person(
        "P07",
        family_name="O  BRIAIN",
        given_name="siobhan",
        home_organisation="cork county council",
        position="Chief Officer",
    )
    register = register_of(early(jst, first), late(jst, again))
    (alumnus,) = register.alumni
    assert alumnus.tours == ["jst-2019", "jst-2020"]
    assert alumnus.participant_ids == ["jst-2019:P03", "jst-2020:P07"]
    assert alumnus.position == "Chief Officer"  # the latest tour's details
    assert any("joined 2 tours" in note for note in register.notes)


def test_namesakes_in_different_organisations_are_two_alumni(jst, register_of):
    cardiff = jst.person(
        "P01", family_name="Jones", given_name="David", home_organisation="Cardiff Council"
    )
    newcastle = jst.person(
        "P02", family_name="Jones", given_name="David", home_organisation="Newcastle City Council"
    )
    register = register_of(early(jst, cardiff), late(jst, newcastle))
    assert [(a.home_organisation, a.tours) for a in register.alumni] == [
        ("Cardiff Council", ["jst-2019"]),
        ("Newcastle City Council", ["jst-2020"]),
    ]
    assert any("2 different people named David Jones" in note for note in register.notes)


def test_the_same_id_with_the_same_name_is_one_person_who_moved(jst, register_of):
    malmo = jst.person(
        "P02", family_name="Nilsson", given_name="Lars", home_organisation="Malmö stad"
    )
    skane = jst.person(
        "P02", family_name="Nilsson", given_name="Lars", home_organisation="Region Skåne"
    )
    (alumnus,) = register_of(early(jst, malmo), late(jst, skane)).alumni
    assert alumnus.home_organisation == "Region Skåne"
    assert alumnus.tours == ["jst-2019", "jst-2020"]


def test_the_same_id_with_another_name_is_another_person(jst, register_of):
    one = jst.person("P01", family_name="Jones", given_name="David")
    other = jst.person("P01", family_name="Walsh", given_name="Aoife")
    assert len(register_of(early(jst, one), late(jst, other)).alumni) == 2


def test_withdrawn_people_and_postponed_tours_give_no_alumni(jst, register_of):
    postponed = jst.tour(
        [jst.person("P01", family_name="Kavanagh")],
        cohort_id="jst-2021",
        start=D(2021, 1, 17),
        end=D(2021, 1, 23),
        cohort={"status": "postponed"},
    )
    register = register_of(
        early(jst, jst.person("P01", status="withdrawn"), jst.person("P02", family_name="Gruber")),
        postponed,
    )
    assert [a.family_name for a in register.alumni] == ["Gruber"]
    assert [(t.cohort_id, t.status, t.alumni) for t in register.tours] == [
        ("jst-2019", "confirmed", 1),
        ("jst-2021", "postponed", 0),
    ]
    assert "jst-2021 is postponed: its participants are not alumni (yet)" in register.notes


def test_a_tour_given_twice_is_refused(jst, register_of):
    with pytest.raises(RegisterError, match="tour jst-2020 is also in"):
        register_of(late(jst, jst.person()), late(jst, jst.person()))


def test_invitations_are_the_tours_participants_and_earlier_alumni(jst, register_of):
    older = jst.tour(
        [jst.person("P01", family_name="Brandt", home_organisation="Freiburg")],
        cohort_id="jst-2017",
        start=D(2017, 1, 22),
        end=D(2017, 1, 28),
    )
    register = register_of(
        older,
        early(jst, jst.person("P01", family_name="Gruber", home_organisation="Graz")),
        late(jst, jst.person("P01", family_name="Walsh", home_organisation="Galway")),
    )
    # a tour without a FollowUps sheet gets its feedback session planned
    assert [e.event_id for e in register.events] == [
        "feedback-2017",
        "feedback-2019",
        "feedback-2020",
    ]
    event, invited = invitations(register, "feedback-2019")
    assert event.planned and event.date is None and event.due_from == D(2019, 2, 26)
    assert [(i.alumnus.family_name, i.reason) for i in invited] == [
        ("Gruber", "participant of jst-2019"),
        ("Brandt", "alumnus of jst-2017"),
    ]
    with pytest.raises(RegisterError, match="unknown event 'feedback-2018'"):
        invitations(register, "feedback-2018")


# -- the command line, on the example tours ----------------------------------------------


@pytest.fixture
def alumni_xlsx(jst, tmp_path) -> Path:
    out = tmp_path / "alumni.xlsx"
    result = jst.invoke("jst", "alumni", *TOURS, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"wrote {out}: 21 alumni from 3 tour(s) (23 participation(s)), 4 event(s)"
    )
    return out


def test_the_register_has_one_row_per_person_with_their_tours(jst, alumni_xlsx):
    header, *rows = jst.sheet_rows(alumni_xlsx, 0)  # the first sheet, one header row
    assert header[:3] == ("alumnus_id", "family_name", "given_name")
    people = jst.sheet_dicts(alumni_xlsx, 0)
    assert len(people) == len(rows) == 21
    by_name = {}
    for p in people:
        by_name.setdefault((p["given_name"], p["family_name"]), []).append(p)
    # Siobhán Ó Briain (2017) and Siobhan O Briain (2020): one alumna
    (siobhan,) = by_name[("Siobhan", "O Briain")]
    assert (siobhan["tours"], siobhan["tour_count"]) == ("jst-2017; jst-2020", 2)
    assert siobhan["participant_ids"] == "jst-2017:P01; jst-2020:P01"
    assert ("Siobhán", "Ó Briain") not in by_name
    # Lars Nilsson: P02 in both tours, Malmö then Region Skåne
    (lars,) = by_name[("Lars", "Nilsson")]
    assert (lars["tours"], lars["home_organisation"]) == ("jst-2017; jst-2019", "Region Skåne")
    # two David Joneses: Cardiff (2019) and Newcastle (2020)
    davids = by_name[("David", "Jones")]
    assert sorted((d["home_organisation"], d["tours"]) for d in davids) == [
        ("Cardiff Council", "jst-2019"),
        ("Newcastle City Council", "jst-2020"),
    ]
    # the postponed 2021 tour adds no alumni; its row is on the Tours sheet
    assert all("jst-2021" not in p["tours"] for p in people)
    tours = jst.sheet_dicts(alumni_xlsx, "Tours")
    assert [(t["cohort_id"], t["status"], t["alumni"]) for t in tours] == [
        ("jst-2017", "completed", 7),
        ("jst-2019", "completed", 8),
        ("jst-2020", "completed", 8),
        ("jst-2021", "postponed", 0),
    ]
    events = jst.sheet_dicts(alumni_xlsx, "Events")
    assert [(e["event_id"], e["cohort_id"], e["planned"]) for e in events] == [
        ("feedback-2017", "jst-2017", "yes"),
        ("feedback-2019", "jst-2019", "no"),
        ("feedback-2020", "jst-2020", "no"),
        ("reception-2020", "jst-2020", "no"),
    ]


def test_invite_prints_the_list_for_feedback_2020(jst, alumni_xlsx):
    result = jst.invoke("jst", "invite", alumni_xlsx, "--event", "feedback-2020")
    assert result.exit_code == 0, result.output
    head, *lines = result.stdout.splitlines()
    assert head == (
        "feedback-2020 (feedback_session, 2020-03-06, Japan House London) after jst-2020: "
        "21 invitee(s): 8 participant(s) of jst-2020, 13 alumni of earlier tours"
    )
    assert len(lines) == 21
    assert lines[0].endswith(
        "Siobhan O Briain (Cork  County Council, IE): participant of "
        "jst-2020 (also alumnus of jst-2017)"
    )
    assert sum(line.endswith(": participant of jst-2020") for line in lines) == 7


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_invite_writes_csv_or_a_workbook(jst, alumni_xlsx, tmp_path, suffix):
    out = tmp_path / f"invite{suffix}"
    result = jst.invoke("jst", "invite", alumni_xlsx, "--event", "feedback-2019", "-o", out)
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.DictReader(stream))
    else:
        rows = jst.sheet_dicts(out, "Invitations")
    assert len(rows) == 14
    reasons = [r["reason"] for r in rows]
    assert reasons.count("participant of jst-2019") == 7
    assert "participant of jst-2019 (also alumnus of jst-2017)" in reasons  # Lars Nilsson
    assert reasons.count("alumnus of jst-2017") == 6
    # people of the later tour only are not invited
    assert all("jst-2017" in r["tours"] or "jst-2019" in r["tours"] for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("REG", "--event", "feedback-2018"),
            "unknown event 'feedback-2018' (events in the "
            "register: feedback-2017, feedback-2019, feedback-2020, reception-2020)",
        ),
        (("MISSING", "--event", "feedback-2020"), "no such file"),
        (("TEXT", "--event", "feedback-2020"), "not a workbook"),
        (("TOUR", "--event", "feedback-2020"), "no Alumni sheet"),
        (("REG", "--event", "feedback-2020", "-o", "REG"), "is an input file"),
        (("REG", "--event", "feedback-2020", "-o", "OUT.json"), "use .xlsx or .csv"),
    ],
)
def test_invite_misuse_exits_2_with_one_line(jst, alumni_xlsx, tmp_path, args, message):
    text = tmp_path / "names.xlsx"
    text.write_text("family,given\n", encoding="utf-8")
    paths = {
        "REG": alumni_xlsx,
        "MISSING": tmp_path / "missing.xlsx",
        "TEXT": text,
        "TOUR": EXAMPLES / "jst-2020.xlsx",
        "OUT.json": tmp_path / "out.json",
    }
    result = jst.invoke("jst", "invite", *(paths.get(a, a) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) >= 1 and "Traceback" not in result.output


def test_alumni_misuse_exits_2(jst, tmp_path):
    out = tmp_path / "alumni.xlsx"
    twice = jst.invoke("jst", "alumni", TOURS[2], EXAMPLES / "jst-2020-ja.xlsx", "-o", out)
    assert twice.exit_code == 2 and "tour jst-2020 is also in" in twice.stderr
    same = jst.invoke("jst", "alumni", TOURS[2], "-o", TOURS[2])
    assert same.exit_code == 2 and "is an input file" in same.stderr
    missing = jst.invoke("jst", "alumni", tmp_path / "nope.xlsx", "-o", out)
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert not out.exists()


def test_alumni_and_invite_as_subprocesses(tmp_path):
    out = tmp_path / "alumni.xlsx"
    command = [sys.executable, "-m", "kenshu", "jst"]
    done = subprocess.run(
        [*command, "alumni", *map(str, TOURS), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    invite = subprocess.run(
        [*command, "invite", str(out), "--event", "feedback-2020"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert invite.returncode == 0, invite.stderr
    assert "21 invitee(s)" in invite.stdout
    unknown = subprocess.run(
        [*command, "invite", str(out), "--event", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert unknown.returncode == 2
    assert "unknown event 'nope'" in unknown.stderr and "Traceback" not in unknown.stderr


LETTERS = "abcdefghijklmnopqrstuvwxyzåäöøæéèüßñíóúáçðþ '-"


@given(st.text(alphabet=LETTERS + LETTERS.upper(), max_size=30))
def test_name_normalisation_ignores_case_spacing_and_is_stable(text):
    once = normalise(text)
    assert normalise(once) == once
    assert normalise(text.upper()) == once
    assert normalise("  " + text.replace(" ", "   ") + " ") == once
    assert once.isascii()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Søren Ødegård", "soren odegard"),
        ("Jürgen Groß", "JURGEN GROSS"),
        ("Siobhán Ó Briain", "siobhan o  briain"),
        ("Anne-Marie O'Neill", "anne marie oneill"),
        ("Æsa Þórsdóttir", "aesa thorsdottir"),
    ],
)
def test_names_that_are_the_same(one, other):
    assert normalise(one) == normalise(other)


def test_a_register_edited_by_hand_is_read_or_refused_naming_the_cell(jst, alumni_xlsx, tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(alumni_xlsx)
    events = book["Events"]
    events.move_range("A1:H5", cols=1)  # a column inserted before the table: still read
    book.save(tmp_path / "moved.xlsx")
    moved = jst.invoke("jst", "invite", tmp_path / "moved.xlsx", "--event", "feedback-2020")
    assert moved.exit_code == 0, moved.output
    events["D4"] = "6 March 2020"  # the date column, now D, of feedback-2020 (row 4)
    book.save(tmp_path / "typed.xlsx")
    typed = jst.invoke("jst", "invite", tmp_path / "typed.xlsx", "--event", "feedback-2020")
    assert typed.exit_code == 2
    assert "Events!D4: date '6 March 2020' is not a date (YYYY-MM-DD)" in typed.stderr
    del book["Tours"]
    book.save(tmp_path / "no-tours.xlsx")
    broken = jst.invoke("jst", "invite", tmp_path / "no-tours.xlsx", "--event", "feedback-2020")
    assert broken.exit_code == 2 and "no Tours sheet" in broken.stderr
