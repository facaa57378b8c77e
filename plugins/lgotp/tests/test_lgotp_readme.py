"""The README documents every setting, field and finding code the plugin has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kenshu_lgotp
import pytest
from kenshu.testing.readme import settings_problems, source_finding_codes, table_rows, undocumented
from kenshu_lgotp.classes import split_sizes

PLUGIN = Path(__file__).resolve().parent.parent
README = PLUGIN / "README.md"
SOURCES = Path(kenshu_lgotp.__file__).resolve().parent


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schema(lg) -> dict[str, Any]:
    return lg.invoke_json("schema", "lgotp", "--json", exit_code=0)


def test_every_setting_is_in_the_readme_table(readme, schema):
    assert {s["owner"] for s in schema["settings"]} == {"core", "lgotp"}
    # default, type, meaning, source and a basis for each; nothing the plugin does not have
    assert settings_problems(readme, "lgotp") == []


def test_assumed_defaults_are_marked(readme):
    rows = {row[0].strip("`"): row[-1] for row in table_rows(readme) if len(row) == 6}
    for setting in ("min_english_level", "min_japanese_level"):
        assert "kenshu default" in rows[setting]
    for setting in ("ordinary_lat_host_kinds", "special_lat_host_kinds"):
        assert "seed 002 only" in rows[setting]


def test_every_plugin_field_is_documented(readme, schema):
    fields = [
        f["id"] for sheet in schema["sheets"] for f in sheet["fields"] if f["source"] == "lgotp"
    ]
    assert len(fields) == 5
    documented = {row[0].strip("`") for row in table_rows(readme) if len(row) == 4}
    assert set(fields) <= documented


def test_every_finding_code_is_documented(readme):
    codes = source_finding_codes(SOURCES, "lgotp")
    assert len(codes) >= 18
    missing = undocumented(readme, codes)
    assert missing == [], f"finding codes missing from the README: {missing}"


def test_the_class_table_matches_the_rule(readme):
    rows = {
        row[0]: row[1:]
        for row in table_rows(readme)
        if row[0] in ("Trainees", "Classes", "Warning")
    }
    assert len(rows) == 3
    for count, plan, warning in zip(
        rows["Trainees"], rows["Classes"], rows["Warning"], strict=True
    ):
        sizes, within = split_sizes(int(count), 6, 8)
        assert plan == "+".join(map(str, sizes)), count
        assert (warning == "yes") is (not within), count


def test_install_and_sources_are_stated(readme):
    assert "pip install kenshu-lgotp" in readme
    assert "pip install . plugins/lgotp" in readme
    assert "Seed 001" in readme and "Seed 002" in readme
    assert "https://www.clair.or.jp/j/cooperation/lgotp/lgotp.html" in readme
