"""The JST example tours that ``make demo`` runs on: the committed workbooks match their JSON
sources, and validating and reporting them gives exactly the problems planted in them."""

from __future__ import annotations

from pathlib import Path

import pytest
from kenshu.testing.examples import assert_matches_json
from kenshu_jst.plugin import EXAMPLES, PROGRAMME

WORKBOOKS = {
    "jst-2017.xlsx": "jst-2017.json",
    "jst-2019.xlsx": "jst-2019.json",
    "jst-2020.xlsx": "jst-2020.json",
    "jst-2020-ja.xlsx": "jst-2020.json",
    "jst-2021.xlsx": "jst-2021.json",
}
#: The problems planted in JST 2020, as (code, severity, subject, cell).
PLANTED_2020 = {
    ("jst.country-not-covered", "error", "P07", "K8"),  # Stadt Zürich: CH is not covered
    ("jst.position-borderline", "warning", "P03", "P4"),  # a manager
    ("jst.late-application", "warning", "P05", "Z6"),  # 1 October 2019, a day late
    ("jst.cost-unassigned", "warning", "C06", "B7"),  # travel insurance: no rule says who pays
}
#: What the other tours give: nothing, and the postponement note.
EXPECTED = {
    "jst-2017.xlsx": (0, set()),
    "jst-2019.xlsx": (0, set()),
    "jst-2020.xlsx": (1, PLANTED_2020),
    "jst-2020-ja.xlsx": (1, PLANTED_2020),
    "jst-2021.xlsx": (0, {("jst.postponed", "info", "jst-2021", "B9")}),
}


def test_the_programme_lists_every_example_workbook():
    assert sorted(Path(p).name for p in PROGRAMME.examples) == sorted(WORKBOOKS)


def test_kenshu_examples_lists_and_copies_them(jst, tmp_path):
    listed = jst.invoke("examples", "jst")
    assert listed.exit_code == 0, listed.output
    assert sorted(Path(line.split(": ", 1)[1]).name for line in listed.stdout.splitlines()) == (
        sorted(WORKBOOKS)
    )
    copied = jst.invoke("examples", "jst", "-o", tmp_path)
    assert copied.exit_code == 0
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(WORKBOOKS)


@pytest.mark.parametrize(("workbook", "source"), sorted(WORKBOOKS.items()))
def test_committed_workbook_matches_its_json(tmp_path, workbook, source):
    assert_matches_json(
        EXAMPLES / workbook, EXAMPLES / source, tmp_path, tool="plugins/jst/tools/build_examples.py"
    )


@pytest.mark.parametrize("workbook", sorted(EXPECTED))
def test_validate_finds_exactly_the_planted_problems(jst, workbook):
    exit_code, expected = EXPECTED[workbook]
    out = jst.invoke_json("validate", "--json", EXAMPLES / workbook, exit_code=exit_code)
    (file,) = out["files"]
    found = {(f["code"], f["severity"], f["subject"], f["cell"]) for f in file["findings"]}
    assert found == expected
    assert len(file["findings"]) == len(expected)  # each once, nothing else


def test_the_report_of_jst_2020(jst, tmp_path):
    out = tmp_path / "report.xlsx"
    result = jst.invoke("report", EXAMPLES / "jst-2020.xlsx", "-o", out)
    assert result.exit_code == 1, result.output  # written; the tour has an error (P07)
    lines = result.stdout.splitlines()
    assert "From 2020-01-19 to 2020-01-25 (7 days, both included)." in lines
    assert (
        "Theme: Japanese Municipalities Investing in the Future. Host city: Tsu City, Mie."
    ) in lines
    assert "Paid by CLAIR: 1,860,000 JPY." in lines
    assert "Paid by the participants or their employers: 980 GBP." in lines
    assert any(
        line.startswith("Feedback session feedback-2020: 2020-03-06, Japan House London")
        for line in lines
    )
    schedule = jst.sheet_dicts(out, "Schedule")
    assert [(p["kind"], str(p["start_date"])[:10], str(p["end_date"])[:10]) for p in schedule] == [
        ("clair_orientation", "2020-01-19", "2020-01-19"),
        ("tokyo_site_visits", "2020-01-20", "2020-01-21"),
        ("host_city", "2020-01-22", "2020-01-25"),
    ]
    costs = jst.sheet_dicts(out, "Costs")
    assert [(c["cost_id"], c["payer"]) for c in costs] == [
        ("C01", "participant"),
        ("C02", "participant"),
        ("C03", "CLAIR"),
        ("C04", "CLAIR"),
        ("C05", "CLAIR"),
        ("C06", "unassigned"),
    ]
    assert all(c["explanation"] for c in costs)
    follow_ups = jst.sheet_dicts(out, "FollowUps")
    assert [f["follow_up_id"] for f in follow_ups] == ["feedback-2020", "reception-2020"]
    # the report's findings: the planted ones, once each
    reported = sorted((f["code"], f["subject"]) for f in jst.sheet_dicts(out, "Findings"))
    assert reported == sorted((code, subject) for code, _, subject, _ in PLANTED_2020)


def test_the_report_of_the_postponed_jst_2021(jst):
    out = jst.invoke_json("report", EXAMPLES / "jst-2021.xlsx", "--json", exit_code=0)
    assert out["phases"] == [] and out["costs"] == [] and out["follow_ups"] == []
    assert any(
        s.startswith("The tour is postponed: no schedule, costs or feedback session")
        and "its 3 accepted participant(s)" in s
        for s in out["summary"]
    )
    assert "Host city: Shizuoka City." in out["summary"]


def test_the_japanese_workbook_reports_in_japanese(jst):
    out = jst.invoke_json("report", EXAMPLES / "jst-2020-ja.xlsx", "--json", exit_code=1)
    assert "CLAIRの負担: 1,860,000 JPY。" in out["summary"]
    assert all(not f["message"].isascii() for f in out["findings"])
