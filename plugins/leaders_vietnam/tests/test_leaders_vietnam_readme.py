"""The README documents every setting (as ``kenshu schema leaders-vietnam`` has it), every
finding code, the documented editions and the install commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kenshu_leaders_vietnam
import pytest
from kenshu_leaders_vietnam.editions import EDITIONS

README = Path(__file__).resolve().parent.parent / "README.md"
SOURCES = Path(kenshu_leaders_vietnam.__file__).resolve().parent


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
    """A default as the README writes it: as after ``--set``, in backticks; ``(empty)``."""
    if isinstance(default, bool):
        default = "yes" if default else "no"
    if isinstance(default, list):
        if not default:
            return "(empty)"
        default = "; ".join(default)
    return f"`{default}`"


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schema(lv) -> dict[str, Any]:
    return lv.invoke_json("schema", "leaders-vietnam", "--json", exit_code=0)


def test_every_setting_is_in_the_readme_table(readme, schema):
    documented = {
        row[0].strip("`"): row
        for row in table_rows(readme)
        if len(row) == 6 and row[0].startswith("`")
    }
    settings = schema["settings"]
    owners = {s["owner"] for s in settings}
    assert "leaders_vietnam" in owners
    ours = [s for s in settings if s["owner"] in ("core", "leaders_vietnam")]
    missing = [s["id"] for s in ours if s["id"] not in documented]
    assert missing == [], f"settings missing from the README table: {missing}"
    for s in ours:
        _, default, kind, meaning, source, basis = documented[s["id"]]
        assert default == rendered(s["default"]), s["id"]
        assert kind == s["type"], s["id"]
        assert meaning == s["help"], s["id"]
        assert source == s["source"], s["id"]
        assert basis, s["id"]
    # and nothing documented that the schema does not have
    assert set(documented) == {s["id"] for s in ours}


def test_every_finding_code_is_documented(readme):
    codes = set()
    for path in SOURCES.glob("*.py"):
        codes |= set(re.findall(r'"(leaders_vietnam\.[a-z-]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) >= 20
    missing = sorted(code for code in codes if f"`{code}`" not in readme)
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
