"""The README documents every setting (checked against ``kenshu schema CODE``), field and
finding code the plugin has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kenshu_hokkaido
import pytest
from kenshu_hokkaido import programmes as P

PLUGIN = Path(__file__).resolve().parent.parent
README = PLUGIN / "README.md"
SOURCES = Path(kenshu_hokkaido.__file__).resolve().parent


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
    if isinstance(default, bool):
        return "yes" if default else "no"
    if isinstance(default, list):
        return "; ".join(default)
    return str(default)


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schemas(hk) -> dict[str, dict[str, Any]]:
    return {code: hk.invoke_json("schema", code, "--json", exit_code=0) for code in P.CODES}


def documented_settings(readme: str) -> dict[str, list[str]]:
    return {
        row[0].strip("`"): row
        for row in table_rows(readme)
        if len(row) == 6 and row[0].startswith("`") and not row[0].startswith("`hokkaido.")
    }


def test_every_setting_is_in_the_readme_table(readme, schemas):
    documented = documented_settings(readme)
    seen = set()
    for code, schema in schemas.items():
        own = [s for s in schema["settings"] if s["owner"] == "hokkaido"]
        assert own, code
        for s in own:
            assert s["id"] in documented, f"{code}: setting {s['id']} missing from the README"
            _, default, kind, meaning, source, programmes = documented[s["id"]]
            assert default == f"`{rendered(s['default'])}`", s["id"]
            assert kind == s["type"], s["id"]
            assert meaning == s["help"], s["id"]
            assert source == s["source"], s["id"]
            assert programmes == "all six" or code.removeprefix("hokkaido-") in programmes.split(
                ", "
            )
            seen.add(s["id"])
    assert set(documented) == seen  # nothing documented that no programme has


def test_every_plugin_field_is_documented(readme, schemas):
    fields = {
        f["id"]
        for schema in schemas.values()
        for sheet in schema["sheets"]
        for f in sheet["fields"]
        if f["source"] == "hokkaido"
    }
    assert len(fields) == 7
    documented = {row[0].strip("`") for row in table_rows(readme) if len(row) == 4}
    assert fields <= documented


def test_every_finding_code_is_documented(readme):
    codes = set()
    for path in SOURCES.glob("*.py"):
        codes |= set(re.findall(r'"(hokkaido\.[a-z-]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) >= 24
    missing = sorted(code for code in codes if f"`{code}`" not in readme)
    assert missing == [], f"finding codes missing from the README: {missing}"


def test_install_programmes_and_sources_are_stated(readme):
    assert "pip install kenshu-hokkaido" in readme
    assert "pip install . plugins/hokkaido" in readme
    for code in P.CODES:
        assert f"`{code}`" in readme
    assert "Seed 004" in readme
    assert (
        "https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html"
        in readme
    )
