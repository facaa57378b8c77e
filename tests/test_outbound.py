"""Outbound programmes in the core: a destination country on the Cohort, participants'
dates defaulting to the cohort's (departure from Japan = its start date), ages taken on
that date, and no error for a missing participant date; inbound programmes unchanged."""

from __future__ import annotations

import datetime as dt

import kenshu
import openpyxl
import pytest
from helpers import run_cli
from kenshu import Programme, hookimpl
from kenshu.cli.main import State
from kenshu.report_write import write_report_workbook
from kenshu.testing import (
    fill_template,
    isolated_registry,
    make_cohort,
    read_cohort,
    report_cohort,
    validate_cohort,
)

D = dt.date
OUT = "test-outbound"
IN = "test-inbound"


class OutboundPlugin:
    """A programme sending residents abroad, with an age rule written on the public helper."""

    @hookimpl
    def kenshu_register_programmes(self, register) -> None:
        register(Programme(code=OUT, title="Study mission", direction="outbound"))
        register(Programme(code=IN, title="Trainees", direction="inbound"))

    @hookimpl
    def kenshu_check_participant(self, programme, data, participant, settings):
        age = kenshu.age_on_reference(programme, data, participant)
        if age is not None and age < 15:
            yield data.warning(
                "outbound.too-young",
                f"aged {age}",
                ja=f"{age}歳",
                record=participant,
                field="date_of_birth",
            )


@pytest.fixture(scope="module")
def registry():
    return isolated_registry(OutboundPlugin())


def mission(**kw):
    kw.setdefault("cohort", {"destination_country": "PH"})
    return make_cohort(OUT, start_date="2024-07-31", end_date="2024-08-07", **kw)


def codes(findings, prefix=("core.", "outbound.")):
    return sorted(f.code for f in findings if f.code.startswith(prefix))


def test_dates_default_to_the_cohorts_for_outbound_only(registry):
    data = mission(
        participants=[
            {"participant_id": "P1"},
            {"participant_id": "P2", "arrival_date": "2024-07-30"},
        ]
    )
    out = registry.programme(OUT)
    first = kenshu.participant_dates(out, data, data.participants[0])
    assert (first.start, first.end) == (D(2024, 7, 31), D(2024, 8, 7))
    assert (first.start_from, first.end_from) == ("cohort", "cohort")
    second = kenshu.participant_dates(out, data, data.participants[1])
    assert (second.start, second.end, second.start_from) == (
        D(2024, 7, 30),
        D(2024, 8, 7),
        "participant",
    )
    inbound = kenshu.participant_dates(registry.programme(IN), data, data.participants[0])
    assert (inbound.start, inbound.end, inbound.start_from) == (None, None, None)


@pytest.mark.parametrize(
    ("born", "age"),
    [
        ("2009-08-01", 14),  # turns 15 the day after departure
        ("2009-07-31", 15),  # 15 on the departure date itself
        ("1984-07-31", 40),
        ("1984-08-01", 39),
    ],
)
def test_age_is_taken_on_the_departure_date(registry, born, age):
    data = mission(participants=[{"participant_id": "P1", "date_of_birth": born}])
    p = data.participants[0]
    assert kenshu.age_on_reference(registry.programme(OUT), data, p) == age
    found = codes(validate_cohort(data, registry).findings)
    assert found == (["outbound.too-young"] if age < 15 else [])


def test_age_on_counts_29_february_birthdays():
    assert kenshu.age_on(D(2008, 2, 29), D(2025, 2, 28)) == 16
    assert kenshu.age_on(D(2008, 2, 29), D(2025, 3, 1)) == 17
    assert kenshu.age_on(D(2008, 2, 29), D(2024, 2, 29)) == 16


def test_missing_participant_dates_are_no_error_and_destination_is_required(registry):
    data = mission(cohort={}, participants=[{"participant_id": "P1"}])
    findings = validate_cohort(data, registry).findings
    assert codes(findings) == ["core.missing-destination"]
    (missing,) = findings
    assert (missing.field_id, missing.severity) == ("destination_country", "error")
    assert missing.message_ja
    assert (
        codes(validate_cohort(mission(participants=[{"participant_id": "P1"}]), registry).findings)
        == []
    )


def test_inbound_needs_no_destination(registry):
    data = make_cohort(IN, participants=[{"participant_id": "P1"}])
    assert codes(validate_cohort(data, registry).findings) == []


def test_a_return_before_the_cohort_departure_is_reversed(registry):
    data = mission(participants=[{"participant_id": "P1", "departure_date": "2024-07-20"}])
    (finding,) = validate_cohort(data, registry).findings
    assert (finding.code, finding.field_id) == ("core.dates-reversed", "departure_date")
    assert "2024-07-31" in finding.message


def test_an_outbound_programme_cannot_require_participant_dates():
    with pytest.raises(ValueError, match="outbound"):
        Programme(
            code="x",
            title="x",
            direction="outbound",
            required_fields=("participants.arrival_date",),
        )


def test_report_states_the_destination_and_shows_effective_dates(registry, tmp_path):
    data = mission(participants=[{"participant_id": "P1", "date_of_birth": "2000-01-01"}])
    report = report_cohort(data, registry)
    assert "Outbound: participants go from Japan to PH." in report.summary
    path = tmp_path / "report.xlsx"
    write_report_workbook(path, report)
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb["Participants"].values)
    header, row = rows[0], rows[1]
    wb.close()
    assert row[header.index("arrival_date")].date() == D(2024, 7, 31)
    assert row[header.index("departure_date")].date() == D(2024, 8, 7)


def test_destination_round_trips_through_a_template(registry, tmp_path):
    state = State()
    state._registry = registry
    template = tmp_path / "template.xlsx"
    result = run_cli("template", OUT, "-o", str(template), state=state)
    assert result.exit_code == 0, result.output
    filled = fill_template(
        template,
        tmp_path / "filled.xlsx",
        cohort={
            "programme": OUT,
            "cohort_id": "m-2024",
            "start_date": D(2024, 7, 31),
            "end_date": D(2024, 8, 7),
            "destination_country": "Philippines",
        },
        participants=[{"participant_id": "P1", "date_of_birth": D(2009, 8, 1)}],
    )
    data, reading, _ = read_cohort(filled, registry)
    assert data.cohort.destination_country == "PH"
    assert codes(validate_cohort(data, registry).findings) == ["outbound.too-young"]
    bad = fill_template(template, tmp_path / "bad.xlsx", cohort={"destination_country": "Atlantis"})
    _, reading, _ = read_cohort(bad, registry)
    assert [f.code for f in reading if f.field_id == "destination_country"] == [
        "core.invalid-value"
    ]
