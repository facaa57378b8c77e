"""Each eligibility and cohort rule at its boundaries, through the public API."""

from __future__ import annotations

import datetime as dt

import pytest

COVERED = ("GB", "IE", "AT", "DK", "FI", "DE", "NL", "NO", "SE")


# -- length: seven days, both included -------------------------------------------------


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (dt.date(2020, 1, 24), ["jst.tour-length"]),  # 6 days
        (dt.date(2020, 1, 25), []),  # 7 days
        (dt.date(2020, 1, 26), ["jst.tour-length"]),  # 8 days
    ],
)
def test_a_tour_lasts_seven_days_both_included(jst, check, end, expected):
    findings = check(jst.tour(end=end)).findings
    assert jst.codes(findings) == expected


def test_the_length_error_names_both_dates_and_the_end_cell(jst, check):
    finding = jst.only(check(jst.tour(end=dt.date(2020, 1, 26))).findings, "jst.tour-length")
    assert finding.severity == "error"
    assert "2020-01-19" in finding.message and "2020-01-26" in finding.message
    assert "8 days" in finding.message
    assert finding.field_id == "end_date" and finding.subject == "jst-2020"
    assert finding.message_ja


def test_the_length_is_a_setting(jst, check):
    assert jst.codes(check(jst.tour(end=dt.date(2020, 1, 26)), tour_days=8).findings) == []


# -- countries -----------------------------------------------------------------------


@pytest.mark.parametrize("country", COVERED)
def test_every_covered_country_is_eligible(jst, check, country):
    data = jst.tour([jst.person(home_country=country, nationality=country)])
    assert jst.codes(check(data).findings) == []


@pytest.mark.parametrize("country", ["CH", "IS", "FR", "US"])
def test_a_country_just_outside_is_an_error_naming_the_rule(jst, check, country):
    data = jst.tour([jst.person(home_country=country)])
    finding = jst.only(check(data).findings, "jst.country-not-covered")
    assert finding.severity == "error"
    assert finding.field_id == "home_country" and finding.subject == "P01"
    assert country in finding.message
    assert "rule: participants come from GB, IE, AT, DK, FI, DE, NL, NO, SE" in finding.message


def test_the_nationality_counts_when_no_home_country_is_given(jst, check):
    data = jst.tour([jst.person(home_country=None, nationality="CH")])
    findings = check(data).findings
    assert jst.only(findings, "jst.country-not-covered").field_id == "nationality"
    # home_country is required for JST, so the core reports the empty cell as well
    assert "core.missing-required" in jst.codes(findings, "core.")


def test_the_countries_are_a_setting(jst, check):
    data = jst.tour([jst.person(home_country="CH")])
    assert jst.codes(check(data, countries="GB; CH").findings) == []


@pytest.mark.parametrize("bad", ["XX", "gb", "GBR", "UK"])
def test_the_countries_setting_must_be_iso_codes(jst, check, bad):
    finding = jst.only(
        check(jst.tour(), countries=f"GB; {bad}").findings, "jst.invalid-country-setting"
    )
    assert finding.severity == "error" and repr(bad) in finding.message


# -- position level ------------------------------------------------------------------


@pytest.mark.parametrize(
    "level", ["senior_executive", "director", "deputy_director_general", "director_general"]
)
def test_senior_levels_are_eligible(jst, check, level):
    assert jst.codes(check(jst.tour([jst.person(position_level=level)])).findings) == []


def test_a_manager_is_a_warning(jst, check):
    finding = jst.only(
        check(jst.tour([jst.person(position_level="manager")])).findings,
        "jst.position-borderline",
    )
    assert finding.severity == "warning" and finding.field_id == "position_level"


@pytest.mark.parametrize("level", ["staff", "student", "citizen"])
def test_staff_students_and_citizens_are_errors(jst, check, level):
    finding = jst.only(
        check(jst.tour([jst.person(position_level=level)])).findings, "jst.position-not-senior"
    )
    assert finding.severity == "error" and level in finding.message


def test_organisations_other_than_public_ones_are_errors(jst, check):
    ok = jst.tour([jst.person(organisation_type="public_body")])
    assert jst.codes(check(ok).findings) == []
    bad = jst.tour([jst.person(organisation_type="company")])
    assert jst.only(check(bad).findings, "jst.not-public-sector").severity == "error"


def test_withdrawn_and_rejected_people_are_not_checked(jst, check):
    data = jst.tour(
        [
            jst.person("P01", status="withdrawn", home_country="US"),
            jst.person("P02", status="rejected", position_level="student"),
        ]
    )
    assert jst.codes(check(data).findings) == []


# -- application deadline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("applied", "late"),
    [(dt.date(2019, 9, 30), False), (dt.date(2019, 10, 1), True)],
)
def test_the_default_deadline_is_30_september_before_the_tour(jst, check, applied, late):
    data = jst.tour([jst.person(application_date=applied)])
    assert jst.codes(check(data).findings) == (["jst.late-application"] if late else [])


@pytest.mark.parametrize(
    ("applied", "late"),
    [(dt.date(2019, 11, 15), False), (dt.date(2019, 11, 16), True)],
)
def test_a_deadline_on_the_cohort_sheet_wins(jst, check, applied, late):
    data = jst.tour(
        [jst.person(application_date=applied)],
        cohort={"application_deadline": dt.date(2019, 11, 15)},
    )
    findings = check(data).findings
    assert jst.codes(findings) == (["jst.late-application"] if late else [])
    if late:
        finding = jst.only(findings, "jst.late-application")
        assert finding.severity == "warning" and finding.field_id == "application_date"
        assert "2019-11-16" in finding.message and "2019-11-15" in finding.message


def test_the_default_deadline_day_is_a_setting(jst, check):
    data = jst.tour([jst.person(application_date=dt.date(2019, 10, 20))])
    assert jst.codes(check(data).findings) == ["jst.late-application"]
    assert jst.codes(check(data, application_deadline="10-31").findings) == []


def test_a_tour_starting_after_the_deadline_day_takes_that_years_deadline(jst, check):
    # a November tour: the deadline is 30 September of the same year
    data = jst.tour(
        [jst.person(application_date=dt.date(2013, 10, 1))],
        start=dt.date(2013, 11, 17),
        end=dt.date(2013, 11, 23),
    )
    assert jst.codes(check(data).findings) == ["jst.late-application"]


# -- host city and size --------------------------------------------------------------


def test_an_empty_host_city_is_a_warning(jst, check):
    finding = jst.only(
        check(jst.tour(cohort={"host_city": None})).findings, "jst.host-city-missing"
    )
    assert finding.severity == "warning" and finding.field_id == "host_city"


@pytest.mark.parametrize(("count", "warned"), [(8, False), (10, False), (11, True)])
def test_more_than_ten_participants_is_a_warning(jst, check, count, warned):
    findings = check(jst.tour(jst.people(count))).findings
    assert jst.codes(findings) == (["jst.too-many-participants"] if warned else [])


def test_withdrawn_people_do_not_count_towards_the_size(jst, check):
    data = jst.tour([*jst.people(10), jst.person("P11", status="withdrawn")])
    assert jst.codes(check(data).findings) == []
    assert jst.codes(check(data, max_participants=9).findings) == ["jst.too-many-participants"]


def test_findings_have_japanese_messages(jst, check):
    data = jst.tour(
        [jst.person(home_country="US", position_level="staff", organisation_type="company")],
        end=dt.date(2020, 1, 26),
        cohort={"host_city": None},
    )
    findings = [f for f in check(data).findings if f.code.startswith("jst.")]
    assert len(findings) == 5
    assert all(f.message_ja for f in findings)
