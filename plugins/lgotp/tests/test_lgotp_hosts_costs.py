"""Hosts: who may host, who pays each cost and by which reimbursement route, and the totals."""

from __future__ import annotations

import pytest
from kenshu.model import COST_ITEMS, HOST_KINDS

ORDINARY = "ordinary_local_allocation_tax"
SPECIAL = "special_local_allocation_tax"
ROUTES = {
    "prefecture": ORDINARY,
    "designated_city": SPECIAL,
    "core_city": SPECIAL,
    "city": SPECIAL,
    "town": SPECIAL,
    "village": SPECIAL,
    "special_ward": SPECIAL,
}
HOST_BORNE = ["airfare", "accommodation", "training", "domestic_travel", "insurance"]


@pytest.mark.parametrize("kind", HOST_KINDS)
def test_who_may_host(lg, check, kind):
    outcome = check(lg.cohort_data(lg.trainees(6), [lg.host("H1", kind)]))
    found = [f for f in outcome.findings if f.code == "lgotp.host-kind"]
    if kind in ROUTES:
        assert found == []
        assert outcome.valid
    else:
        (finding,) = found
        assert (finding.severity, finding.subject, finding.field_id) == ("error", "H1", "kind")
        assert kind in finding.message and "prefecture" in finding.message


def test_host_kind_is_required(lg, check):
    outcome = check(lg.cohort_data(lg.trainees(6), [lg.host("H1", None)]))
    missing = lg.only(outcome.findings, "core.missing-required")
    assert (missing.subject, missing.field_id) == ("H1", "kind")


@pytest.mark.parametrize(("kind", "route"), ROUTES.items())
def test_each_host_kind_has_its_reimbursement_route(lg, report, kind, route):
    lines = [lg.cost(f"C{i}", item, 1000 * (i + 1)) for i, item in enumerate(HOST_BORNE)]
    result = report(
        lg.cohort_data([lg.participant()], [lg.host("H1", kind, name="Sakata")], costs=lines)
    )
    assert len(result.costs) == len(HOST_BORNE)
    for charged, line in zip(result.costs, lines, strict=True):
        assert (charged.item, charged.amount, charged.cost_id) == (
            line.item,
            line.amount,
            line.cost_id,
        )
        assert charged.payer == "H1"
        assert charged.host_id == "H1"
        assert charged.reimbursement == route
        # who pays, and why: the host's name and kind, and the route's reason
        assert f"borne by the host, Sakata ({kind})" in charged.explanation
        assert route.replace("_", " ").removesuffix(" tax") in charged.explanation
    assert result.totals() == [
        {"payer": "H1", "reimbursement": route, "host_id": "H1", "amount": 15000, "currency": "JPY"}
    ]
    assert not [c for c in lg.codes(result.findings) if c.startswith("lgotp.cost-")]


def test_a_host_that_may_not_host_has_no_route(lg, report):
    result = report(
        lg.cohort_data(
            [lg.participant()], [lg.host("H1", "university")], costs=[lg.cost("C1", "airfare", 1)]
        )
    )
    (charged,) = result.costs
    assert (charged.payer, charged.reimbursement) == ("H1", None)
    assert "no reimbursement route" in charged.explanation


@pytest.mark.parametrize("item", [i for i in COST_ITEMS if i not in HOST_BORNE])
def test_costs_no_rule_assigns_are_unassigned_with_a_warning(lg, check, report, item):
    data = lg.cohort_data([lg.participant()], costs=[lg.cost("C9", item, 5000)])
    # validate says so before the report is built, and the report says it once
    assert lg.only(check(data).findings, "lgotp.cost-unassigned").severity == "warning"
    result = report(data)
    (charged,) = result.costs
    assert (charged.payer, charged.reimbursement) == ("unassigned", None)
    assert f"{item} is not among the costs LGOTP hosts bear" in charged.explanation
    finding = lg.only(result.findings, "lgotp.cost-unassigned")
    assert (finding.severity, finding.subject, finding.field_id) == ("warning", "C9", "item")


def test_a_cost_line_takes_its_host_from_the_trainee(lg, report):
    people = [lg.participant("P01", host_id="H1"), lg.participant("P02", host_id="H2")]
    hosts = [lg.host("H1", "prefecture"), lg.host("H2", "town")]
    lines = [
        lg.cost("C1", "airfare", 120000, participant_id="P01"),
        lg.cost("C2", "airfare", 110000, participant_id="P02"),
        # an explicit host_id wins over the trainee's host
        lg.cost("C3", "training", 30000, participant_id="P02", host_id="H1"),
    ]
    result = report(lg.cohort_data(people, hosts, costs=lines))
    assert [(c.cost_id, c.payer, c.reimbursement) for c in result.costs] == [
        ("C1", "H1", ORDINARY),
        ("C2", "H2", SPECIAL),
        ("C3", "H1", ORDINARY),
    ]


def test_a_cost_line_without_a_host_is_unassigned(lg, report):
    people = [lg.participant("P01", host_id=None)]
    result = report(lg.cohort_data(people, costs=[lg.cost("C1", "accommodation", 80000)]))
    (charged,) = result.costs
    assert charged.payer == "unassigned"
    assert "no host is known" in charged.explanation
    finding = lg.only(result.findings, "lgotp.cost-without-host")
    assert (finding.subject, finding.field_id) == ("C1", "host_id")


def test_totals_per_host_and_per_route(lg, report_as_json):
    people = [
        lg.participant("P01", host_id="PREF"),
        lg.participant("P02", host_id="CITY"),
        lg.participant("P03", host_id="TOWN"),
    ]
    hosts = [
        lg.host("PREF", "prefecture"),
        lg.host("CITY", "designated_city"),
        lg.host("TOWN", "town"),
    ]
    lines = [
        lg.cost("C1", "airfare", 150000, participant_id="P01"),
        lg.cost("C2", "accommodation", 600000, participant_id="P01"),
        lg.cost("C3", "airfare", 140000, participant_id="P02"),
        lg.cost("C4", "insurance", 20000, participant_id="P02"),
        lg.cost("C5", "domestic_travel", 35000.5, participant_id="P03"),
        lg.cost("C6", "other", 7000, participant_id="P03"),
    ]
    out = report_as_json(lg.cohort_data(people, hosts, costs=lines))
    assert out["totals"] == [
        {
            "payer": "CITY",
            "reimbursement": SPECIAL,
            "host_id": "CITY",
            "amount": 160000,
            "currency": "JPY",
        },
        {
            "payer": "PREF",
            "reimbursement": ORDINARY,
            "host_id": "PREF",
            "amount": 750000,
            "currency": "JPY",
        },
        {
            "payer": "TOWN",
            "reimbursement": SPECIAL,
            "host_id": "TOWN",
            "amount": 35000.5,
            "currency": "JPY",
        },
        {
            "payer": "unassigned",
            "reimbursement": None,
            "host_id": "TOWN",
            "amount": 7000,
            "currency": "JPY",
        },
    ]
    summary = " ".join(out["summary"])
    assert "reimbursed through the ordinary local allocation tax: 750,000 JPY." in summary
    assert "reimbursed through the special local allocation tax: 195,000 JPY." in summary
    assert all(c["explanation"] for c in out["costs"])


def test_the_route_mapping_is_a_setting(lg, report):
    lines = [lg.cost("C1", "airfare", 1)]
    data = lg.cohort_data([lg.participant()], [lg.host("H1", "designated_city")], costs=lines)
    moved = report(
        data,
        ordinary_lat_host_kinds="prefecture;designated_city",
        special_lat_host_kinds="core_city;city;town;village;special_ward",
    )
    assert moved.costs[0].reimbursement == ORDINARY


def test_the_host_borne_items_are_a_setting(lg, report):
    lines = [lg.cost("C1", "living_allowance", 1), lg.cost("C2", "insurance", 1)]
    data = lg.cohort_data([lg.participant()], costs=lines)
    result = report(data, host_borne_items="airfare;living_allowance")
    assert [(c.cost_id, c.payer) for c in result.costs] == [("C1", "H1"), ("C2", "unassigned")]


def test_host_kinds_are_a_setting(lg, check):
    data = lg.cohort_data(lg.trainees(6), [lg.host("H1", "village")])
    outcome = check(data, host_kinds="prefecture;designated_city")
    assert lg.only(outcome.findings, "lgotp.host-kind").subject == "H1"
