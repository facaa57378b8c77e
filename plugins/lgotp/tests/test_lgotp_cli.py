"""End to end: ``kenshu template lgotp``, filled with openpyxl, through ``kenshu validate``
and ``kenshu report`` (JSON and workbook), compared value by value."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

D = dt.date
ORDINARY = "ordinary_local_allocation_tax"
SPECIAL = "special_local_allocation_tax"


def validate_json(lg, path, *sets: str, exit_code: int):
    args = ["validate", "--json", str(path)]
    for item in sets:
        args += ["--set", item]
    (result,) = lg.invoke_json(*args, exit_code=exit_code)["files"]
    return result


def report_json(lg, path, *sets: str, exit_code: int = 0):
    args = ["report", "--json", str(path)]
    for item in sets:
        args += ["--set", item]
    return lg.invoke_json(*args, exit_code=exit_code)


def test_a_filled_template_validates_and_reports(lg, workbook):
    rows = lg.trainee_rows(13)
    rows[0]["host_id"] = "H2"
    rows[0]["nominated_by_host"] = "H2"
    rows[1]["host_id"] = "H3"
    path = workbook.fill(
        participants=rows,
        hosts=[
            lg.host_row("H1", "prefecture", name="Iwate Prefecture", wish_countries="VN"),
            lg.host_row("H2", "designated_city", name="Sendai City"),
            lg.host_row("H3", "village", name="Ogimi Village"),
        ],
        costs=[
            {
                "cost_id": "C1",
                "item": "airfare",
                "amount": 150000,
                "currency": "JPY",
                "participant_id": "P01",
            },
            {
                "cost_id": "C2",
                "item": "accommodation",
                "amount": 540000,
                "currency": "JPY",
                "participant_id": "P01",
            },
            {
                "cost_id": "C3",
                "item": "airfare",
                "amount": 160000,
                "currency": "JPY",
                "participant_id": "P02",
            },
            {
                "cost_id": "C4",
                "item": "insurance",
                "amount": 25000,
                "currency": "JPY",
                "participant_id": "P03",
            },
        ],
    )
    result = validate_json(lg, path, exit_code=0)
    assert result["programme"] == "lgotp"
    assert result["valid"] is True
    assert result["counts"] == {"error": 0, "warning": 0, "info": 0}

    out = report_json(lg, path)
    assert (out["programme"], out["cohort_id"]) == ("lgotp", "LGOTP-2024")
    assert [len(g["participant_ids"]) for g in out["groups"]] == [7, 6]
    assert out["groups"][0]["participant_ids"][0] == "P01"  # the highest score
    phases = [p for p in out["phases"] if p["participant_id"] == "P01"]
    assert [(p["kind"], p["start_date"], p["end_date"], p["host_id"]) for p in phases] == [
        ("tokyo_orientation", "2024-05-15", "2024-05-16", None),
        ("jiam_training", "2024-05-17", "2024-06-16", None),
        ("specialised_training", "2024-06-17", "2025-03-31", "H2"),
    ]
    assert [(c["item"], c["payer"], c["reimbursement"]) for c in out["costs"]] == [
        ("airfare", "H2", SPECIAL),
        ("accommodation", "H2", SPECIAL),
        ("airfare", "H3", SPECIAL),
        ("insurance", "H1", ORDINARY),
    ]
    assert "Sendai City (designated_city)" in out["costs"][0]["explanation"]
    assert {(t["host_id"], t["reimbursement"], t["amount"]) for t in out["totals"]} == {
        ("H1", ORDINARY, 25000),
        ("H2", SPECIAL, 690000),
        ("H3", SPECIAL, 160000),
    }
    rows_by_id = {row[0]: row for row in out["sheets"]["placements"]["rows"]}
    assert rows_by_id["P01"][-1] == "nomination"
    assert rows_by_id["P03"][-1] == "country"  # Iwate wished for Vietnam
    assert rows_by_id["P02"][-1] == "none"
    assert out["settings"]["class_min_size"] == 6
    assert out["findings"] == []


def test_each_failed_rule_names_the_cell_of_its_field(lg, workbook):
    rows = lg.trainee_rows(6)
    rows[0].update(organisation_type="company")
    rows[1].update(english_level="B1", japanese_level="N4")
    rows[2].update(recommended="no")
    rows[3].update(departure_date=D(2025, 5, 15))  # 12 months and a day
    rows[4].update(home_country="JP")
    rows[5].pop("leadership_evidence")
    path = workbook.fill(participants=rows, hosts=[lg.host_row("H1", "prefecture")])
    result = validate_json(lg, path, exit_code=1)
    assert result["valid"] is False
    expected = {
        ("lgotp.not-local-government", "P01", "Organisation type"),
        ("lgotp.language-level", "P02", "English level (CEFR)"),
        ("lgotp.not-recommended", "P03", "Recommended by own government"),
        ("lgotp.stay-too-long", "P04", "Departure date"),
        ("lgotp.japanese-government", "P05", "Home country"),
        ("lgotp.leadership-evidence-missing", "P06", "Leadership evidence"),
    }
    found = set()
    for f in result["findings"]:
        assert f["source"] == "lgotp"
        assert f["sheet"] == "Participants"
        # row 1 is the header; P01 is on row 2
        assert f["row"] == int(f["subject"][1:]) + 1
        assert f["cell"] == f"{f['column']}{f['row']}"
        found.add((f["code"], f["subject"], workbook.column_of("Participants", f["column"])))
    assert found == expected
    assert result["counts"] == {"error": 5, "warning": 1, "info": 0}


@pytest.mark.parametrize(
    ("arrival", "departure", "code"),
    [
        (D(2024, 5, 15), D(2024, 11, 14), None),  # exactly 6 months
        (D(2024, 5, 15), D(2024, 11, 13), "lgotp.stay-too-short"),
        (D(2024, 5, 15), D(2025, 5, 14), None),  # exactly 12 months
        (D(2024, 5, 15), D(2025, 5, 15), "lgotp.stay-too-long"),
        (D(2024, 5, 31), D(2024, 11, 30), None),
        (D(2024, 5, 31), D(2024, 11, 29), "lgotp.stay-too-short"),
    ],
)
def test_length_of_stay_from_a_workbook(lg, workbook, arrival, departure, code):
    rows = lg.trainee_rows(6, arrival_date=arrival, departure_date=departure)
    path = workbook.fill(participants=rows, hosts=[lg.host_row()])
    result = validate_json(lg, path, exit_code=1 if code else 0)
    assert sorted({f["code"] for f in result["findings"]}) == ([code] if code else [])
    if code:
        assert {f["subject"] for f in result["findings"]} == {f"P0{i}" for i in range(1, 7)}
        assert {workbook.column_of("Participants", f["column"]) for f in result["findings"]} == {
            "Departure date"
        }


SPLITS = [
    (5, [5], True),
    (6, [6], False),
    (8, [8], False),
    (9, [9], True),
    (10, [10], True),
    (11, [6, 5], True),
    (12, [6, 6], False),
    (13, [7, 6], False),
    (16, [8, 8], False),
    (17, [9, 8], True),
    (18, [6, 6, 6], False),
    (24, [8, 8, 8], False),
]


@pytest.mark.parametrize(("count", "sizes", "warned"), SPLITS)
def test_jiam_classes_from_a_workbook(lg, workbook, count, sizes, warned):
    path = workbook.fill(participants=lg.trainee_rows(count), hosts=[lg.host_row()])
    out = report_json(lg, path)  # a class-size warning is not an error: exit 0
    assert [len(g["participant_ids"]) for g in out["groups"]] == sizes
    flat = [pid for g in out["groups"] for pid in g["participant_ids"]]
    assert flat == [f"P{i:02d}" for i in range(1, count + 1)]
    assert all(g["kind"] == "jiam_class" and g["explanation"] for g in out["groups"])
    assert ("lgotp.class-size" in [f["code"] for f in out["findings"]]) is warned


@pytest.mark.parametrize(
    ("count", "sets", "sizes", "warned"),
    [
        (10, ["class_max_size=10"], [10], False),
        (11, ["class_min_size=5"], [6, 5], False),
        (12, ["class_min_size=3", "class_max_size=4"], [4, 4, 4], False),
        (9, ["class_min_size=3", "class_max_size=4"], [3, 3, 3], False),
        # 8+8 and 6+5+5 are both two people off 6-7: the fewer classes win
        (16, ["class_max_size=7"], [8, 8], True),
    ],
)
def test_class_bounds_with_set(lg, workbook, count, sets, sizes, warned):
    path = workbook.fill(participants=lg.trainee_rows(count), hosts=[lg.host_row()])
    out = report_json(lg, path, *sets)
    assert [len(g["participant_ids"]) for g in out["groups"]] == sizes
    assert ("lgotp.class-size" in [f["code"] for f in out["findings"]]) is warned
    for item in sets:
        key, value = item.split("=")
        assert out["settings"][key] == int(value)


def test_class_bounds_from_the_settings_sheet_and_set_wins(lg, workbook):
    path = workbook.fill(
        participants=lg.trainee_rows(10),
        hosts=[lg.host_row()],
        settings={"class_max_size": 10},
    )
    out = report_json(lg, path)
    assert [len(g["participant_ids"]) for g in out["groups"]] == [10]
    out = report_json(lg, path, "class_max_size=8")
    assert [len(g["participant_ids"]) for g in out["groups"]] == [10]
    assert "lgotp.class-size" in [f["code"] for f in out["findings"]]
    out = report_json(lg, path, "class_min_size=4", "class_max_size=5")
    assert [len(g["participant_ids"]) for g in out["groups"]] == [5, 5]
    # bounds that cannot both hold are an error, and the report is still written
    out = report_json(lg, path, "class_max_size=5", exit_code=1)
    assert "lgotp.class-bounds" in [f["code"] for f in out["findings"]]


def test_an_unusable_set_is_a_usage_error(lg, workbook):
    path = workbook.fill(participants=lg.trainee_rows(6), hosts=[lg.host_row()])
    result = lg.invoke("validate", "--json", str(path), "--set", "class_min_size=six")
    assert result.exit_code == 2
    assert "class_min_size" in result.stderr


@pytest.mark.parametrize(
    ("kind", "route"),
    [
        ("prefecture", ORDINARY),
        ("designated_city", SPECIAL),
        ("core_city", SPECIAL),
        ("city", SPECIAL),
        ("town", SPECIAL),
        ("village", SPECIAL),
        ("special_ward", SPECIAL),
    ],
)
def test_each_host_kind_route_from_a_workbook(lg, workbook, kind, route):
    path = workbook.fill(
        participants=lg.trainee_rows(6),
        hosts=[lg.host_row("H1", kind, name="The host")],
        costs=[
            {
                "cost_id": f"C{i}",
                "item": item,
                "amount": 1000,
                "currency": "JPY",
                "participant_id": "P01",
            }
            for i, item in enumerate(
                ["airfare", "accommodation", "training", "domestic_travel", "insurance"]
            )
        ],
    )
    out = report_json(lg, path)
    assert {(c["payer"], c["reimbursement"]) for c in out["costs"]} == {("H1", route)}
    assert out["totals"] == [
        {"payer": "H1", "reimbursement": route, "host_id": "H1", "amount": 5000, "currency": "JPY"}
    ]


@pytest.mark.parametrize("kind", ["national_body", "university", "company", "overseas_government"])
def test_a_host_kind_that_may_not_host_from_a_workbook(lg, workbook, kind):
    path = workbook.fill(participants=lg.trainee_rows(6), hosts=[lg.host_row("H1", kind)])
    result = validate_json(lg, path, exit_code=1)
    (finding,) = result["findings"]
    assert (finding["code"], finding["subject"], finding["sheet"]) == (
        "lgotp.host-kind",
        "H1",
        "Hosts",
    )
    assert workbook.column_of("Hosts", finding["column"]) == "Kind"


def test_given_phases_that_overlap_or_leave_a_gap(lg, workbook):
    phases = [
        {
            "phase_id": "A1",
            "kind": "tokyo_orientation",
            "start_date": D(2024, 5, 15),
            "end_date": D(2024, 5, 16),
            "participant_id": "P01",
        },
        {
            "phase_id": "A2",
            "kind": "jiam_training",
            "start_date": D(2024, 5, 16),
            "end_date": D(2024, 6, 16),
            "participant_id": "P01",
        },
        {
            "phase_id": "B1",
            "kind": "tokyo_orientation",
            "start_date": D(2024, 5, 15),
            "end_date": D(2024, 5, 16),
            "participant_id": "P02",
        },
        {
            "phase_id": "B2",
            "kind": "jiam_training",
            "start_date": D(2024, 5, 20),
            "end_date": D(2024, 6, 16),
            "participant_id": "P02",
        },
    ]
    path = workbook.fill(participants=lg.trainee_rows(6), hosts=[lg.host_row()], phases=phases)
    result = validate_json(lg, path, exit_code=1)
    found = {
        (f["code"], f["severity"], f["subject"], f["sheet"], f["row"]) for f in result["findings"]
    }
    assert found == {
        ("lgotp.phases-overlap", "error", "P01", "Phases", 3),
        ("lgotp.phases-gap", "warning", "P02", "Phases", 5),
    }
    out = report_json(lg, path, exit_code=1)
    assert [p["phase_id"] for p in out["phases"] if p["participant_id"] in ("P01", "P02")] == [
        "A1",
        "A2",
        "B1",
        "B2",
    ]


def test_placement_warnings_from_a_workbook(lg, workbook):
    rows = lg.trainee_rows(6)
    rows[0]["nominated_by_host"] = "H2"
    path = workbook.fill(
        participants=rows,
        hosts=[lg.host_row("H1", capacity=5), lg.host_row("H2", "city")],
    )
    result = validate_json(lg, path, exit_code=0)
    codes = [(f["code"], f["subject"]) for f in result["findings"]]
    assert ("lgotp.placed-away-from-nominator", "P01") in codes
    assert sorted(s for c, s in codes if c == "lgotp.host-over-capacity") == [
        f"P0{i}" for i in range(1, 7)
    ]


def test_the_report_workbook_has_the_lgotp_sheets(lg, workbook, tmp_path):
    rows = lg.trainee_rows(12)
    rows[0]["nominated_by_host"] = "H1"
    path = workbook.fill(
        participants=rows,
        hosts=[lg.host_row("H1", "town", name="Kasama")],
        costs=[
            {
                "cost_id": "C1",
                "item": "airfare",
                "amount": 90000,
                "currency": "JPY",
                "participant_id": "P01",
            }
        ],
    )
    output = tmp_path / "report.xlsx"
    result = lg.invoke("report", str(path), "-o", str(output))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(output, read_only=True)
    try:
        placements = list(wb["Placements"].values)
        assert placements[0] == (
            "participant_id",
            "host_id",
            "host",
            "nominated_by_host",
            "country",
            "field_of_training",
            "wishes_honoured",
        )
        assert placements[1] == ("P01", "H1", "Kasama", "H1", "VN", "tourism", "nomination")
        assert len(placements) == 13
        costs = list(wb["Costs"].values)
        header = costs[0]
        line = dict(zip(header, costs[1], strict=False))
        assert (line["payer"], line["reimbursement"]) == ("H1", SPECIAL)
        classes = list(wb["Classes"].values)
        assert [row[:4] for row in classes] == [
            ("group_id", "kind", "size", "participant_ids"),
            ("jiam-class-1", "jiam_class", 6, "P01; P02; P03; P04; P05; P06"),
            ("jiam-class-2", "jiam_class", 6, "P07; P08; P09; P10; P11; P12"),
        ]
        assert all(row[4] for row in classes[1:])
    finally:
        wb.close()
