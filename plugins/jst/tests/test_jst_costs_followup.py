"""Who pays each cost and why; the feedback session in London 1-3 months after the tour."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date


def cost(cid, item, amount, currency="JPY", **more):
    return {"cost_id": cid, "item": item, "amount": amount, "currency": currency, **more}


def test_participants_pay_travel_and_clair_pays_the_stay(jst, report_as_json):
    data = jst.tour(
        costs=[
            cost("C1", "airfare", 980, "GBP", participant_id="P01"),
            cost("C2", "accommodation", 1_260_000),
            cost("C3", "domestic_travel", 420_000),
            cost("C4", "training", 180_000),
            cost("C5", "living_allowance", 90_000),
        ]
    )
    out = report_as_json(data)
    assert [(c["item"], c["payer"]) for c in out["costs"]] == [
        ("airfare", "participant"),
        ("accommodation", "CLAIR"),
        ("domestic_travel", "CLAIR"),
        ("training", "CLAIR"),
        ("living_allowance", "CLAIR"),
    ]
    assert "Galway City Council" in out["costs"][0]["explanation"]  # the employer may pay
    assert all("CLAIR pays" in c["explanation"] for c in out["costs"][1:])
    assert [(t["payer"], t["amount"], t["currency"]) for t in out["totals"]] == [
        ("CLAIR", 1_950_000, "JPY"),
        ("participant", 980, "GBP"),
    ]
    assert jst.codes(out["findings"]) == []
    assert "Paid by CLAIR: 1,950,000 JPY." in out["summary"]


def test_a_cost_no_rule_covers_is_unassigned_with_a_warning(jst, check, report_as_json):
    data = jst.tour(costs=[cost("C6", "insurance", 45, "GBP", participant_id="P01")])
    finding = jst.only(check(data).findings, "jst.cost-unassigned")
    assert finding.severity == "warning" and finding.subject == "C6"
    assert report_as_json(data)["costs"][0]["payer"] == "unassigned"


def test_the_payers_items_are_settings(jst, report_as_json):
    data = jst.tour(costs=[cost("C6", "insurance", 45, "GBP", participant_id="P01")])
    out = report_as_json(data, participant_paid_items="airfare; insurance")
    assert out["costs"][0]["payer"] == "participant"
    assert jst.codes(out["findings"]) == []


def test_the_feedback_session_is_planned_when_none_is_given(jst, report_as_json):
    (planned,) = report_as_json(jst.tour())["follow_ups"]
    assert planned == {
        "follow_up_id": "feedback-2020",
        "kind": "feedback_session",
        "date": None,
        "due_from": "2020-02-25",
        "due_to": "2020-04-25",
        "location": "London",
        "participant_ids": [f"P{i:02d}" for i in range(1, 9)],
    }


@pytest.mark.parametrize(
    ("day", "warned"),
    [
        (D(2020, 2, 24), True),  # a day short of a month after the last day
        (D(2020, 2, 25), False),  # one month after
        (D(2020, 3, 6), False),  # the real one: Japan House London
        (D(2020, 4, 25), False),  # three months after
        (D(2020, 4, 26), True),  # a day later
    ],
)
def test_a_given_feedback_session_is_one_to_three_months_after(
    jst, check, report_as_json, day, warned
):
    session = {
        "follow_up_id": "feedback-2020",
        "kind": "feedback_session",
        "date": day,
        "location": "Japan House London",
    }
    data = jst.tour(follow_ups=[session])
    findings = check(data).findings
    assert jst.codes(findings) == (["jst.feedback-outside-window"] if warned else [])
    (given,) = report_as_json(data)["follow_ups"]
    assert (given["date"], given["due_from"], given["due_to"]) == (
        day.isoformat(),
        "2020-02-25",
        "2020-04-25",
    )


def test_a_feedback_session_outside_london_is_a_warning(jst, check):
    session = {
        "follow_up_id": "f",
        "kind": "feedback_session",
        "date": D(2020, 3, 6),
        "location": "Manchester Town Hall",
    }
    finding = jst.only(check(jst.tour(follow_ups=[session])).findings, "jst.feedback-location")
    assert finding.severity == "warning" and "Manchester" in finding.message


def test_other_follow_ups_are_listed_and_not_checked(jst, report_as_json):
    reception = {
        "follow_up_id": "reception-2020",
        "kind": "networking_reception",
        "date": D(2020, 9, 1),
        "location": "Edinburgh",
    }
    out = report_as_json(jst.tour(follow_ups=[reception]))
    assert [f["follow_up_id"] for f in out["follow_ups"]] == ["reception-2020", "feedback-2020"]
    assert jst.codes(out["findings"]) == []
