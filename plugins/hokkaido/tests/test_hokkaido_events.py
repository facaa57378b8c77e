"""The events programmes (lectures, the course, seminars): a fiscal year's events, April to
March, totalled by municipality and theme; the course's themes; the seminars' lecturers."""

from __future__ import annotations

import datetime as dt

import pytest
from kenshu_hokkaido import programmes as P
from kenshu_hokkaido.fiscal import fiscal_year

D = dt.date


def test_the_fiscal_year_turns_on_1_april():
    assert fiscal_year(D(2025, 3, 31)) == 2024
    assert fiscal_year(D(2025, 4, 1)) == 2025
    assert fiscal_year(D(2025, 1, 1), (1, 1)) == 2025


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (D(2024, 3, 31), False),
        (D(2024, 4, 1), True),
        (D(2025, 3, 31), True),
        (D(2025, 4, 1), False),
    ],
)
def test_events_belong_to_the_cohorts_fiscal_year(hk, check, day, inside):
    outcome = check(hk.events(P.LECTURES, [hk.lecture(date=day)]))
    if inside:
        assert hk.codes(outcome.findings) == []
        return
    assert hk.codes(outcome.findings) == [
        "core.event-outside-cohort",
        "hokkaido.event-outside-fiscal-year",
    ]
    finding = hk.only(outcome.findings, "hokkaido.event-outside-fiscal-year")
    assert (finding.severity, finding.subject, finding.field_id) == ("error", "L1", "date")
    other = 2023 if day.year == 2024 else 2025
    assert (
        f"falls in FY{other}, not in this cohort's FY2024 (2024-04-01 to 2025-03-31)"
        in finding.message
    )


def test_a_cohort_is_one_fiscal_year(hk, check):
    data = hk.events(P.LECTURES, [hk.lecture()], end_date=D(2025, 4, 30))
    assert hk.codes(check(data).findings) == ["hokkaido.cohort-spans-fiscal-years"]


def test_a_fiscal_year_from_january_is_a_setting(hk, check):
    data = hk.events(
        P.LECTURES,
        [hk.lecture(date=D(2024, 12, 1))],
        start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
    )
    # April to March: the cohort starts in FY2023, the December event is in FY2024
    assert hk.codes(check(data).findings) == [
        "hokkaido.cohort-spans-fiscal-years",
        "hokkaido.event-outside-fiscal-year",
    ]
    assert hk.codes(check(data, fiscal_year_start="01-01").findings) == []


@pytest.mark.parametrize("field", ["date", "municipality", "lecturer", "theme"])
def test_each_lecture_names_date_municipality_lecturer_and_theme(hk, check, field):
    outcome = check(hk.events(P.LECTURES, [hk.lecture(**{field: None})]))
    assert hk.codes(outcome.findings) == ["core.missing-required"]
    assert outcome.findings[0].field_id == field


def test_missing_attendance_is_a_warning(hk, check, report):
    data = hk.events(P.LECTURES, [hk.lecture("L1"), hk.lecture("L2", attendance=None)])
    finding = hk.only(check(data).findings, "hokkaido.attendance-missing")
    assert (finding.subject, finding.severity) == ("L2", "warning")
    assert report(data).event_totals()["without_attendance"] == ["L2"]


def test_lectures_totalled_by_municipality_and_theme(hk, report):
    lectures = [
        hk.lecture("L1", municipality="Obihiro", theme="international exchange", attendance=64),
        hk.lecture("L2", municipality="Nayoro", theme="international cooperation", attendance=41),
        hk.lecture("L3", municipality="Obihiro", theme="international cooperation", attendance=52),
    ]
    out = hk.report_json(report(hk.events(P.LECTURES, lectures)))
    assert out["events"]["by_municipality"] == [
        {"municipality": "Nayoro", "events": 1, "attendance": 41},
        {"municipality": "Obihiro", "events": 2, "attendance": 116},
    ]
    assert out["events"]["by_theme"] == [
        {"theme": "international cooperation", "events": 2, "attendance": 93},
        {"theme": "international exchange", "events": 1, "attendance": 64},
    ]
    assert "3 event(s), total attendance 157, in 2 municipalities." in out["summary"]
    assert "FY2024 (2024-04-01 to 2025-03-31)." in out["summary"]


@pytest.mark.parametrize(
    ("theme", "known"),
    [
        ("international understanding", True),
        ("International  Exchange", True),
        ("国際協力", True),
        ("多文化共生社会", True),
        ("climate change", False),
    ],
)
def test_the_course_themes(hk, check, theme, known):
    session = hk.lecture("C1", theme=theme, municipality=None, lecturer_based="hokkaido")
    found = hk.codes(check(hk.events(P.COURSE, [session])).findings)
    assert found == ([] if known else ["hokkaido.course-theme-unknown"])


def test_the_course_counts_lecturers_from_within_and_beyond_hokkaido(hk, report):
    sessions = [
        hk.lecture("C1", lecturer_based="hokkaido"),
        hk.lecture("C2", lecturer_based="elsewhere_in_japan"),
        hk.lecture(
            "C3",
            lecturer_based="abroad",
            partners=("Ebetsu City", "Ebetsu International Association"),
        ),
    ]
    result = report(hk.events(P.COURSE, sessions))
    assert "Lecturers: 1 from Hokkaido, 1 from elsewhere in Japan, 1 from abroad." in result.summary
    (sheet,) = result.sheets
    assert sheet.rows[2][4:6] == ("abroad", "Ebetsu City; Ebetsu International Association")


@pytest.mark.parametrize(("experience", "warned"), [(True, False), (False, True), (None, True)])
def test_seminar_lecturers_took_part_in_cooperation(hk, check, experience, warned):
    seminar = hk.lecture("S1", lecturer="Ogawa Jun", lecturer_cooperation=experience)
    outcome = check(hk.events(P.SEMINARS, [seminar]))
    assert hk.codes(outcome.findings) == (
        ["hokkaido.lecturer-without-cooperation-experience"] if warned else []
    )
    if warned:
        finding = outcome.findings[0]
        assert (finding.severity, finding.field_id, finding.subject) == (
            "warning",
            "lecturer_cooperation",
            "S1",
        )
        assert "Ogawa Jun" in finding.message and finding.message_ja


def test_events_in_japanese(hk, report):
    result = report(hk.events(P.LECTURES, [hk.lecture()]), lang="ja")
    assert "催し1件、参加者数の合計50人、1市町村で開催。" in result.summary
    assert "2024年度(2024-04-01〜2025-03-31)の実績。" in result.summary
