"""The two outbound study missions: Hokkaido residency, the youth band on the departure
date, an 8-day field training, phases planned from its dates and report sessions."""

from __future__ import annotations

import pytest

D = __import__("datetime").date


# ---------------------------------------------------------------------------
# The exchange mission: ages and residency


@pytest.mark.parametrize(
    ("born", "age", "warned"),
    [
        (D(2009, 11, 21), 14, True),  # 15 the day after departure
        (D(2009, 11, 20), 15, False),  # 15 on the departure date
        (D(1985, 11, 21), 38, False),
        (D(1984, 11, 21), 39, False),  # 40 the day after departure
        (D(1984, 11, 20), 40, True),  # 40 on the departure date
    ],
)
def test_youth_band_on_the_departure_date(hk, check, born, age, warned):
    outcome = check(hk.exchange_mission([hk.member(date_of_birth=born)]))
    found = hk.codes(outcome.findings)
    if warned:
        finding = hk.only(outcome.findings, "hokkaido.age-outside-youth-band")
        assert (finding.severity, finding.subject, finding.field_id) == (
            "warning",
            "M1",
            "date_of_birth",
        )
        assert f"aged {age} on the departure date 2024-11-20, outside 15-39" in finding.message
        assert finding.message_ja
        assert found == ["hokkaido.age-outside-youth-band"]
    else:
        assert found == []


def test_age_is_taken_on_the_members_own_departure_when_given(hk, check):
    # 40 on the cohort's departure (20 Nov), 39 on the member's own (19 Nov)
    row = hk.member(date_of_birth=D(1984, 11, 20), arrival_date=D(2024, 11, 19))
    assert hk.codes(check(hk.exchange_mission([row])).findings) == []


def test_the_band_is_a_setting(hk, check):
    row = hk.member(date_of_birth=D(1984, 11, 20))  # 40
    assert hk.codes(check(hk.exchange_mission([row]), youth_max_age=40).findings) == []


@pytest.mark.parametrize(
    "region",
    [
        "Hokkaido",
        "hokkaido",
        "北海道",
        "Hokkaidō",
        "Hokkaido Prefecture",
        "北海道札幌市",
        "Sapporo, Hokkaido",
    ],
)
def test_hokkaido_written_in_english_or_japanese(hk, check, region):
    assert hk.codes(check(hk.exchange_mission([hk.member(home_region=region)])).findings) == []


@pytest.mark.parametrize(
    ("region", "code", "named"),
    [
        ("Aomori", "hokkaido.resident-elsewhere", "Aomori"),
        ("青森県", "hokkaido.resident-elsewhere", "Aomori"),
        ("Tōkyō", "hokkaido.resident-elsewhere", "Tokyo"),
        ("Sapporo", "hokkaido.residency-unknown", None),
    ],
)
def test_residency_outside_hokkaido_is_an_error(hk, check, region, code, named):
    outcome = check(hk.exchange_mission([hk.member(home_region=region)]))
    assert hk.codes(outcome.findings) == [code]
    finding = hk.only(outcome.findings, code)
    assert (finding.severity, finding.field_id, finding.subject) == ("error", "home_region", "M1")
    if named:
        assert f"lives in {named}, not Hokkaido" in finding.message


def test_missing_residency_and_birth_date_are_required(hk, check):
    row = hk.member(home_region=None, date_of_birth=None)
    outcome = check(hk.exchange_mission([row]))
    assert hk.codes(outcome.findings) == ["core.missing-required", "core.missing-required"]
    assert {f.field_id for f in outcome.findings} == {"home_region", "date_of_birth"}


def test_missing_member_dates_are_not_an_error(hk, check, report):
    data = hk.exchange_mission([hk.member("M1"), hk.member("M2", arrival_date=D(2024, 11, 19))])
    assert hk.codes(check(data).findings) == []
    (members,) = [s for s in report(data).sheets if s.key == "members"]
    assert [(r[0], r[6], r[7]) for r in members.rows] == [
        ("M1", D(2024, 11, 20), D(2024, 11, 27)),
        ("M2", D(2024, 11, 19), D(2024, 11, 27)),
    ]


def test_the_destination_is_required(hk, check):
    data = hk.exchange_mission([hk.member()], cohort={"destination_country": None})
    assert hk.codes(check(data).findings) == ["core.missing-destination"]


def test_missing_and_misplaced_phases(hk, check):
    assert hk.codes(check(hk.exchange_mission([hk.member()], phases=[])).findings) == [
        "hokkaido.phase-missing",
        "hokkaido.phase-missing",
    ]
    late = [
        {
            "phase_id": "SEL",
            "kind": "selection",
            "start_date": D(2024, 8, 1),
            "end_date": D(2024, 9, 1),
        },
        {
            "phase_id": "PRE",
            "kind": "pre_departure_training",
            "start_date": D(2024, 11, 20),
            "end_date": D(2024, 11, 20),
        },
        {
            "phase_id": "REP",
            "kind": "report",
            "start_date": D(2024, 11, 27),
            "end_date": D(2024, 12, 10),
        },
    ]
    outcome = check(hk.exchange_mission([hk.member()], phases=late))
    assert [(f.code, f.subject) for f in outcome.findings] == [
        ("hokkaido.phase-out-of-order", "PRE"),
        ("hokkaido.phase-out-of-order", "REP"),
    ]


def test_the_mission_schedule(hk, report):
    phases = report(hk.exchange_mission([hk.member()])).phases
    assert [(p.phase_id, p.kind, p.start_date, p.end_date) for p in phases] == [
        ("SEL", "selection", D(2024, 8, 1), D(2024, 9, 13)),
        ("PRE", "pre_departure_training", D(2024, 10, 19), D(2024, 10, 20)),
        ("abroad", "mission", D(2024, 11, 20), D(2024, 11, 27)),
        ("report", "report", D(2024, 11, 28), D(2024, 12, 27)),  # report_due_days 30
    ]


# ---------------------------------------------------------------------------
# The high-school mission


@pytest.mark.parametrize(
    ("end", "days"), [(D(2024, 8, 6), 7), (D(2024, 8, 7), 8), (D(2024, 8, 8), 9)]
)
def test_field_training_is_8_days(hk, check, end, days):
    data = hk.highschool_mission(
        [hk.student()], sessions=[("R1", D(2024, 11, 22), ["H1"])], end_date=end
    )
    outcome = check(data)
    if days == 8:
        assert hk.codes(outcome.findings) == []
    else:
        finding = hk.only(outcome.findings, "hokkaido.field-training-length")
        assert f"is {days} day(s), not 8" in finding.message
        assert (finding.severity, finding.field_id) == ("error", "end_date")
        assert hk.codes(outcome.findings) == ["hokkaido.field-training-length"]


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (D(2024, 10, 31), False),
        (D(2024, 11, 1), True),
        (D(2025, 3, 31), True),
        (D(2025, 4, 1), False),
    ],
)
def test_report_sessions_between_november_and_march(hk, check, day, inside):
    data = hk.highschool_mission([hk.student()], sessions=[("R1", day, ["H1"])])
    found = hk.codes(check(data).findings)
    assert found == ([] if inside else ["hokkaido.report-session-outside-window"])


def test_each_student_gives_a_report_session(hk, check, report):
    data = hk.highschool_mission(
        [hk.student("H1"), hk.student("H2"), hk.student("H3", status="withdrawn")],
        sessions=[("R1", D(2024, 11, 22), ["H1"])],
    )
    outcome = check(data)
    missing = hk.only(outcome.findings, "hokkaido.report-session-missing")
    assert (missing.subject, missing.severity) == ("H2", "warning")
    result = report(data)
    assert [
        (f.follow_up_id, f.date, f.due_from, f.due_to, f.participant_ids, f.planned)
        for f in result.follow_ups
    ] == [
        ("R1", D(2024, 11, 22), None, None, ("H1",), False),
        ("report-H2", None, D(2024, 11, 1), D(2025, 3, 31), ("H2",), True),
    ]
    (sessions,) = [s for s in result.sheets if s.key == "report_sessions"]
    assert [(r[0], r[2], r[3], r[4]) for r in sessions.rows] == [
        ("H1", "R1", 1, 0),
        ("H2", "", 0, 1),
        ("H3", "", 0, 1),
    ]
    assert "Report sessions held: 1; students still to give one: 1." in result.summary


def test_phases_are_planned_from_the_field_training_dates(hk, report):
    data = hk.highschool_mission([hk.student()], sessions=[("R1", D(2024, 11, 22), ["H1"])])
    assert [(p.phase_id, p.start_date, p.end_date) for p in report(data).phases] == [
        ("interview", D(2024, 6, 1), D(2024, 6, 30)),
        ("pre_training_1", D(2024, 7, 1), D(2024, 7, 30)),
        ("pre_training_2", D(2024, 7, 1), D(2024, 7, 30)),
        ("abroad", D(2024, 7, 31), D(2024, 8, 7)),
        ("post_training_1", D(2024, 8, 8), D(2024, 10, 31)),
        ("post_training_2", D(2024, 8, 8), D(2024, 10, 31)),
        ("report_sessions", D(2024, 11, 1), D(2025, 3, 31)),
    ]


def test_given_phases_are_checked_and_kept(hk, check, report):
    phases = [
        {
            "phase_id": "INT",
            "kind": "interview",
            "start_date": D(2024, 5, 25),
            "end_date": D(2024, 5, 25),
        },
        {
            "phase_id": "PRE1",
            "kind": "pre_training",
            "start_date": D(2024, 6, 29),
            "end_date": D(2024, 6, 30),
        },
        {
            "phase_id": "POST1",
            "kind": "post_training",
            "start_date": D(2024, 8, 7),
            "end_date": D(2024, 8, 7),
        },
    ]
    data = hk.highschool_mission(
        [hk.student()], sessions=[("R1", D(2024, 11, 22), ["H1"])], phases=phases
    )
    outcome = check(data)
    assert [(f.code, f.subject) for f in outcome.findings] == [
        ("hokkaido.phase-out-of-order", "POST1"),
        ("hokkaido.interview-month", "INT"),
        ("hokkaido.training-count", None),
        ("hokkaido.training-count", None),
    ]
    planned = [(p.phase_id, p.start_date) for p in report(data).phases]
    assert planned[:3] == [
        ("INT", D(2024, 5, 25)),
        ("PRE1", D(2024, 6, 29)),
        ("pre_training_2", D(2024, 5, 26)),
    ]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"home_region": "Aomori"}, "hokkaido.resident-elsewhere", "home_region"),
        ({"enrolled_at_school": False}, "hokkaido.not-enrolled-student", "enrolled_at_school"),
        ({"organisation_type": "company"}, "hokkaido.not-high-school-student", "organisation_type"),
        ({"home_organisation": None}, "core.missing-required", "home_organisation"),
    ],
)
def test_students_of_hokkaido_high_schools(hk, check, changes, code, field):
    data = hk.highschool_mission(
        [hk.student(**changes)], sessions=[("R1", D(2024, 11, 22), ["H1"])]
    )
    outcome = check(data)
    assert hk.codes(outcome.findings) == [code]
    finding = hk.only(outcome.findings, code)
    assert (finding.severity, finding.field_id) == ("error", field)
    if code == "hokkaido.resident-elsewhere":
        assert "the student's high school is in Aomori" in finding.message
