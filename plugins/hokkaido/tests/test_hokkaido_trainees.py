"""Technical trainees: a developing country on the DAC list in force on arrival (a dated
table), 6-9 months, placement with a host (a warning until placed), Japanese then technical
training, and the prefecture paying travel and stay, each line explained."""

from __future__ import annotations

import datetime as dt

import pytest
from kenshu_hokkaido import dac

D = dt.date


@pytest.mark.parametrize(
    ("nationality", "arrival", "code"),
    [
        ("BR", D(2024, 8, 20), None),  # South America, on the list
        ("ZM", D(2024, 8, 20), None),  # outside South America: fine
        ("DO", D(2024, 8, 20), None),
        ("CL", D(2017, 12, 31), None),  # Chile, on the list up to 31 December 2017
        ("CL", D(2018, 1, 1), "hokkaido.not-developing-country"),  # left on 1 January 2018
        ("UY", D(2018, 1, 1), "hokkaido.not-developing-country"),
        ("AG", D(2021, 12, 31), None),  # Antigua and Barbuda left on 1 January 2022
        ("AG", D(2022, 1, 1), "hokkaido.not-developing-country"),
        ("US", D(2024, 8, 20), "hokkaido.not-developing-country"),  # never on it
        ("BR", D(2013, 12, 31), "hokkaido.dac-list-not-covering"),  # before the table
        ("BR", D(2027, 1, 1), "hokkaido.dac-list-not-covering"),  # after it
    ],
)
def test_a_developing_country_on_the_arrival_date(hk, check, nationality, arrival, code):
    row = hk.trainee(
        nationality=nationality,
        arrival_date=arrival,
        departure_date=arrival + dt.timedelta(days=200),
    )
    outcome = check(
        hk.technical_trainees([row], start_date=arrival, end_date=arrival + dt.timedelta(days=200))
    )
    assert hk.codes(outcome.findings) == ([code] if code else [])
    if code:
        finding = hk.only(outcome.findings, code)
        assert (finding.field_id, finding.subject) == ("nationality", "T1")
        assert finding.message_ja
    if code == "hokkaido.not-developing-country":
        left = dac.left_on(nationality)
        assert finding.severity == "error"
        assert (
            f"it left the list on {left}" if left else "it is not on the list"
        ) in finding.message


def test_the_table_and_its_source():
    assert len(dac.ON_THE_LIST_2024) == 141
    assert {"AR", "BO", "BR", "CO", "EC", "GY", "PE", "PY", "SR", "VE"} <= dac.ON_THE_LIST_2024
    assert not {"CL", "UY"} & dac.ON_THE_LIST_2024
    assert dac.on_list("NR", D(2025, 12, 31)) is True
    assert dac.on_list("NR", D(2026, 1, 1)) is False
    assert "oecd.org" in dac.SOURCE


@pytest.mark.parametrize(
    ("departure", "code"),
    [
        (D(2025, 2, 18), "hokkaido.stay-too-short"),  # 6 months from 20 Aug end on 19 Feb
        (D(2025, 2, 19), None),
        (D(2025, 5, 19), None),  # 9 months end on 19 May
        (D(2025, 5, 20), "hokkaido.stay-too-long"),
    ],
)
def test_six_to_nine_months(hk, check, departure, code):
    outcome = check(
        hk.technical_trainees([hk.trainee(departure_date=departure)], end_date=departure)
    )
    assert hk.codes(outcome.findings) == ([code] if code else [])
    if code:
        finding = hk.only(outcome.findings, code)
        assert (finding.severity, finding.field_id) == ("error", "departure_date")


def test_lengths_are_settings(hk, check):
    data = hk.technical_trainees(
        [hk.trainee(departure_date=D(2025, 6, 30))], end_date=D(2025, 6, 30)
    )
    assert hk.codes(check(data, max_months=12).findings) == []
    assert hk.codes(check(data, min_months=10, max_months=9).findings) == [
        "hokkaido.month-bounds",
        "hokkaido.stay-too-long",  # 10.4 months is still over 9
    ]


def test_a_trainee_not_yet_placed_is_a_warning(hk, check):
    outcome = check(hk.technical_trainees([hk.trainee(host_id=None)]))
    finding = hk.only(outcome.findings, "hokkaido.trainee-not-placed")
    assert (finding.severity, finding.field_id, finding.subject) == ("warning", "host_id", "T1")
    assert outcome.valid
    assert hk.codes(outcome.findings) == ["hokkaido.trainee-not-placed"]


def test_nationality_and_dates_are_required(hk, check):
    row = hk.trainee(nationality=None, arrival_date=None, departure_date=None)
    outcome = check(hk.technical_trainees([row]))
    assert hk.codes(outcome.findings) == ["core.missing-required"] * 3


def test_the_prefecture_pays_travel_and_stay(hk, check, report):
    costs = [
        {
            "cost_id": "K1",
            "item": "airfare",
            "amount": 280000,
            "currency": "JPY",
            "participant_id": "T1",
        },
        {
            "cost_id": "K2",
            "item": "accommodation",
            "amount": 490000,
            "currency": "JPY",
            "participant_id": "T1",
        },
        {
            "cost_id": "K3",
            "item": "other",
            "amount": 10000,
            "currency": "JPY",
            "participant_id": "T1",
        },
    ]
    data = hk.technical_trainees([hk.trainee()], costs=costs)
    finding = hk.only(check(data).findings, "hokkaido.cost-unassigned")
    assert (finding.subject, finding.field_id) == ("K3", "item")
    result = report(data)
    assert [(c.cost_id, c.payer, c.amount) for c in result.costs] == [
        ("K1", "hokkaido_government", 280000),
        ("K2", "hokkaido_government", 490000),
        ("K3", "unassigned", 10000),
    ]
    assert result.costs[0].explanation.startswith(
        "international travel to and from Japan: paid by the Hokkaido Government"
    )
    assert result.costs[1].explanation.startswith("the stay: lodging")
    assert {(t["payer"], t["amount"]) for t in result.totals()} == {
        ("hokkaido_government", 770000),
        ("unassigned", 10000),
    }


def test_japanese_then_technical_training(hk, report):
    data = hk.technical_trainees([hk.trainee(), hk.trainee("T2", host_id=None, nationality="ZM")])
    phases = [
        (p.phase_id, p.kind, p.start_date, p.end_date, p.host_id) for p in report(data).phases
    ]
    assert phases == [
        ("T1-language", "japanese_language", D(2024, 8, 20), D(2024, 9, 19), None),
        ("T1-technical", "technical_training", D(2024, 9, 20), D(2025, 3, 10), "H1"),
        ("T2-language", "japanese_language", D(2024, 8, 20), D(2024, 9, 19), None),
        ("T2-technical", "technical_training", D(2024, 9, 20), D(2025, 3, 10), None),
    ]
    result = report(data)
    assert (
        "2 trainee(s) (BR 1, ZM 1), 1 from South America; 1 placed with a host, 1 not yet placed."
        in result.summary
    )
    (sheet,) = result.sheets
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in sheet.rows] == [
        ("T1", "BR", "yes", "yes", "H1"),
        ("T2", "ZM", "no", "yes", None),
    ]
