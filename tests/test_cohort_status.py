"""A postponed or cancelled cohort does not take place (yet): its report plans no schedule
and charges no costs, for every programme, while its participants, given phases and cost
lines stay in the data untouched (a later tour may take them over)."""

from __future__ import annotations

import pytest
from kenshu import ChargedCost, PlannedPhase, Programme, hookimpl
from kenshu.model import NOT_HELD
from kenshu.report import report_json
from kenshu.testing import isolated_registry, make_cohort, report_cohort

CODE = "test-status"


class PlanningPlugin:
    """Plans one phase and charges every cost line, so that a report shows both."""

    @hookimpl
    def kenshu_register_programmes(self, register) -> None:
        register(Programme(code=CODE, title="A programme that plans and charges"))

    @hookimpl
    def kenshu_plan_schedule(self, programme, data, settings):
        cohort = data.cohort
        yield PlannedPhase("whole", "training", cohort.start_date, cohort.end_date)

    @hookimpl
    def kenshu_cost_lines(self, programme, data, settings):
        for line in data.costs:
            yield ChargedCost(
                item=line.item, payer="host", amount=line.amount, currency=line.currency
            )


@pytest.fixture(scope="module")
def registry():
    return isolated_registry(PlanningPlugin())


def cohort(status: str | None):
    return make_cohort(
        CODE,
        start_date="2021-01-17",
        end_date="2021-01-23",
        cohort={"status": status},
        participants=[{"participant_id": "P1", "status": "selected"}],
        phases=[
            {
                "phase_id": "ph1",
                "kind": "orientation",
                "start_date": "2021-01-17",
                "end_date": "2021-01-18",
            }
        ],
        costs=[{"cost_id": "c1", "item": "accommodation", "amount": 1000, "currency": "JPY"}],
    )


@pytest.mark.parametrize("status", [None, "planned", "confirmed", "completed"])
def test_a_cohort_that_takes_place_has_its_schedule_and_costs(registry, status):
    report = report_cohort(cohort(status), registry)
    assert [p.phase_id for p in report.phases] == ["whole"]
    assert [(c.item, c.payer, c.amount) for c in report.costs] == [("accommodation", "host", 1000)]


@pytest.mark.parametrize("status", NOT_HELD)
def test_a_postponed_or_cancelled_cohort_has_no_schedule_and_no_costs(registry, status):
    data = cohort(status)
    report = report_cohort(data, registry)
    assert report.phases == []
    assert report.costs == []
    document = report_json(report)
    assert (document["phases"], document["costs"]) == ([], [])
    # what the user gave is still there for a later cohort to take over
    assert [p.participant_id for p in data.participants] == ["P1"]
    assert [p.phase_id for p in data.phases] == ["ph1"]
    assert [c.cost_id for c in data.costs] == ["c1"]


def test_not_held_statuses_are_cohort_statuses():
    from kenshu.model import COHORT_STATUSES

    assert set(NOT_HELD) == {"postponed", "cancelled"}
    assert set(NOT_HELD) <= set(COHORT_STATUSES)
