"""kenshu.testing's README and example helpers find what they are meant to find.

``kenshu.testing.readme`` checks a plugin README's settings table against ``kenshu schema``;
``kenshu.testing.examples`` builds example workbooks from JSON and checks them against it.
Both are run here against the LGOTP plugin's README and example, and against copies broken
on purpose.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import kenshu_lgotp
import pytest
from kenshu.testing import (
    finding_codes,
    invoke,
    invoke_json,
    isolated_registry,
    make_cohort,
    only_finding,
    sheet_dicts,
    validate_cohort,
)
from kenshu.testing.examples import assert_matches_json, build_examples, converted_json
from kenshu.testing.readme import (
    rendered_default,
    settings_problems,
    settings_table,
    source_finding_codes,
    table_rows,
    undocumented,
)
from kenshu_lgotp.plugin import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "plugins" / "lgotp" / "README.md"
ROW = "| `min_months` | `6` | integer | Shortest stay in Japan, in calendar months, both ends inclusive. |"


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_table_rows_leave_out_separators_and_strip_cells() -> None:
    text = "Intro\n\n| A | B |\n|---|---|\n|  `x` | 1 |\nnot | a row\n"
    assert table_rows(text) == [["A", "B"], ["`x`", "1"]]


@pytest.mark.parametrize(
    ("default", "written"),
    [(True, "`yes`"), (False, "`no`"), (6, "`6`"), (["a", "b"], "`a; b`"), ([], "(empty)")],
)
def test_defaults_are_written_as_after_set(default, written) -> None:
    assert rendered_default(default) == written


def test_the_lgotp_readme_has_no_problem(readme: str) -> None:
    assert settings_problems(README, "lgotp") == []
    assert settings_problems(readme, ["lgotp"], owners={"core", "lgotp"}) == []
    assert "min_months" in settings_table(readme)


def test_a_missing_an_extra_and_a_wrong_setting_are_each_named(readme: str) -> None:
    assert ROW in readme
    broken = readme.replace(ROW, ROW.replace("`min_months` | `6`", "`min_monthz` | `7`"))
    broken = broken.replace("| integer | Longest stay", "| number | Longest stay")
    problems = settings_problems(broken, "lgotp")
    assert "lgotp: setting `min_months` is missing from the README table" in problems
    assert "setting `min_monthz` is in the README table but not in the schema of lgotp" in problems
    assert any(p.startswith("lgotp: setting `max_months`: the README's type") for p in problems)
    assert len(problems) == 3, problems


def test_a_wrong_default_help_source_or_an_empty_basis_is_named(readme: str) -> None:
    (row,) = [line for line in readme.splitlines() if line.startswith("| `max_months` |")]
    cells = row.strip("|").split("|")
    cells[1], cells[3], cells[4], cells[5] = " `13` ", " Other help. ", " nowhere ", " "
    problems = settings_problems(readme.replace(row, "|" + "|".join(cells) + "|"), "lgotp")
    assert [p.split(": ", 2)[2].split(" is ")[0] for p in problems] == [
        "the README's default",
        "the README's meaning",
        "the README's source",
        "the README's last column",
    ]


def test_a_setting_documented_twice_is_named(readme: str) -> None:
    (row,) = [line for line in readme.splitlines() if line.startswith("| `min_months` |")]
    problems = settings_problems(readme.replace(row, f"{row}\n{row}"), "lgotp")
    assert problems == ["setting `min_months` is in the README table 2 times"]


def test_owners_filter_and_a_programme_without_such_settings(readme: str) -> None:
    # only the plugin's own settings are wanted: kenshu's documented ones are then extra
    problems = settings_problems(readme, "lgotp", owners={"lgotp"})
    assert (
        "setting `max_archive_entries` is in the README table but not in the schema of lgotp"
        in (problems)
    )
    assert settings_problems("", "lgotp", owners={"nobody"}) == [
        "lgotp: kenshu schema lists no setting owned by nobody"
    ]


def test_finding_codes_of_the_source_and_the_undocumented_ones(readme: str) -> None:
    codes = source_finding_codes(kenshu_lgotp, "lgotp")
    assert "lgotp.stay-too-short" in codes and len(codes) >= 18
    assert undocumented(readme, codes) == []
    assert undocumented(readme, [*codes, "lgotp.not-a-code"]) == ["lgotp.not-a-code"]
    assert source_finding_codes(Path(kenshu_lgotp.__file__).parent, "lgotp") == codes


def test_the_cli_helpers_and_finding_pickers(tmp_path: Path) -> None:
    registry = isolated_registry("kenshu_lgotp.plugin")
    listed = invoke("programmes", registry=registry)
    assert listed.exit_code == 0 and "lgotp" in listed.output
    schema = invoke_json("schema", "lgotp", "--json", exit_code=0, registry=registry)
    assert schema["programme"] == "lgotp"
    data = make_cohort("lgotp", participants=[{"participant_id": "P1"}])
    findings = validate_cohort(data, registry).findings
    lgotp = finding_codes(findings, "lgotp.")
    assert lgotp and all(code.startswith("lgotp.") for code in lgotp)
    assert finding_codes(findings, ("lgotp.", "core.")) == [f.code for f in findings]
    as_json = [{"code": code} for code in ("a.x", "a.y", "a.x")]
    assert only_finding(as_json, "a.y") == {"code": "a.y"}
    with pytest.raises(AssertionError, match=re.escape("expected one a.x")):
        only_finding(as_json, "a.x")
    with pytest.raises(AssertionError):
        only_finding(as_json, "a.z")


def test_build_examples_writes_every_workbook_and_they_match_their_json(tmp_path: Path) -> None:
    builds = [("lgotp-fy2024.json", "mine.xlsx", "en"), ("lgotp-fy2024.json", "mine-ja.xlsx", "ja")]
    build_examples(EXAMPLES, builds, ["--out", str(tmp_path / "out")])
    for _, name, _ in builds:
        assert_matches_json(tmp_path / "out" / name, EXAMPLES / "lgotp-fy2024.json", tmp_path)
    source = json.loads((EXAMPLES / "lgotp-fy2024.json").read_text(encoding="utf-8"))
    rows = sheet_dicts(tmp_path / "out" / "mine.xlsx", "Participants")
    assert len(rows) == len(source["participants"])
    assert rows[0]["Participant ID"] == source["participants"][0]["participant_id"]


def test_a_workbook_that_drifted_from_its_json_fails(tmp_path: Path) -> None:
    source = json.loads((EXAMPLES / "lgotp-fy2024.json").read_text(encoding="utf-8"))
    source["participants"][0]["family_name"] = "Changed"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(source), encoding="utf-8")
    with pytest.raises(
        AssertionError, match=re.escape("lgotp-fy2024.xlsx is out of date: run build.py")
    ):
        assert_matches_json(EXAMPLES / "lgotp-fy2024.xlsx", changed, tmp_path, tool="build.py")
    # a top-level key left out of the comparison
    back = converted_json(EXAMPLES / "lgotp-fy2024.xlsx", tmp_path)
    back["participants"] = []
    changed.write_text(json.dumps(back), encoding="utf-8")
    assert_matches_json(EXAMPLES / "lgotp-fy2024.xlsx", changed, tmp_path, ignore=["participants"])


def test_a_plugin_build_tool_fails_with_kenshus_message(tmp_path: Path) -> None:
    tool = tmp_path / "build_examples.py"
    tool.write_text(
        '"""Build the broken example."""\n'
        "from pathlib import Path\n"
        "from kenshu.testing.examples import build_examples\n"
        "build_examples(Path(__file__).parent, [('missing.json', 'out.xlsx', 'en')],"
        " description=__doc__)\n",
        encoding="utf-8",
    )
    helped = subprocess.run(
        [sys.executable, str(tool), "--help"], capture_output=True, text=True, check=False
    )
    assert helped.returncode == 0 and "Build the broken example." in helped.stdout
    done = subprocess.run([sys.executable, str(tool)], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("kenshu convert failed (2): ")
    assert "missing.json" in done.stderr
    assert not (tmp_path / "out.xlsx").exists()
