"""Each rule at its boundaries, end to end: ``kenshu template leaders-vietnam`` filled with
openpyxl, then ``kenshu validate --json`` and ``kenshu report --json`` compared value by value."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

D = dt.date


def test_an_eligible_cohort_is_clean_and_reported_in_the_programme_words(lv, books):
    path = books.workbook()
    result = books.validate(path, exit_code=0)
    assert (result["programme"], result["valid"]) == ("leaders-vietnam", True)
    assert result["findings"] == []
    out = books.report(path, exit_code=0)
    assert "5 participants from 3 provinces and 2 central cities." in out["summary"]
    rows = out["sheets"]["provinces"]["rows"]
    assert out["sheets"]["provinces"]["header"] == [
        "unit",
        "kind",
        "gso_code",
        "participants",
        "participant_ids",
    ]
    assert rows == [
        ["Cần Thơ", "central_city", 92, 1, "P05"],
        ["Hà Nội", "central_city", 1, 1, "P03"],
        ["Lâm Đồng", "province", 68, 1, "P04"],
        ["Nghệ An", "province", 40, 1, "P02"],
        ["Quảng Ninh", "province", 22, 1, "P01"],
    ]


def test_the_summary_in_japanese(lv, books):
    out = books.report(books.workbook(), "--lang", "ja", exit_code=0)
    assert "参加者5人(3省・2中央直轄市から)。" in out["summary"]


# -- editions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "days"),
    [(D(2024, 6, 7), 27), (D(2024, 6, 8), 28), (D(2024, 6, 9), 29)],
)
def test_an_edition_lasts_28_days(lv, books, end, days):
    path = books.workbook(cohort={"end_date": end})
    result = books.validate(path, exit_code=0 if days == 28 else 1)
    if days == 28:
        assert result["findings"] == []
        return
    finding = lv.only(result["findings"], "leaders_vietnam.edition-length")
    assert finding["severity"] == "error"
    assert finding["sheet"] == "Cohort"
    assert header_of(books.template, "Cohort", f"A{finding['row']}") == "End date"
    assert f"runs {days} days, from 2024-05-12 to {end}" in finding["message"]
    assert "2024-06-08" in finding["message"]  # where 28 days would end
    # edition 4's documented dates differ too
    assert sorted(lv.codes(result["findings"])) == [
        "leaders_vietnam.edition-dates-differ",
        "leaders_vietnam.edition-length",
    ]


def test_the_length_is_a_setting(lv, books):
    path = books.workbook(cohort={"end_date": D(2024, 6, 9), "edition": 6})
    assert books.validate(path, exit_code=1)["counts"]["error"] == 1
    result = books.validate(path, "--set", "programme_days=29", exit_code=0)
    assert result["findings"] == []


def test_an_edition_number_is_expected(lv, books):
    path = books.workbook(cohort={"edition": None})
    result = books.validate(path, exit_code=0)
    finding = lv.only(result["findings"], "leaders_vietnam.edition-missing")
    assert finding["severity"] == "warning"


# -- eligibility ---------------------------------------------------------------


def test_each_failed_eligibility_rule_names_its_cell(lv, books):
    rows = lv.participant_rows(5)
    rows[0]["nationality"] = "LA"
    rows[1]["organisation_type"] = "central_government"
    rows[2]["position_level"] = "manager"
    rows[3]["home_region"] = "Vientiane"
    rows[4].pop("position_level")
    result = books.validate(books.workbook(participants=rows), exit_code=1)
    found = {(f["code"], f["subject"], f["sheet"], f["row"]) for f in result["findings"]}
    assert found == {
        ("leaders_vietnam.not-vietnamese", "P01", "Participants", 2),
        ("leaders_vietnam.not-provincial-government", "P02", "Participants", 3),
        ("leaders_vietnam.position-level", "P03", "Participants", 4),
        ("leaders_vietnam.unknown-region", "P04", "Participants", 5),
        ("core.missing-required", "P05", "Participants", 6),
    }
    headers = {
        f["code"]: header_of(books.template, "Participants", f["column"])
        for f in result["findings"]
    }
    assert headers == {
        "leaders_vietnam.not-vietnamese": "Nationality",
        "leaders_vietnam.not-provincial-government": "Organisation type",
        "leaders_vietnam.position-level": "Position level",
        "leaders_vietnam.unknown-region": "Home region",
        "core.missing-required": "Position level",
    }


def header_of(template, sheet: str, cell: str) -> str:
    """The label in ``cell`` of the template (a column letter alone: its header, row 1)."""
    cell = cell if cell[-1].isdigit() else f"{cell}1"
    return openpyxl.load_workbook(template)[sheet][cell].value


@pytest.mark.parametrize("level", ["director_general", "deputy_director_general", "director"])
def test_the_three_levels_are_eligible(lv, books, level):
    path = books.workbook(participants=lv.participant_rows(3, position_level=level))
    assert books.validate(path, exit_code=0)["findings"] == []


@pytest.mark.parametrize(
    "written",
    ["Khánh Hòa", "Khánh Hoà", "Khanh Hoa", "Tỉnh Khánh Hòa", "tinh khanh hoa", "KHANH HOA"],
)
def test_a_region_with_or_without_diacritics_is_the_same_unit(lv, books, written):
    path = books.workbook(participants=[lv.participant_row(home_region=written)])
    assert books.validate(path, exit_code=0)["findings"] == []
    rows = books.report(path, exit_code=0)["sheets"]["provinces"]["rows"]
    assert rows == [["Khánh Hòa", "province", 56, 1, "P01"]]


def test_city_prefixes_are_recognised(lv, books):
    rows = [
        lv.participant_row("P01", home_region="Thành phố Hà Nội"),
        lv.participant_row("P02", home_region="TP. Hồ Chí Minh"),
        lv.participant_row("P03", home_region="Ha Noi"),
    ]
    path = books.workbook(participants=rows)
    assert books.validate(path, exit_code=0)["findings"] == []
    out = books.report(path, exit_code=0)
    assert "3 participants from 0 provinces and 2 central cities." in out["summary"]


# A region valid only before 1 July 2025 (Hà Giang, merged into Tuyên Quang), and one in force
# only from a later day (Huế, a centrally run city from 1 January 2025); the cohort's first day
# decides which list applies.
@pytest.mark.parametrize(
    ("start", "code", "unit", "kind"),
    [
        (D(2025, 6, 3), None, "Hà Giang", "province"),  # starts the day before: 63 units
        (D(2025, 6, 30), None, "Hà Giang", "province"),
        (D(2025, 7, 1), "leaders_vietnam.region-superseded", "Tuyên Quang", "province"),
    ],
)
def test_a_region_valid_only_before_1_july_2025(lv, books, start, code, unit, kind):
    end = start + dt.timedelta(days=27)
    rows = [lv.participant_row(home_region="Hà Giang")]
    path = books.workbook(
        cohort={"start_date": start, "end_date": end, "edition": 6}, participants=rows
    )
    result = books.validate(path, exit_code=0)
    assert lv.codes(result["findings"]) == ([code] if code else [])
    if code:
        finding = result["findings"][0]
        assert finding["severity"] == "warning"
        assert "Tuyên Quang" in finding["message"] and "2025-07-01" in finding["message"]
        assert header_of(books.template, "Participants", finding["column"]) == "Home region"
    rows = books.report(path, exit_code=0)["sheets"]["provinces"]["rows"]
    assert [r[:2] for r in rows] == [[unit, kind]]


@pytest.mark.parametrize(
    ("start", "code"),
    [(D(2024, 12, 4), "leaders_vietnam.region-not-in-force"), (D(2025, 1, 1), None)],
)
def test_a_region_in_force_only_from_a_later_day(lv, books, start, code):
    end = start + dt.timedelta(days=27)
    rows = [lv.participant_row(home_region="Thành phố Huế")]
    path = books.workbook(
        cohort={"start_date": start, "end_date": end, "edition": 6}, participants=rows
    )
    result = books.validate(path, exit_code=1 if code else 0)
    assert lv.codes(result["findings"]) == ([code] if code else [])
    if code:
        message = result["findings"][0]["message"]
        assert "2025-01-01" in message and "Thừa Thiên Huế" in message


def test_a_merged_province_is_counted_under_the_central_city_it_joined(lv, books):
    start = D(2025, 8, 3)
    rows = [
        lv.participant_row("P01", home_region="Bình Dương"),  # now part of Hồ Chí Minh City
        lv.participant_row("P02", home_region="Thành phố Hồ Chí Minh"),
        lv.participant_row("P03", home_region="Quảng Bình"),  # now part of Quảng Trị
    ]
    path = books.workbook(
        cohort={"start_date": start, "end_date": start + dt.timedelta(days=27), "edition": 6},
        participants=rows,
    )
    out = books.report(path, exit_code=0)
    assert sorted((f["code"], f["subject"]) for f in out["findings"]) == [
        ("leaders_vietnam.region-superseded", "P01"),
        ("leaders_vietnam.region-superseded", "P03"),
    ]
    assert "3 participants from 1 province and 1 central city." in out["summary"]
    assert out["sheets"]["provinces"]["rows"] == [
        ["Hồ Chí Minh", "central_city", 79, 2, "P01; P02"],
        ["Quảng Trị", "province", 44, 1, "P03"],
    ]


# -- itinerary -----------------------------------------------------------------


def test_an_empty_activities_sheet_gets_a_28_day_skeleton(lv, books):
    out = books.report(books.workbook(), exit_code=0)
    phases = [(p["kind"], p["start_date"], p["end_date"]) for p in out["phases"]]
    assert phases == [
        ("opening", "2024-05-12", "2024-05-13"),
        ("lectures", "2024-05-14", "2024-05-18"),
        ("site_visits", "2024-05-19", "2024-05-23"),
        ("lectures", "2024-05-24", "2024-05-28"),
        ("site_visits", "2024-05-29", "2024-06-02"),
        ("lectures", "2024-06-03", "2024-06-06"),
        ("final_report_session", "2024-06-07", "2024-06-07"),
        ("closing_ceremony", "2024-06-08", "2024-06-08"),
    ]
    days = sum(
        (D.fromisoformat(p["end_date"]) - D.fromisoformat(p["start_date"])).days + 1
        for p in out["phases"]
    )
    assert days == 28  # every day in exactly one phase
    assert any("itinerary skeleton of 8 phases" in line for line in out["summary"])


def test_the_skeleton_follows_its_settings(lv, books):
    out = books.report(
        books.workbook(),
        "--set",
        "lecture_block_days=10",
        "--set",
        "site_visit_block_days=12",
        exit_code=0,
    )
    assert [(p["kind"], p["start_date"], p["end_date"]) for p in out["phases"]][1:4] == [
        ("lectures", "2024-05-14", "2024-05-23"),
        ("site_visits", "2024-05-24", "2024-06-04"),
        ("lectures", "2024-06-05", "2024-06-06"),
    ]


LAST_DAY = D(2024, 6, 8)


def activities(closing: dt.date = LAST_DAY):
    rows = [
        {
            "activity_id": "A1",
            "kind": "lecture",
            "date": D(2024, 5, 14),
            "title": "Local government",
        },
        {"activity_id": "A2", "kind": "site_visit", "date": D(2024, 5, 22), "location": "Kawagoe"},
        {"activity_id": "A3", "kind": "final_report_session", "date": D(2024, 6, 7)},
        {"activity_id": "A4", "kind": "closing_ceremony", "date": closing},
    ]
    return rows


def presented(*pids: str, activity: str = "A3") -> list[dict]:
    return [{"activity_id": activity, "participant_id": pid, "attended": "yes"} for pid in pids]


ALL = ("P01", "P02", "P03", "P04", "P05")


@pytest.mark.parametrize(
    ("closing", "ok"),
    [(D(2024, 6, 8), True), (D(2024, 6, 7), True), (D(2024, 6, 6), False)],
)
def test_the_closing_ceremony_is_on_the_last_day_or_the_day_before(lv, books, closing, ok):
    path = books.workbook(activities=activities(closing), attendance=presented(*ALL))
    result = books.validate(path, exit_code=0 if ok else 1)
    assert lv.codes(result["findings"]) == ([] if ok else ["leaders_vietnam.closing-ceremony-date"])
    out = books.report(path, exit_code=0 if ok else 1)
    # the schedule shows the given activities, one day each, in date order
    order = ["A1", "A2", "A3", "A4"] if closing >= D(2024, 6, 7) else ["A1", "A2", "A4", "A3"]
    assert [p["phase_id"] for p in out["phases"]] == order


def test_given_activities_are_checked(lv, books):
    rows = [
        *activities()[:3],
        {"activity_id": "A9", "kind": "site_visit", "date": D(2024, 6, 9), "location": "Gunma"},
    ]
    path = books.workbook(activities=rows, attendance=presented("P01", "P02", "P03", "P04"))
    result = books.validate(path, exit_code=1)
    found = sorted((f["code"], f["subject"], f["sheet"], f["row"]) for f in result["findings"])
    assert found == [
        ("leaders_vietnam.activity-outside-window", "A9", "Activities", 5),
        ("leaders_vietnam.no-closing-ceremony", None, "Activities", None),
        ("leaders_vietnam.no-report-presentation", "P05", "Participants", 6),
    ]


def test_an_absence_from_the_report_session_points_at_the_attendance_row(lv, books):
    attendance = [
        *presented("P01", "P02", "P03", "P04"),
        {"activity_id": "A3", "participant_id": "P05", "attended": "no", "reason": "ill"},
    ]
    path = books.workbook(activities=activities(), attendance=attendance)
    finding = lv.only(
        books.validate(path, exit_code=0)["findings"], "leaders_vietnam.no-report-presentation"
    )
    assert (finding["subject"], finding["sheet"], finding["row"]) == ("P05", "Attendance", 6)


def test_no_report_session_at_all_is_an_error(lv, books):
    rows = [a for a in activities() if a["kind"] != "final_report_session"]
    result = books.validate(books.workbook(activities=rows), exit_code=1)
    assert lv.codes(result["findings"]) == ["leaders_vietnam.no-report-session"]


# -- follow-up seminar ----------------------------------------------------------


def seminar(
    day: dt.date | None, cohorts: str | None = "leaders-vietnam-4", fid: str = "S1"
) -> dict:
    row = {"follow_up_id": fid, "kind": "follow_up_seminar", "date": day, "location": "Hanoi"}
    if cohorts:
        row["cohorts"] = cohorts
    return {k: v for k, v in row.items() if v is not None}


# edition 4 ends 2024-06-08: due 2024-08-08 to 2024-12-08
@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (D(2024, 8, 7), False),
        (D(2024, 8, 8), True),
        (D(2024, 12, 8), True),
        (D(2024, 12, 9), False),
    ],
)
def test_the_seminar_window_at_its_boundaries(lv, books, day, ok):
    path = books.workbook(follow_ups=[seminar(day)])
    result = books.validate(path, exit_code=0 if ok else 1)
    assert lv.codes(result["findings"]) == (
        [] if ok else ["leaders_vietnam.seminar-outside-window"]
    )
    if not ok:
        finding = result["findings"][0]
        assert (finding["sheet"], finding["row"], finding["subject"]) == ("FollowUps", 2, "S1")
        assert "2024-08-08 to 2024-12-08" in finding["message"]
    out = books.report(path, exit_code=0 if ok else 1)
    (follow_up,) = out["follow_ups"]
    assert (follow_up["due_from"], follow_up["due_to"], follow_up["date"]) == (
        "2024-08-08",
        "2024-12-08",
        day.isoformat(),
    )


def test_a_seminar_serving_two_editions_is_due_after_the_later_one(lv, books):
    # the workbook is edition 3 (ends 2024-03-16); the seminar also serves edition 4 (ends
    # 2024-06-08, from the documented editions), so its window starts 2024-08-08
    cohort = {
        "cohort_id": "leaders-vietnam-3",
        "edition": 3,
        "start_date": D(2024, 2, 18),
        "end_date": D(2024, 3, 16),
    }
    both = "leaders-vietnam-3; leaders-vietnam-4"
    path = books.workbook(cohort=cohort, follow_ups=[seminar(D(2024, 9, 16), both)])
    out = books.report(path, exit_code=0)
    assert out["findings"] == []
    (follow_up,) = out["follow_ups"]
    assert (follow_up["due_from"], follow_up["due_to"]) == ("2024-08-08", "2024-12-08")
    # within edition 3's own window (to 2024-09-16) but before edition 4's: an error
    path = books.workbook(cohort=cohort, follow_ups=[seminar(D(2024, 8, 7), both)])
    result = books.validate(path, exit_code=1)
    finding = lv.only(result["findings"], "leaders_vietnam.seminar-outside-window")
    assert "leaders-vietnam-4, on 2024-06-08" in finding["message"]
    path = books.workbook(cohort=cohort, follow_ups=[seminar(D(2024, 8, 7), "leaders-vietnam-3")])
    assert books.validate(path, exit_code=0)["findings"] == []


def test_an_unknown_served_cohort_is_a_warning_and_cohort_ends_makes_it_known(lv, books):
    served = "leaders-vietnam-4; leaders-vietnam-9"
    path = books.workbook(follow_ups=[seminar(D(2024, 9, 16), served)])
    result = books.validate(path, exit_code=0)
    finding = lv.only(result["findings"], "leaders_vietnam.unknown-cohort")
    assert (finding["severity"], finding["sheet"]) == ("warning", "FollowUps")
    assert "leaders-vietnam-9" in finding["message"]
    # with its end known, the later edition moves the window
    result = books.validate(path, "--set", "cohort_ends=leaders-vietnam-9=2024-08-31", exit_code=1)
    assert lv.codes(result["findings"]) == ["leaders_vietnam.seminar-outside-window"]
    result = books.validate(path, "--set", "cohort_ends=leaders-vietnam-9=31/08/2024", exit_code=1)
    assert "leaders_vietnam.cohort-end-unreadable" in lv.codes(result["findings"])


def test_a_cohort_ends_entry_wrong_twice_over_is_reported_once():
    from kenshu_leaders_vietnam.editions import parse_cohort_ends

    ends, bad = parse_cohort_ends(("=31/08/2024", "=2024-08-31", "x=2024-08-31", "y"))
    assert ends == {"x": D(2024, 8, 31)}
    assert bad == ["=31/08/2024", "=2024-08-31", "y"]


def test_a_seminar_is_planned_with_its_window_when_none_is_given(lv, books):
    out = books.report(books.workbook(), exit_code=0)
    (follow_up,) = out["follow_ups"]
    assert follow_up == {
        "follow_up_id": "leaders-vietnam-4-follow-up-seminar",
        "kind": "follow_up_seminar",
        "date": None,
        "due_from": "2024-08-08",
        "due_to": "2024-12-08",
        "location": "Hanoi",
        "participant_ids": list(ALL),
    }
    assert any(
        line.startswith("Follow-up seminar to plan in Hanoi, due 2024-08-08 to 2024-12-08")
        for line in out["summary"]
    )


def test_seminar_attendance_reports_and_absences(lv, books):
    rows = [
        {
            "follow_up_id": "S1",
            "participant_id": "P01",
            "report_submitted": "yes",
            "attended": "yes",
        },
        {
            "follow_up_id": "S1",
            "participant_id": "P02",
            "report_submitted": "no",
            "attended": "yes",
        },
        {
            "follow_up_id": "S1",
            "participant_id": "P03",
            "report_submitted": "yes",
            "attended": "no",
            "reason": "Typhoon Yagi",
        },
        {
            "follow_up_id": "S1",
            "participant_id": "P04",
            "report_submitted": "yes",
            "attended": "no",
        },
    ]  # P05 has no row at all
    path = books.workbook(follow_ups=[seminar(D(2024, 9, 16))], attendance=rows)
    result = books.validate(path, exit_code=0)
    found = sorted((f["code"], f["subject"], f["sheet"], f["row"]) for f in result["findings"])
    assert found == [
        ("leaders_vietnam.absence-without-reason", "P04", "Attendance", 5),
        ("leaders_vietnam.no-pre-seminar-report", "P02", "Attendance", 3),
        ("leaders_vietnam.no-pre-seminar-report", "P05", "Participants", 6),
    ]
    out = books.report(path, exit_code=0)
    sheet = out["sheets"]["follow_up_seminar"]
    table = [dict(zip(sheet["header"], row, strict=True)) for row in sheet["rows"]]
    assert [
        (r["participant_id"], r["due"], r["report_submitted"], r["attended"], r["reason"])
        for r in table
    ] == [
        ("P01", "yes", "yes", "yes", None),
        ("P02", "yes", "no", "yes", None),
        ("P03", "yes", "yes", "no", "Typhoon Yagi"),
        ("P04", "yes", "yes", "no", None),
        ("P05", "yes", None, None, None),
    ]
    assert (
        "Follow-up seminar S1 on 2024-09-16 in Hanoi for leaders-vietnam-4 "
        "(due 2024-08-08 to 2024-12-08): 5 due, 3 reported, 2 attended."
    ) in out["summary"]


# -- costs ---------------------------------------------------------------------


def test_every_cost_line_is_explained(lv, books):
    costs = [
        {"cost_id": f"C{i}", "item": item, "amount": 1000 * i, "currency": "JPY"}
        for i, item in enumerate(
            [
                "airfare",
                "accommodation",
                "training",
                "domestic_travel",
                "living_allowance",
                "insurance",
            ],
            start=1,
        )
    ]
    costs[0]["participant_id"] = "P01"
    path = books.workbook(costs=costs)
    result = books.validate(path, exit_code=0)
    assert [(f["code"], f["subject"]) for f in result["findings"]] == [
        ("leaders_vietnam.cost-unassigned", "C6")
    ]
    out = books.report(path, exit_code=0)
    assert [(c["item"], c["payer"]) for c in out["costs"]] == [
        ("airfare", "japanese_implementing_side"),
        ("accommodation", "japanese_implementing_side"),
        ("training", "japanese_implementing_side"),
        ("domestic_travel", "japanese_implementing_side"),
        ("living_allowance", "japanese_implementing_side"),
        ("insurance", "unassigned"),
    ]
    assert all(c["explanation"] for c in out["costs"])
    assert out["costs"][0]["explanation"].startswith("airfare for participant P01 is paid by")
    assert {(t["payer"], t["amount"]) for t in out["totals"]} == {
        ("japanese_implementing_side", 15000),
        ("unassigned", 6000),
    }
    # payer and items are settings
    out = books.report(path, "--set", "payer=jica", "--set", "payer_items=insurance", exit_code=0)
    assert {(c["item"], c["payer"]) for c in out["costs"]} >= {("insurance", "jica")}
    assert sum(1 for c in out["costs"] if c["payer"] == "unassigned") == 5
