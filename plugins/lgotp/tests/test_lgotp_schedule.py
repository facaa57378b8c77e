"""The three LGOTP phases, planned per trainee, and given phases checked for overlaps and gaps."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from kenshu.dates import months_end

D = dt.date
KINDS = ["tokyo_orientation", "jiam_training", "specialised_training"]


def plan_of(report, pid: str = "P01") -> list[tuple[str, dt.date, dt.date]]:
    return [(p.kind, p.start_date, p.end_date) for p in report.phases if p.participant_id == pid]


@pytest.mark.parametrize(
    ("arrival", "orientation_end", "jiam", "specialised_from"),
    [
        # mid-May: orientation 15-16 May, placement test on the 16th, JIAM for a month
        (D(2024, 5, 15), D(2024, 5, 16), (D(2024, 5, 17), D(2024, 6, 16)), D(2024, 6, 17)),
        # late May: JIAM is June, specialised training starts in July
        (D(2024, 5, 30), D(2024, 5, 31), (D(2024, 6, 1), D(2024, 6, 30)), D(2024, 7, 1)),
        # JIAM from 31 May: June has no 31st, so the month ends on 30 June
        (D(2024, 5, 29), D(2024, 5, 30), (D(2024, 5, 31), D(2024, 6, 30)), D(2024, 7, 1)),
        # arrival on 31 May: the orientation runs into June
        (D(2024, 5, 31), D(2024, 6, 1), (D(2024, 6, 2), D(2024, 7, 1)), D(2024, 7, 2)),
    ],
)
def test_phases_for_one_trainee(lg, report, arrival, orientation_end, jiam, specialised_from):
    departure = D(2025, 3, 31)
    p = lg.participant("P01", arrival_date=arrival, departure_date=departure)
    result = report(lg.cohort_data([p], [lg.host("H1", name="Iwate Prefecture")]))
    assert plan_of(result) == [
        ("tokyo_orientation", arrival, orientation_end),
        ("jiam_training", *jiam),
        ("specialised_training", specialised_from, departure),
    ]
    specialised = next(p for p in result.phases if p.kind == "specialised_training")
    assert (specialised.host_id, specialised.location) == ("H1", "Iwate Prefecture")
    orientation = result.phases[0]
    assert orientation.location == "Tokyo" and "placement test" in orientation.title


def test_every_arrival_day_of_a_leap_year_gives_contiguous_phases(lg, report):
    """For any arrival, the phases cover arrival to departure with no gap and no overlap."""
    day, people = D(2024, 1, 1), []
    while day.year == 2024:
        people.append(
            lg.participant(f"P{day:%m%d}", arrival_date=day, departure_date=months_end(day, 6))
        )
        day += dt.timedelta(days=1)
    result = report(lg.cohort_data(people))
    assert len(result.phases) == 3 * 366
    for p in people:
        plan = [ph for ph in result.phases if ph.participant_id == p.participant_id]
        assert [ph.kind for ph in plan] == KINDS
        assert plan[0].start_date == p.arrival_date
        assert plan[-1].end_date == p.departure_date
        for before, after in itertools.pairwise(plan):
            assert after.start_date == before.end_date + dt.timedelta(days=1)
        # JIAM lasts exactly one calendar month
        assert plan[1].end_date == months_end(plan[1].start_date, 1)


def test_phase_lengths_are_settings(lg, report):
    p = lg.participant(arrival_date=D(2024, 5, 15), departure_date=D(2025, 3, 31))
    result = report(lg.cohort_data([p]), orientation_days=3, jiam_months=2)
    assert plan_of(result) == [
        ("tokyo_orientation", D(2024, 5, 15), D(2024, 5, 17)),
        ("jiam_training", D(2024, 5, 18), D(2024, 7, 17)),
        ("specialised_training", D(2024, 7, 18), D(2025, 3, 31)),
    ]


def test_a_stay_ending_early_gets_fewer_phases(lg, report):
    p = lg.participant(arrival_date=D(2024, 5, 15), departure_date=D(2024, 6, 1))
    result = report(lg.cohort_data([p]))
    assert plan_of(result) == [
        ("tokyo_orientation", D(2024, 5, 15), D(2024, 5, 16)),
        ("jiam_training", D(2024, 5, 17), D(2024, 6, 1)),
    ]


def test_planned_phases_in_the_report_json(lg, report_as_json):
    out = report_as_json(lg.cohort_data(lg.trainees(2)))
    assert [(p["participant_id"], p["kind"]) for p in out["phases"]] == [
        (pid, kind) for pid in ("P01", "P02") for kind in KINDS
    ]
    assert out["phases"][1]["start_date"] == "2024-05-17"
    assert out["phases"][2]["host_id"] == "H1"


# -- phases given on the Phases sheet ------------------------------------------


def given(*spans, pid="P01"):
    """Three given phases for ``pid`` from (start, end) pairs."""
    from kenshu import Phase

    return [
        Phase(phase_id=f"{pid}-{i}", kind=kind, start_date=s, end_date=e, participant_id=pid)
        for i, (kind, (s, e)) in enumerate(zip(KINDS, spans, strict=True), start=1)
    ]


def test_contiguous_given_phases_are_kept_and_not_flagged(lg, report):
    phases = given(
        (D(2024, 5, 15), D(2024, 5, 16)),
        (D(2024, 5, 17), D(2024, 6, 16)),
        (D(2024, 6, 17), D(2025, 3, 31)),
    )
    result = report(lg.cohort_data([lg.participant()], phases=phases))
    assert [p.phase_id for p in result.phases] == ["P01-1", "P01-2", "P01-3"]
    assert not [c for c in lg.codes(result.findings) if c.startswith("lgotp.phases-")]


def test_overlapping_given_phases_are_an_error(lg, check):
    phases = given(
        (D(2024, 5, 15), D(2024, 5, 16)),
        (D(2024, 5, 16), D(2024, 6, 16)),  # starts on the orientation's last day
        (D(2024, 6, 17), D(2025, 3, 31)),
    )
    outcome = check(lg.cohort_data([lg.participant()], phases=phases))
    finding = lg.only(outcome.findings, "lgotp.phases-overlap")
    assert (finding.severity, finding.subject, finding.field_id) == ("error", "P01", "start_date")
    assert "P01-2" in finding.message and "P01-1" in finding.message
    assert not outcome.valid


def test_a_gap_between_given_phases_is_a_warning(lg, check):
    phases = given(
        (D(2024, 5, 15), D(2024, 5, 16)),
        (D(2024, 5, 17), D(2024, 6, 16)),
        (D(2024, 6, 20), D(2025, 3, 31)),  # 17-19 June belong to no phase
    )
    outcome = check(lg.cohort_data([lg.participant()], phases=phases))
    finding = lg.only(outcome.findings, "lgotp.phases-gap")
    assert (finding.severity, finding.subject) == ("warning", "P01")
    assert "3 day(s)" in finding.message
    assert "lgotp.phases-overlap" not in lg.codes(outcome.findings)


def test_phases_for_everyone_are_checked_too(lg, check):
    phases = [
        lg.phase("orientation", "tokyo_orientation", D(2024, 5, 15), D(2024, 5, 16), pid=None),
        lg.phase("jiam", "jiam_training", D(2024, 5, 18), D(2024, 6, 16), pid=None),
    ]
    outcome = check(lg.cohort_data([lg.participant()], phases=phases))
    finding = lg.only(outcome.findings, "lgotp.phases-gap")
    assert finding.subject == "jiam"
    assert "1 day(s)" in finding.message


def test_given_phases_replace_the_plan_only_for_their_trainee(lg, report):
    phases = given(
        (D(2024, 5, 15), D(2024, 5, 16)),
        (D(2024, 5, 17), D(2024, 6, 16)),
        (D(2024, 6, 17), D(2025, 3, 31)),
    )
    result = report(lg.cohort_data(lg.trainees(2), phases=phases))
    assert [p.phase_id for p in result.phases] == [
        "P01-1",
        "P01-2",
        "P01-3",
        "P02-orientation",
        "P02-jiam",
        "P02-specialised",
    ]
