"""The README documents every setting (as ``kenshu schema leaders-vietnam`` has it), every
finding code, the documented editions and the install commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kenshu_leaders_vietnam
import pytest
from kenshu.testing.readme import settings_problems, source_finding_codes, table_rows, undocumented
from kenshu_leaders_vietnam.editions import EDITIONS

README = Path(__file__).resolve().parent.parent / "README.md"
SOURCES = Path(kenshu_leaders_vietnam.__file__).resolve().parent


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schema(lv) -> dict[str, Any]:
    return lv.invoke_json("schema", "leaders-vietnam", "--json", exit_code=0)


def test_every_setting_is_in_the_readme_table(readme, schema):
    assert "leaders_vietnam" in {s["owner"] for s in schema["settings"]}
    # kenshu's and the plugin's settings: default, type, meaning, source and a basis for
    # each; nothing documented that the schema does not have
    problems = settings_problems(readme, "leaders-vietnam", owners=("core", "leaders_vietnam"))
    assert problems == []


def test_every_finding_code_is_documented(readme):
    codes = source_finding_codes(SOURCES, "leaders_vietnam")
    assert len(codes) >= 20
    missing = undocumented(readme, codes)
    assert missing == [], f"finding codes missing from the README: {missing}"


def test_the_editions_table_matches_the_code(readme):
    rows = {int(row[0]): row for row in table_rows(readme) if row[0].isdigit()}
    assert set(rows) == set(EDITIONS)
    for edition, (first, last, _) in EDITIONS.items():
        assert rows[edition][1:3] == [first.isoformat(), last.isoformat()]


def test_install_and_sources_are_stated(readme):
    assert "pip install kenshu-leaders-vietnam" in readme
    assert "pip install . plugins/leaders_vietnam" in readme
    assert "Resolution 202/2025/QH15" in readme and "vietnam-provinces" in readme
    assert "16 participants from 11 provinces and 3 central cities" in readme
