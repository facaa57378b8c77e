"""The README documents every setting, field and finding code the plugin has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kenshu_lgotp
import pytest
from kenshu_lgotp.classes import split_sizes

PLUGIN = Path(__file__).resolve().parent.parent
README = PLUGIN / "README.md"
SOURCES = Path(kenshu_lgotp.__file__).resolve().parent


def table_rows(text: str) -> list[list[str]]:
    """The cells of every Markdown table row in ``text`` (separator rows left out)."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= {"|", "-", " "}:
            continue
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def rendered(default: Any) -> str:
    """A default as one writes it in the Settings sheet or after ``--set``."""
    if isinstance(default, bool):
        return "yes" if default else "no"
    if isinstance(default, list):
        return "; ".join(default)
    return str(default)


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schema(lg) -> dict[str, Any]:
    return lg.invoke_json("schema", "lgotp", "--json", exit_code=0)


def test_every_setting_is_in_the_readme_table(readme, schema):
    documented = {
        row[0].strip("`"): row
        for row in table_rows(readme)
        if len(row) == 6 and row[0].startswith("`")
    }
    settings = schema["settings"]
    assert {s["owner"] for s in settings} == {"core", "lgotp"}
    missing = [s["id"] for s in settings if s["id"] not in documented]
    assert missing == [], f"settings missing from the README table: {missing}"
    for s in settings:
        _, default, kind, meaning, source, basis = documented[s["id"]]
        assert default == f"`{rendered(s['default'])}`", s["id"]
        assert kind == s["type"], s["id"]
        assert meaning == s["help"], s["id"]
        assert source == s["source"], s["id"]
        assert basis, s["id"]
    # and nothing documented that the plugin does not have
    assert set(documented) == {s["id"] for s in settings}


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
    codes = set()
    for path in SOURCES.glob("*.py"):
        codes |= set(re.findall(r'"(lgotp\.[a-z-]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) >= 18
    missing = sorted(code for code in codes if f"`{code}`" not in readme)
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
