"""Placement: sister-city nominations, host capacity, and which placements honour a wish."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("nominator", "warned"), [("H2", True), ("H1", False), (None, False)])
def test_placed_away_from_the_nominating_host(lg, check, nominator, warned):
    people = lg.trainees(6)
    people[2] = lg.participant("P03", host_id="H1", nominated_by_host=nominator)
    outcome = check(lg.cohort_data(people, [lg.host("H1"), lg.host("H2", "city")]))
    found = [f for f in outcome.findings if f.code == "lgotp.placed-away-from-nominator"]
    assert bool(found) is warned
    if warned:
        assert (found[0].severity, found[0].subject, found[0].field_id) == (
            "warning",
            "P03",
            "host_id",
        )
        assert "H2" in found[0].message and "H1" in found[0].message
    assert outcome.valid


@pytest.mark.parametrize(("capacity", "warnings"), [(None, 0), (7, 0), (6, 0), (5, 6), (1, 6)])
def test_host_capacity(lg, check, capacity, warnings):
    outcome = check(lg.cohort_data(lg.trainees(6), [lg.host("H1", capacity=capacity)]))
    found = [f for f in outcome.findings if f.code == "lgotp.host-over-capacity"]
    assert len(found) == warnings
    assert {f.severity for f in found} <= {"warning"}
    assert {f.subject for f in found} == ({f"P0{i}" for i in range(1, 7)} if warnings else set())
    if found:
        assert f"takes 6 trainees, over its capacity of {capacity}" in found[0].message


def test_withdrawn_trainees_do_not_count_against_capacity(lg, check):
    people = lg.trainees(6)
    people.append(lg.participant("P07", status="withdrawn"))
    outcome = check(lg.cohort_data(people, [lg.host("H1", capacity=6)]))
    assert "lgotp.host-over-capacity" not in lg.codes(outcome.findings)


def test_capacity_is_counted_per_host(lg, check):
    people = lg.trainees(4)
    people += [lg.participant(f"Q{i}", host_id="H2") for i in range(3)]
    hosts = [lg.host("H1", capacity=4), lg.host("H2", "city", capacity=2)]
    found = [
        f
        for f in check(lg.cohort_data(people, hosts)).findings
        if f.code == "lgotp.host-over-capacity"
    ]
    assert sorted(f.subject for f in found) == ["Q0", "Q1", "Q2"]


def test_placements_sheet_lists_the_wishes_honoured(lg, report_as_json):
    people = [
        lg.participant(
            "P01", host_id="H1", nominated_by_host="H1", home_country="KR", nationality="KR"
        ),
        lg.participant(
            "P02", host_id="H1", home_country="CN", nationality="CN", field_of_training="Tourism"
        ),
        lg.participant("P03", host_id="H2", nominated_by_host="H1", field_of_training="water"),
        lg.participant(
            "P04",
            host_id="H2",
            home_country="TH",
            nationality="TH",
            field_of_training="agriculture",
        ),
        lg.participant("P05", host_id=None),
    ]
    hosts = [
        lg.host(
            "H1",
            "prefecture",
            name="Tottori Prefecture",
            wish_countries=("KR", "CN"),
            wish_fields=("tourism",),
        ),
        lg.host("H2", "town", name="Ashikita Town", wish_fields=("agriculture", "water")),
    ]
    out = report_as_json(lg.cohort_data(people, hosts))
    sheet = out["sheets"]["placements"]
    assert sheet["name"] == "Placements"
    assert sheet["header"] == [
        "participant_id",
        "host_id",
        "host",
        "nominated_by_host",
        "country",
        "field_of_training",
        "wishes_honoured",
    ]
    assert sheet["rows"] == [
        ["P01", "H1", "Tottori Prefecture", "H1", "KR", "tourism", "nomination; country; field"],
        ["P02", "H1", "Tottori Prefecture", None, "CN", "Tourism", "country; field"],
        ["P03", "H2", "Ashikita Town", "H1", "PH", "water", "field"],
        ["P04", "H2", "Ashikita Town", None, "TH", "agriculture", "field"],
    ]
