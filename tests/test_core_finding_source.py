"""A finding's ``source`` names the plugin that made it, however the finding was built.

The registry tells ``CohortData`` which plugin is answering, so ``data.finding(...)`` builds
findings with the plugin's name at once; a ``Finding(...)`` made by hand is still given it.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from helpers import json_output, run_cli, state_for
from kenshu import CohortData, Finding, Participant, hookimpl
from kenshu.plugins import PluginRegistry
from kenshu.validate import validate

LGOTP = metadata.EntryPoint(name="lgotp", value="kenshu_lgotp.plugin", group="kenshu")


class Stamper:
    """A cross-cutting plugin whose findings are built in every way a plugin can."""

    def __init__(self) -> None:
        self.answering: list[str] = []

    @hookimpl
    def kenshu_check_cohort(self, data: CohortData) -> Iterator[Finding]:
        self.answering.append(data.answering)
        yield data.warning(
            "stamper.built", "through data.warning", ja="data.warning", sheet="hosts"
        )
        yield Finding(code="stamper.by-hand", severity="info", message="by hand")
        yield data.info("stamper.explicit", "names another source", source="elsewhere", ja="他")

    @hookimpl
    def kenshu_check_participant(self, data: CohortData, participant: Participant) -> list[Finding]:
        return [data.info("stamper.participant", "each", ja="各", record=participant)]


class FailsHalfway:
    """Yields one finding, then raises: its findings are dropped, its name is restored."""

    @hookimpl
    def kenshu_check_cohort(self, data: CohortData) -> Iterator[Finding]:
        yield data.warning("halfway.first", "first", ja="最初")
        raise RuntimeError("broken rule")


def _registry(*plugins: tuple[Any, str]) -> PluginRegistry:
    registry = PluginRegistry.discover(entry_points=[LGOTP])
    for plugin, name in plugins:
        registry.add(plugin, name)
    return registry


def test_sources_through_the_command_line(valid_book: Path) -> None:
    stamper = Stamper()
    registry = _registry((stamper, "stamper"), (FailsHalfway(), "halfway"))
    result = run_cli("validate", "--json", str(valid_book), state=state_for(registry))
    assert result.exit_code == 0, result.output
    findings = json_output(result)["files"][0]["findings"]
    sources = {f["code"]: f["source"] for f in findings}
    assert sources["stamper.built"] == "stamper"
    assert sources["stamper.by-hand"] == "stamper"
    assert sources["stamper.explicit"] == "elsewhere"
    assert sources["stamper.participant"] == "stamper"
    assert sources["core.plugin-failed"] == "halfway"
    assert "halfway.first" not in sources
    # lgotp's own findings carry its name, the core's "core"
    assert {f["source"] for f in findings if f["code"].startswith("lgotp.")} == {"lgotp"}
    assert stamper.answering == ["stamper"]


def test_answering_is_core_outside_hooks(valid_book: Path) -> None:
    from kenshu.io import load_cohort

    registry = _registry((Stamper(), "stamper"), (FailsHalfway(), "halfway"))
    data, reading, schema = load_cohort(valid_book, registry)
    assert data.answering == "core"
    validation = validate(data, registry, schema, reading)
    assert data.answering == "core"  # restored after each plugin, also after one that raised
    assert data.error("core.x", "x", ja="x").source == "core"
    codes = [f.code for f in validation.findings if f.source == "stamper"]
    assert codes.count("stamper.participant") == len(data.participants)
