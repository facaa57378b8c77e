"""The README documents every setting, field and finding code the plugin has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kenshu_jst
import pytest

PLUGIN = Path(__file__).resolve().parent.parent
README = PLUGIN / "README.md"
SOURCES = Path(kenshu_jst.__file__).resolve().parent


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
def schema(jst) -> dict[str, Any]:
    return jst.invoke_json("schema", "jst", "--json", exit_code=0)


def test_every_setting_is_in_the_readme_table(readme, schema):
    documented = {
        row[0].strip("`"): row
        for row in table_rows(readme)
        if len(row) == 6 and row[0].startswith("`")
    }
    settings = schema["settings"]
    assert {s["owner"] for s in settings} == {"core", "jst"}
    missing = [s["id"] for s in settings if s["id"] not in documented]
    assert missing == [], f"settings missing from the README table: {missing}"
    for s in settings:
        _, default, kind, meaning, source, basis = documented[s["id"]]
        assert default == f"`{rendered(s['default'])}`", s["id"]
        assert kind == s["type"], s["id"]
        assert meaning == s["help"], s["id"]
        assert source == s["source"], s["id"]
        assert basis, s["id"]
    assert set(documented) == {s["id"] for s in settings}  # nothing the plugin lacks


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
    codes = set()
    for path in SOURCES.glob("*.py"):
        codes |= set(re.findall(r'"(jst\.[a-z-]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) >= 16
    missing = sorted(code for code in codes if f"`{code}`" not in readme)
    assert missing == [], f"finding codes missing from the README: {missing}"


def test_install_commands_and_sources_are_stated(readme):
    assert "pip install kenshu-jst" in readme
    assert "pip install . plugins/jst" in readme
    for command in ("kenshu jst carry-over", "kenshu jst alumni", "kenshu jst invite"):
        assert command in readme
    assert "Seed 003" in readme
    assert "https://www.jlgc.org.uk/en/about-jlgc" in readme
