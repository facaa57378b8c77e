"""Eligibility and length of stay, each rule at its boundary, through the public API."""

from __future__ import annotations

import datetime as dt

import kenshu
import pytest
from kenshu.model import ORGANISATION_TYPES

D = dt.date


def test_eligible_trainees_have_no_findings(lg, check):
    # six, so that they also make one JIAM class within 6-8
    outcome = check(lg.cohort_data(lg.trainees(6)))
    assert outcome.valid
    assert outcome.findings == []


# -- employee of a non-Japanese local government ------------------------------


@pytest.mark.parametrize("kind", [t for t in ORGANISATION_TYPES if t != "local_government"])
def test_only_local_government_employees_are_eligible(lg, check, kind):
    outcome = check(lg.cohort_data([lg.participant("P07", organisation_type=kind)]))
    finding = lg.only(outcome.findings, "lgotp.not-local-government")
    assert finding.severity == "error"
    assert finding.subject == "P07"
    assert finding.field_id == "organisation_type"
    assert kind in finding.message and "local government" in finding.message
    assert not outcome.valid


def test_organisation_type_is_required(lg, check):
    outcome = check(lg.cohort_data([lg.participant("P02", organisation_type=None)]))
    missing = lg.only(outcome.findings, "core.missing-required")
    assert (missing.subject, missing.field_id) == ("P02", "organisation_type")


@pytest.mark.parametrize(
    ("changes", "field_id"),
    [
        ({"home_country": "JP"}, "home_country"),
        ({"nationality": "JP", "home_country": "BR"}, "nationality"),
        ({"nationality": "JP", "home_country": "JP"}, "home_country"),
    ],
)
def test_a_japanese_local_government_is_not_eligible(lg, check, changes, field_id):
    outcome = check(lg.cohort_data([lg.participant("P03", **changes)]))
    finding = lg.only(outcome.findings, "lgotp.japanese-government")
    assert (finding.severity, finding.subject, finding.field_id) == ("error", "P03", field_id)
    assert "non-Japanese" in finding.message


# -- spoken English (CEFR B2+) or Japanese (JLPT N3+) -------------------------


@pytest.mark.parametrize(
    ("english", "japanese", "eligible"),
    [
        ("B2", None, True),  # the English boundary
        ("B1", None, False),  # one below it
        ("C2", None, True),
        (None, "N3", True),  # the Japanese boundary
        (None, "N4", False),  # one below it
        (None, "N1", True),  # N1 is the highest
        (None, "N5", False),
        ("B1", "N3", True),  # either language is enough
        ("A2", "N2", True),
        ("B1", "N4", False),
        (None, None, False),
    ],
)
def test_language_levels(lg, check, english, japanese, eligible):
    p = lg.participant("P04", english_level=english, japanese_level=japanese)
    outcome = check(lg.cohort_data([p]))
    found = [f for f in outcome.findings if f.code == "lgotp.language-level"]
    if eligible:
        assert found == []
        return
    (finding,) = found
    assert (finding.severity, finding.subject) == ("error", "P04")
    expected_field = "japanese_level" if japanese and not english else "english_level"
    assert finding.field_id == expected_field
    assert expected_field in finding.message
    assert "CEFR B2" in finding.message and "JLPT N3" in finding.message


@pytest.mark.parametrize(
    ("overrides", "english", "japanese", "eligible"),
    [
        ({"min_english_level": "C1"}, "B2", None, False),
        ({"min_english_level": "C1"}, "C1", None, True),
        ({"min_japanese_level": "N2"}, None, "N3", False),
        ({"min_japanese_level": "N2"}, None, "N2", True),
        ({"min_english_level": "B1"}, "B1", None, True),
    ],
)
def test_language_thresholds_are_settings(lg, check, overrides, english, japanese, eligible):
    p = lg.participant(english_level=english, japanese_level=japanese)
    outcome = check(lg.cohort_data([p]), **overrides)
    assert ("lgotp.language-level" not in lg.codes(outcome.findings)) is eligible
    assert outcome.settings.origins[next(iter(overrides))] == "command line"


# -- recommendation and leadership --------------------------------------------


@pytest.mark.parametrize(("value", "state"), [(False, "no"), (None, "missing")])
def test_a_recommendation_from_their_own_government_is_required(lg, check, value, state):
    outcome = check(lg.cohort_data([lg.participant("P05", recommended=value)]))
    finding = lg.only(outcome.findings, "lgotp.not-recommended")
    assert (finding.severity, finding.subject, finding.field_id) == ("error", "P05", "recommended")
    assert f"recommended is {state}" in finding.message


def test_the_recommendation_rule_can_be_switched_off(lg, check):
    data = lg.cohort_data([lg.participant(recommended=False)])
    assert check(data, require_recommendation="no").valid


def test_missing_leadership_evidence_is_a_warning_not_an_error(lg, check):
    outcome = check(lg.cohort_data([lg.participant("P06", leadership_evidence=None)]))
    finding = lg.only(outcome.findings, "lgotp.leadership-evidence-missing")
    assert (finding.severity, finding.subject) == ("warning", "P06")
    assert finding.field_id == "leadership_evidence"
    assert outcome.valid


def test_each_failed_rule_is_its_own_error(lg, check):
    p = lg.participant(
        "P09",
        organisation_type="company",
        english_level="A1",
        recommended=False,
        departure_date=D(2024, 11, 13),
    )
    outcome = check(lg.cohort_data([p]))
    errors = sorted(f.code for f in outcome.findings if f.severity == "error")
    assert errors == [
        "lgotp.language-level",
        "lgotp.not-local-government",
        "lgotp.not-recommended",
        "lgotp.stay-too-short",
    ]
    errors = [f for f in outcome.findings if f.severity == "error"]
    assert {f.subject for f in errors} == {"P09"}
    assert {f.source for f in errors} == {"lgotp"}


# -- length of stay: 6-12 calendar months, both ends inclusive ----------------

LENGTHS = [
    # arrival, departure, expected code (None = within 6-12 months), months it spans
    (D(2024, 5, 15), D(2024, 11, 13), "lgotp.stay-too-short", None),
    (D(2024, 5, 15), D(2024, 11, 14), None, 6.0),  # exactly 6 months
    (D(2024, 5, 15), D(2024, 11, 15), None, None),
    (D(2024, 5, 15), D(2025, 5, 13), None, None),
    (D(2024, 5, 15), D(2025, 5, 14), None, 12.0),  # exactly 12 months
    (D(2024, 5, 15), D(2025, 5, 15), "lgotp.stay-too-long", None),
    # a month-end arrival: November has no 31st, so 6 months end on its last day
    (D(2024, 5, 31), D(2024, 11, 29), "lgotp.stay-too-short", None),
    (D(2024, 5, 31), D(2024, 11, 30), None, 6.0),
    (D(2024, 5, 31), D(2025, 5, 30), None, 12.0),
    (D(2024, 5, 31), D(2025, 5, 31), "lgotp.stay-too-long", None),
    # a leap-year February arrival
    (D(2024, 2, 29), D(2024, 8, 27), "lgotp.stay-too-short", None),
    (D(2024, 2, 29), D(2024, 8, 28), None, 6.0),
    (D(2024, 2, 29), D(2025, 2, 27), None, None),
    (D(2024, 2, 29), D(2025, 2, 28), None, 12.0),  # 2025 has no 29 February
    (D(2024, 2, 29), D(2025, 3, 1), "lgotp.stay-too-long", None),
    # 28 February in a common year: 12 months end on 27 February of the leap year
    (D(2023, 2, 28), D(2024, 2, 27), None, 12.0),
    (D(2023, 2, 28), D(2024, 2, 28), "lgotp.stay-too-long", None),
    # 31 August + 6 months: February has no 31st
    (D(2023, 8, 31), D(2024, 2, 28), "lgotp.stay-too-short", None),
    (D(2023, 8, 31), D(2024, 2, 29), None, 6.0),
]


@pytest.mark.parametrize(("arrival", "departure", "code", "months"), LENGTHS)
def test_length_of_stay_boundaries(lg, check, arrival, departure, code, months):
    p = lg.participant("P10", arrival_date=arrival, departure_date=departure)
    outcome = check(lg.cohort_data([p]))
    found = [c for c in lg.codes(outcome.findings) if c.startswith("lgotp.stay-")]
    assert found == ([code] if code else [])
    if code:
        finding = lg.only(outcome.findings, code)
        assert (finding.severity, finding.subject) == ("error", "P10")
        assert finding.field_id == "departure_date"
        assert "6-12 months" in finding.message and str(departure) in finding.message
    if months is not None:
        # the core's month count agrees with the rule at the exact boundaries
        assert kenshu.months_between_inclusive(arrival, departure) == months


@pytest.mark.parametrize(
    ("departure", "code"),
    [
        (D(2024, 8, 13), "lgotp.stay-too-short"),
        (D(2024, 8, 14), None),  # exactly 3 months from 15 May
        (D(2024, 11, 14), None),  # exactly 6
        (D(2024, 11, 15), "lgotp.stay-too-long"),
    ],
)
def test_length_bounds_are_settings(lg, check, departure, code):
    p = lg.participant(departure_date=departure)
    outcome = check(lg.cohort_data([p]), min_months=3, max_months=6)
    assert [c for c in lg.codes(outcome.findings) if c.startswith("lgotp.stay-")] == (
        [code] if code else []
    )


def test_reversed_or_missing_dates_are_left_to_the_core(lg, check):
    reversed_ = lg.participant("P11", departure_date=D(2024, 5, 1))
    missing = lg.participant("P12", departure_date=None)
    outcome = check(lg.cohort_data([reversed_, missing]))
    assert [c for c in lg.codes(outcome.findings) if c.startswith("lgotp.stay-")] == []
    assert lg.only(outcome.findings, "core.dates-reversed").subject == "P11"
    assert lg.only(outcome.findings, "core.missing-required").subject == "P12"


# -- arrival window and the programme's end -----------------------------------


@pytest.mark.parametrize(
    ("arrival", "warned"),
    [
        (D(2024, 5, 10), True),
        (D(2024, 5, 11), False),
        (D(2024, 5, 31), False),
        (D(2024, 6, 1), True),
    ],
)
def test_arrival_outside_mid_to_late_may_is_a_warning(lg, check, arrival, warned):
    p = lg.participant("P13", arrival_date=arrival, departure_date=dt.date(2025, 3, 31))
    outcome = check(lg.cohort_data([p]))
    found = [f for f in outcome.findings if f.code == "lgotp.arrival-outside-window"]
    assert bool(found) is warned
    assert outcome.valid
    if warned:
        assert (found[0].severity, found[0].subject, found[0].field_id) == (
            "warning",
            "P13",
            "arrival_date",
        )


@pytest.mark.parametrize(
    ("start", "warned"),
    [
        (D(2025, 5, 15), False),  # FY2025, the last
        (D(2026, 3, 31), False),  # still FY2025
        (D(2026, 4, 1), True),  # FY2026
    ],
)
def test_cohorts_after_the_programme_ended_get_a_warning(lg, check, start, warned):
    data = lg.cohort_data(lg.trainees(6), start=start, end=start + dt.timedelta(days=300))
    outcome = check(data)
    assert ("lgotp.programme-ended" in lg.codes(outcome.findings)) is warned
    assert outcome.valid


def test_the_last_fiscal_year_is_a_setting(lg, check):
    data = lg.cohort_data(lg.trainees(6), start=D(2026, 5, 15), end=D(2027, 3, 1))
    assert "lgotp.programme-ended" not in lg.codes(check(data, last_fiscal_year=2026).findings)
