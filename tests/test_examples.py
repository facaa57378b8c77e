"""The LGOTP example cohort that ``make demo`` runs on: the committed workbooks match their
JSON source, and validating and reporting them gives exactly the problems planted in them."""

from __future__ import annotations

import json
from pathlib import Path

import kenshu.testing
import pytest
from click.testing import Result
from kenshu.testing import sheet_dicts
from kenshu.testing.examples import assert_matches_json
from kenshu_lgotp.plugin import EXAMPLES

SOURCE = EXAMPLES / "lgotp-fy2024.json"
WORKBOOKS = ("lgotp-fy2024.xlsx", "lgotp-fy2024-ja.xlsx")

#: The problems planted in the example, as (code, subject): each one a real office would catch.
PLANTED = {
    ("lgotp.stay-too-short", "lg24-15"),  # Nankoku's "six months" ends six days early
    ("core.unknown-reference", "lg24-16"),  # host_id typed "ashikta-town"
    ("lgotp.language-level", "lg24-17"),  # English B1, JLPT N4
    ("lgotp.not-recommended", "lg24-22"),  # recommendation letter still awaited
    ("lgotp.host-over-capacity", "lg24-05"),  # Fukuoka City takes two, capacity one:
    ("lgotp.host-over-capacity", "lg24-06"),  # flagged on both trainees' rows
    ("lgotp.placed-away-from-nominator", "lg24-09"),  # Kanazawa nominated, Tottori hosts
    ("lgotp.leadership-evidence-missing", "lg24-19"),
    ("lgotp.cost-unassigned", "lg24-07-liv"),  # Nagasaki's living allowance: no rule covers it
}
ERRORS = {
    "lgotp.stay-too-short",
    "core.unknown-reference",
    "lgotp.language-level",
    "lgotp.not-recommended",
}
LGOTP_HOST_KINDS = {
    "prefecture",
    "designated_city",
    "core_city",
    "city",
    "town",
    "village",
    "special_ward",
}


def invoke(*args: str) -> Result:
    """``kenshu ARGS`` in-process, with the installed plugins."""
    return kenshu.testing.invoke(*args, catch_exceptions=False)


def source() -> dict:
    return json.loads(SOURCE.read_text(encoding="utf-8"))


def validate_json(path: Path) -> list[dict]:
    """The findings of ``kenshu validate --json PATH``, which must exit 1 (errors found)."""
    result = invoke("validate", "--json", str(path))
    assert result.exit_code == 1, result.output
    (file,) = json.loads(result.stdout)["files"]
    return file["findings"]


def test_the_example_shows_every_kind_of_host_and_a_kept_unknown_column() -> None:
    data = source()
    assert {h["kind"] for h in data["hosts"]} == LGOTP_HOST_KINDS
    assert len(data["participants"]) >= 22
    assert data["unknown_columns"] == {"participants": ["Memo"]}
    assert any("Memo" in p.get("_unknown", {}) for p in data["participants"])


@pytest.mark.parametrize("name", WORKBOOKS)
def test_committed_workbook_matches_the_json(name: str, tmp_path: Path) -> None:
    # dictionaries compare without regard to key order; lists (rows) keep theirs
    assert_matches_json(
        EXAMPLES / name, SOURCE, tmp_path, tool="plugins/lgotp/tools/build_examples.py"
    )


@pytest.mark.parametrize("name", WORKBOOKS)
def test_validate_finds_exactly_the_planted_problems(name: str) -> None:
    findings = validate_json(EXAMPLES / name)
    pairs = [(f["code"], f["subject"]) for f in findings]
    assert sorted(pairs) == sorted(PLANTED)  # each once, nothing else
    for f in findings:
        assert f["severity"] == ("error" if f["code"] in ERRORS else "warning"), f
        assert f["cell"], f  # every finding points at the cell to fix


def test_english_and_japanese_workbooks_give_the_same_findings() -> None:
    def comparable(name: str) -> list[tuple]:
        # everything but the sheet's name, which is in the workbook's language
        # sorted: findings are ordered by sheet name, which differs between the languages
        return sorted(
            (f["code"], f["severity"], f["subject"], f["cell"], f["message"])
            for f in validate_json(EXAMPLES / name)
        )

    english, japanese = (comparable(name) for name in WORKBOOKS)
    assert english == japanese
    sheets = {f["sheet"] for f in validate_json(EXAMPLES / "lgotp-fy2024-ja.xlsx")}
    assert sheets == {"参加者", "費用"}


@pytest.mark.parametrize(
    ("name", "lang", "classes", "costs", "findings"),
    [
        ("lgotp-fy2024.xlsx", "en", "Classes", "Costs", "Findings"),
        ("lgotp-fy2024-ja.xlsx", "ja", "クラス", "費用", "指摘事項"),
    ],
)
def test_report_splits_classes_and_explains_every_cost(
    name: str, lang: str, classes: str, costs: str, findings: str, tmp_path: Path
) -> None:
    out = tmp_path / "report.xlsx"
    result = invoke("report", str(EXAMPLES / name), "-o", str(out), "--lang", lang)
    assert result.exit_code == 1, result.output  # written, and the cohort has errors
    summary = {
        "en": "JIAM Japanese classes: 3 (8+7+7)",
        "ja": "JIAMの日本語クラス: 3クラス(8+7+7人)",
    }
    assert summary[lang] in result.output  # the summary follows --lang
    data = source()

    # JIAM classes: 22 trainees by placement score, highest first, 8+7+7
    groups = sheet_dicts(out, classes)
    assert [g["size"] for g in groups] == [8, 7, 7]
    by_score = sorted(
        data["participants"], key=lambda p: (-p["placement_test_score"], p["participant_id"])
    )
    ranked = [p["participant_id"] for p in by_score]
    assert [g["participant_ids"].split("; ") for g in groups] == [
        ranked[:8],
        ranked[8:15],
        ranked[15:],
    ]

    # costs: one report line per workbook line, each with a payer, route and explanation
    kind = {h["host_id"]: h["kind"] for h in data["hosts"]}
    host_of = {p["participant_id"]: p["host_id"] for p in data["participants"]}
    lines = sheet_dicts(out, costs)
    assert [c["cost_id"] for c in lines] == [c["cost_id"] for c in data["costs"]]
    for line in lines:
        assert line["explanation"], line
        assert line["currency"] == "JPY"
        if line["item"] == "living_allowance":
            assert (line["payer"], line["reimbursement"]) == ("unassigned", None)
            continue
        host = host_of[line["participant_id"]]
        assert line["payer"] == host
        expected_route = (
            "ordinary_local_allocation_tax"
            if kind[host] == "prefecture"
            else "special_local_allocation_tax"
        )
        assert line["reimbursement"] == expected_route, line
    assert {c["item"] for c in lines} == {
        "airfare",
        "accommodation",
        "training",
        "domestic_travel",
        "insurance",
        "living_allowance",
    }

    # the report's findings: the planted ones, once each
    reported = sorted((f["code"], f["subject"]) for f in sheet_dicts(out, findings))
    assert reported == sorted(PLANTED)
