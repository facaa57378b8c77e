"""The week planned when no phases are given; given phases checked to cover it; a postponed
tour without schedule or costs."""

from __future__ import annotations

import datetime as dt

D = dt.date


def phase(pid, kind, start, end, **more):
    return {"phase_id": pid, "kind": kind, "start_date": start, "end_date": end, **more}


def test_the_week_is_planned_when_no_phases_are_given(jst, report_as_json):
    phases = report_as_json(jst.tour())["phases"]
    assert [(p["kind"], p["start_date"], p["end_date"], p["location"]) for p in phases] == [
        ("clair_orientation", "2020-01-19", "2020-01-19", "CLAIR headquarters, Tokyo"),
        ("tokyo_site_visits", "2020-01-20", "2020-01-21", "Tokyo"),
        ("host_city", "2020-01-22", "2020-01-25", "Tsu City, Mie"),
    ]
    assert all(p["participant_id"] is None for p in phases)  # the whole group


def test_the_plan_follows_the_settings_and_a_missing_host_city(jst, report_as_json):
    phases = report_as_json(
        jst.tour(cohort={"host_city": None}), orientation_days=2, tokyo_visit_days=1
    )["phases"]
    assert [(p["kind"], p["start_date"], p["end_date"]) for p in phases] == [
        ("clair_orientation", "2020-01-19", "2020-01-20"),
        ("tokyo_site_visits", "2020-01-21", "2020-01-21"),
        ("host_city", "2020-01-22", "2020-01-25"),
    ]
    assert phases[-1]["location"] == "host city (not fixed yet)"


def test_given_phases_that_cover_the_week_are_kept_without_findings(jst, report_as_json):
    given = [
        phase("a", "clair_orientation", D(2020, 1, 19), D(2020, 1, 19)),
        phase("b", "tokyo_site_visits", D(2020, 1, 20), D(2020, 1, 22)),
        phase("c", "host_city", D(2020, 1, 23), D(2020, 1, 25), location="Tsu"),
    ]
    out = report_as_json(jst.tour(phases=given))
    assert [p["phase_id"] for p in out["phases"]] == ["a", "b", "c"]
    assert jst.codes(out["findings"]) == []


def test_a_gap_in_the_given_phases_is_reported_with_its_days(jst, check):
    given = [
        phase("a", "clair_orientation", D(2020, 1, 19), D(2020, 1, 19)),
        phase("c", "host_city", D(2020, 1, 22), D(2020, 1, 24)),
    ]
    findings = [f for f in check(jst.tour(phases=given)).findings if f.code == "jst.phases-gap"]
    assert [f.message.split(",")[0:2] for f in findings] == [
        ["2 day(s) of the tour", " 2020-01-20 to 2020-01-21"],
        ["1 day(s) of the tour", " 2020-01-25 to 2020-01-25"],
    ]
    assert all(f.severity == "warning" for f in findings)


def test_a_late_first_phase_leaves_a_gap_at_the_start(jst, check):
    given = [phase("a", "clair_orientation", D(2020, 1, 20), D(2020, 1, 25))]
    finding = jst.only(check(jst.tour(phases=given)).findings, "jst.phases-gap")
    assert "2020-01-19 to 2020-01-19" in finding.message


def test_overlapping_and_outside_phases_are_errors(jst, check):
    given = [
        phase("a", "clair_orientation", D(2020, 1, 18), D(2020, 1, 20)),
        phase("b", "tokyo_site_visits", D(2020, 1, 20), D(2020, 1, 21)),
        phase("c", "host_city", D(2020, 1, 22), D(2020, 1, 25)),
    ]
    findings = check(jst.tour(phases=given)).findings
    assert sorted(jst.codes(findings)) == ["jst.phase-outside-tour", "jst.phases-overlap"]
    assert jst.only(findings, "jst.phases-overlap").subject == "b"
    assert jst.only(findings, "jst.phase-outside-tour").subject == "a"


def test_a_postponed_tour_has_no_schedule_costs_or_feedback_session(jst, report_as_json):
    data = jst.tour(
        cohort={"status": "postponed", "host_city": "Shizuoka City"},
        phases=[phase("a", "clair_orientation", D(2020, 1, 19), D(2020, 1, 19))],
        costs=[{"cost_id": "C1", "item": "accommodation", "amount": 1000, "currency": "JPY"}],
    )
    out = report_as_json(data)
    assert out["phases"] == [] and out["costs"] == [] and out["totals"] == []
    assert out["follow_ups"] == []
    assert jst.codes(out["findings"]) == ["jst.postponed"]
    assert jst.only(out["findings"], "jst.postponed")["severity"] == "info"
    assert any("The tour is postponed: no schedule, costs" in s for s in out["summary"])
    assert any("8 accepted participant(s)" in s for s in out["summary"])
