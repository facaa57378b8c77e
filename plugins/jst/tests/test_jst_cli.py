"""End to end on real workbooks: ``kenshu template jst`` filled with openpyxl, then
``validate`` and ``report`` through the command line, in-process and as a subprocess."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

D = dt.date


def test_the_template_has_the_plugin_fields(jst, tmp_path):
    out = tmp_path / "t.xlsx"
    assert jst.invoke("template", "jst", "-o", out).exit_code == 0
    cohort_labels = [row[0] for row in jst.sheet_rows(out, "Cohort")]
    assert "Host city" in cohort_labels and "Application deadline" in cohort_labels
    header = jst.sheet_rows(out, "Participants")[0]
    assert "Application date" in header and "Carried over from" in header
    assert "FollowUps" in [name for name in _sheetnames(out)]


def _sheetnames(path):
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return book.sheetnames
    finally:
        book.close()


def test_validate_a_filled_workbook(jst, write_tour):
    path = write_tour(
        "tour.xlsx",
        end=D(2020, 1, 26),
        cohort={"host_city": None},
        participants=[
            jst.person("P01"),
            jst.person("P02", home_country="CH", application_date=D(2019, 10, 1)),
            jst.person("P03", position_level="staff"),
        ],
    )
    out = jst.invoke_json("validate", "--json", path, exit_code=1)
    (file,) = out["files"]
    found = sorted((f["code"], f["severity"], f["subject"], f["cell"]) for f in file["findings"])
    assert found == [
        ("jst.country-not-covered", "error", "P02", "K3"),
        ("jst.host-city-missing", "warning", "jst-2020", "B14"),
        ("jst.late-application", "warning", "P02", "Z3"),
        ("jst.position-not-senior", "error", "P03", "P4"),
        ("jst.tour-length", "error", "jst-2020", "B8"),
    ]
    labels = {row[0]: f"B{number}" for number, row in enumerate(jst.sheet_rows(path, "Cohort"), 1)}
    assert (labels["End date"], labels["Host city"]) == ("B8", "B14")  # the cells named
    ja = jst.invoke_json("validate", "--json", "--lang", "ja", path, exit_code=1)
    assert all(not f["message"].isascii() for f in ja["files"][0]["findings"])


def test_a_valid_tour_validates_and_reports(jst, write_tour, tmp_path):
    path = write_tour(
        "tour.xlsx",
        participants=jst.people(8),
        costs=[
            {
                "cost_id": "C1",
                "item": "airfare",
                "amount": 900,
                "currency": "GBP",
                "participant_id": "P01",
            },
            {"cost_id": "C2", "item": "accommodation", "amount": 1_000_000, "currency": "JPY"},
        ],
        follow_ups=[
            {
                "follow_up_id": "feedback-2020",
                "kind": "feedback_session",
                "date": D(2020, 3, 6),
                "location": "Japan House London",
            },
        ],
    )
    assert jst.invoke("validate", path).exit_code == 0
    out = jst.invoke_json("report", path, "--json", exit_code=0)
    assert [(c["item"], c["payer"], c["amount"]) for c in out["costs"]] == [
        ("airfare", "participant", 900),
        ("accommodation", "CLAIR", 1_000_000),
    ]
    assert [p["kind"] for p in out["phases"]] == [
        "clair_orientation",
        "tokyo_site_visits",
        "host_city",
    ]
    (feedback,) = out["follow_ups"]
    assert (feedback["date"], feedback["due_from"], feedback["due_to"]) == (
        "2020-03-06",
        "2020-02-25",
        "2020-04-25",
    )
    assert feedback["participant_ids"] == [f"P{i:02d}" for i in range(1, 9)]


def test_settings_sheet_and_set_override(jst, write_tour):
    path = write_tour(
        "tour.xlsx",
        end=D(2020, 1, 27),
        participants=[jst.person()],
        settings=[{"setting": "tour_days", "value": 9}],
    )
    assert jst.invoke("validate", path).exit_code == 0
    assert jst.invoke("validate", path, "--set", "tour_days=7").exit_code == 1


def test_validate_and_report_as_a_subprocess(jst, write_tour, tmp_path):
    path = write_tour("tour.xlsx", participants=[jst.person(home_country="US")])
    done = subprocess.run(
        [sys.executable, "-m", "kenshu", "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    (file,) = json.loads(done.stdout)["files"]
    assert [f["code"] for f in file["findings"]] == ["jst.country-not-covered"]
    report = tmp_path / "report.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "kenshu", "report", str(path), "-o", str(report)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Host city: Tsu City, Mie." in done.stdout
    assert report.exists()


def test_the_jst_commands_are_listed(jst):
    result = jst.invoke("jst", "--help")
    assert result.exit_code == 0
    for command in ("alumni", "carry-over", "invite"):
        assert command in result.stdout
