"""The README documents every setting (checked against ``kenshu schema CODE``), field and
finding code the plugin has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kenshu_hokkaido
import pytest
from kenshu.testing.readme import (
    settings_problems,
    settings_table,
    source_finding_codes,
    table_rows,
    undocumented,
)
from kenshu_hokkaido import programmes as P

PLUGIN = Path(__file__).resolve().parent.parent
README = PLUGIN / "README.md"
SOURCES = Path(kenshu_hokkaido.__file__).resolve().parent


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schemas(hk) -> dict[str, dict[str, Any]]:
    return {code: hk.invoke_json("schema", code, "--json", exit_code=0) for code in P.CODES}


def test_every_setting_is_in_the_readme_table(readme):
    # each programme's own settings (kenshu's are in kenshu's docs): default, type, meaning,
    # source and the programmes column for each; nothing documented that no programme has
    assert settings_problems(readme, P.CODES, owners={"hokkaido"}) == []


def test_the_programmes_column_names_each_programme_of_a_setting(readme, schemas):
    documented = settings_table(readme)
    for code, schema in schemas.items():
        for s in schema["settings"]:
            if s["owner"] != "hokkaido":
                continue
            programmes = documented[s["id"]][-1]
            assert programmes == "all six" or code.removeprefix("hokkaido-") in programmes.split(
                ", "
            ), (code, s["id"])


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
    codes = source_finding_codes(SOURCES, "hokkaido")
    assert len(codes) >= 24
    missing = undocumented(readme, codes)
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


def test_the_annual_report_is_documented(readme):
    from kenshu_hokkaido.annual import _TITLES_JA, _sheets, build_annual

    section = readme[readme.index("## The annual report") : readme.index("## Settings")]
    flat = " ".join(section.split())
    for title, _, _ in _sheets(build_annual([], 2024)):
        assert title in flat, title
    names = ", ".join(list(_TITLES_JA.values())[:-1]) + f" and {_TITLES_JA['Excluded']}"
    assert names in flat
    assert "--lang ja" in section and "counted once" in section
    assert "hokkaido-lectures-fy2024-ja.xlsx" in section
