"""End to end: ``kenshu template CODE`` for each programme, filled with openpyxl, through
``kenshu validate`` and ``kenshu report``, in process and once as a subprocess."""

from __future__ import annotations

import datetime as dt

import openpyxl
from kenshu_hokkaido import programmes as P

D = dt.date


def test_templates_write_the_sheets_each_programme_uses(hk, tmp_path):
    expected = {
        P.LECTURES: ["Cohort", "Activities", "Costs", "Settings"],
        P.EXCHANGE_MISSION: ["Cohort", "Participants", "Phases", "Costs", "Settings"],
        P.HIGHSCHOOL_MISSION: [
            "Cohort",
            "Participants",
            "Phases",
            "FollowUps",
            "Attendance",
            "Costs",
            "Settings",
        ],
        P.TECHNICAL_TRAINEES: ["Cohort", "Participants", "Hosts", "Phases", "Costs", "Settings"],
    }
    for code, sheets in expected.items():
        path = tmp_path / f"{code}.xlsx"
        assert hk.invoke("template", code, "-o", path).exit_code == 0
        wb = openpyxl.load_workbook(path, read_only=True)
        assert [n for n in wb.sheetnames if not n.startswith("_")] == sheets, code
        wb.close()


def test_a_filled_mission_workbook_validates_and_reports(hk, workbook):
    path = workbook(
        P.EXCHANGE_MISSION,
        cohort={
            "cohort_id": "mission-2024",
            "start_date": hk.DEPARTURE,
            "end_date": hk.RETURN,
            "destination_country": "中国",
        },
        participants=[
            {"participant_id": "M1", "date_of_birth": D(2009, 11, 21), "home_region": "北海道"},
            {"participant_id": "M2", "date_of_birth": D(2009, 11, 20), "home_region": "Hokkaidō"},
            {"participant_id": "M3", "date_of_birth": D(1990, 1, 1), "home_region": "青森県"},
        ],
        phases=[
            {
                "phase_id": "SEL",
                "kind": "selection",
                "start_date": D(2024, 8, 1),
                "end_date": D(2024, 9, 1),
            },
            {
                "phase_id": "PRE",
                "kind": "pre_departure_training",
                "start_date": D(2024, 10, 19),
                "end_date": D(2024, 10, 20),
            },
        ],
    )
    (result,) = hk.invoke_json("validate", "--json", path, exit_code=1)["files"]
    assert [(f["code"], f["subject"], f["cell"]) for f in result["findings"]] == [
        ("hokkaido.resident-elsewhere", "M3", "L4"),
        ("hokkaido.age-outside-youth-band", "M1", "H2"),
    ]
    out = hk.invoke_json("report", "--json", path, exit_code=1)
    assert "Outbound: participants go from Japan to CN." in out["summary"]
    assert [row[:2] + row[4:8] for row in out["sheets"]["members"]["rows"]] == [
        ["M1", None, 14, "CN", "2024-11-20", "2024-11-27"],
        ["M2", None, 15, "CN", "2024-11-20", "2024-11-27"],
        ["M3", None, 34, "CN", "2024-11-20", "2024-11-27"],
    ]


def test_a_filled_lectures_workbook_in_japanese(hk, workbook, tmp_path):
    path = workbook(
        P.LECTURES,
        lang="ja",
        cohort={
            "cohort_id": "lectures-2024",
            "start_date": D(2024, 4, 1),
            "end_date": D(2025, 3, 31),
        },
        activities=[
            {
                "activity_id": "L1",
                "date": D(2024, 5, 18),
                "municipality": "帯広市",
                "theme": "国際交流",
                "lecturer": "佐藤",
                "attendance": 64,
            },
            {
                "activity_id": "L2",
                "date": D(2025, 4, 1),
                "municipality": "名寄市",
                "theme": "国際協力",
                "lecturer": "田中",
                "attendance": 41,
            },
        ],
    )
    (result,) = hk.invoke_json("validate", "--json", "--lang", "ja", path, exit_code=1)["files"]
    finding = result["findings"][0]
    assert (finding["code"], finding["sheet"], finding["cell"]) == (
        "hokkaido.event-outside-fiscal-year",
        "活動",
        "C3",
    )
    assert finding["message"].startswith("2025-04-01の催しは2025年度です")
    out = tmp_path / "report.xlsx"
    assert hk.invoke("report", path, "-o", out).exit_code == 1
    wb = openpyxl.load_workbook(out, read_only=True)
    rows = list(wb["市町村別参加者数"].values)
    wb.close()
    assert rows == [
        ("municipality", "events", "attendance"),
        ("名寄市", 1, 41),
        ("帯広市", 1, 64),
        ("(total)", 2, 105),
    ]


def test_validate_and_report_as_a_subprocess(hk, workbook, tmp_path):
    path = workbook(
        P.TECHNICAL_TRAINEES,
        cohort={
            "cohort_id": "trainees-2018",
            "start_date": D(2018, 1, 1),
            "end_date": D(2018, 8, 31),
        },
        participants=[
            {
                "participant_id": "T1",
                "nationality": "Chile",
                "arrival_date": D(2018, 1, 1),
                "departure_date": D(2018, 8, 31),
                "host_id": "H1",
            },
            {
                "participant_id": "T2",
                "nationality": "Brazil",
                "arrival_date": D(2018, 1, 1),
                "departure_date": D(2018, 8, 31),
            },
        ],
        hosts=[{"host_id": "H1", "name": "Obihiro Higher Technical School", "kind": "school"}],
    )
    done = hk.run_kenshu("validate", path)
    assert done.returncode == 1, done.stderr
    assert (
        "nationality CL is not a developing country on the arrival date 2018-01-01: it left the list on 2018-01-01"
        in done.stdout
    )
    assert "(hokkaido.trainee-not-placed)" in done.stdout
    out = tmp_path / "report.xlsx"
    done = hk.run_kenshu("report", path, "-o", out)
    assert done.returncode == 1
    assert (
        "2 trainee(s) (BR 1, CL 1), 2 from South America; 1 placed with a host, 1 not yet placed."
        in done.stdout
    )
    assert out.exists()
