"""The README documents every setting, field and finding code the plugin has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kenshu_jst
import pytest
from kenshu.testing.readme import settings_problems, source_finding_codes, table_rows, undocumented

PLUGIN = Path(__file__).resolve().parent.parent
README = PLUGIN / "README.md"
SOURCES = Path(kenshu_jst.__file__).resolve().parent


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schema(jst) -> dict[str, Any]:
    return jst.invoke_json("schema", "jst", "--json", exit_code=0)


def test_every_setting_is_in_the_readme_table(readme, schema):
    assert {s["owner"] for s in schema["settings"]} == {"core", "jst"}
    # default, type, meaning, source and a basis for each; nothing the plugin lacks
    assert settings_problems(readme, "jst") == []


def test_every_plugin_field_is_documented(readme, schema):
    fields = [
        f["id"] for sheet in schema["sheets"] for f in sheet["fields"] if f["source"] == "jst"
    ]
    assert sorted(fields) == [
        "application_date",
        "application_deadline",
        "carried_from",
        "host_city",
    ]
    documented = {row[0].strip("`") for row in table_rows(readme) if len(row) == 4}
    assert set(fields) <= documented


def test_every_finding_code_is_documented(readme):
    codes = source_finding_codes(SOURCES, "jst")
    assert len(codes) >= 16
    missing = undocumented(readme, codes)
    assert missing == [], f"finding codes missing from the README: {missing}"


def test_install_commands_and_sources_are_stated(readme):
    assert "pip install kenshu-jst" in readme
    assert "pip install . plugins/jst" in readme
    for command in ("kenshu jst carry-over", "kenshu jst alumni", "kenshu jst invite"):
        assert command in readme
    assert "Seed 003" in readme
    assert "https://www.jlgc.org.uk/en/about-jlgc" in readme
