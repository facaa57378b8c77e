"""Broken plugins, hook by hook: each problem is named in one line, the other plugins keep
working, the outputs are still written, and ``--strict-plugins`` turns it into exit 2.

``tests/test_plugin_system.py`` covers loading (a plugin that fails to import, misspelt
hooks, API versions) and one example of each failure; here every hook of the catalogue is
broken in each way a plugin can break it (raising, returning the wrong type, failing
halfway through a generator), and a plugin that claims another plugin's programme code is
tried in both loading orders, through the real command line too.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from helpers import json_output, run_cli, run_kenshu, state_for
from kenshu import Programme, hookimpl
from kenshu.hookspecs import RESULT_TYPES, hook_names
from kenshu.plugins import PluginRegistry

LGOTP = metadata.EntryPoint(name="lgotp", value="kenshu_lgotp.plugin", group="kenshu")
#: The hooks validate and report call with a cohort (the others: at loading, or commands).
CALLED_HOOKS = sorted(RESULT_TYPES)


def broken_plugin(hook: str, how: str) -> Any:
    """A plugin object whose ``hook`` raises, returns the wrong type, or fails halfway."""

    def raises() -> Any:
        raise RuntimeError(f"{hook} is broken")

    def wrong_type() -> Any:
        return [object(), 42]

    def halfway() -> Any:
        yield from ()
        raise KeyError(f"{hook} failed halfway")

    body = {"raises": raises, "wrong-type": wrong_type, "halfway": halfway}[how]
    return type(f"Broken_{hook}", (), {hook: staticmethod(hookimpl(body))})()


def registry_with(*plugins: tuple[Any, str]) -> PluginRegistry:
    registry = PluginRegistry.discover(entry_points=[LGOTP])
    for plugin, name in plugins:
        registry.add(plugin, name)
    return registry


@pytest.mark.parametrize("how", ["raises", "wrong-type", "halfway"])
@pytest.mark.parametrize("hook", CALLED_HOOKS)
def test_every_hook_broken_every_way(hook: str, how: str, tmp_path: Path, valid_book: Path) -> None:
    def state() -> Any:
        return state_for(registry_with((broken_plugin(hook, how), "broken")))

    baseline = run_cli("report", "--json", str(valid_book), state=state_for(registry_with()))
    expected = json_output(baseline)

    report = tmp_path / "report.xlsx"
    result = run_cli(
        "report",
        "--json",
        str(valid_book),
        "-o",
        str(report),
        "--csv",
        str(tmp_path / "csv"),
        state=state(),
    )
    assert result.exit_code == baseline.exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert lines, "the problem must be reported"
    for line in lines:
        assert line.startswith("kenshu: plugin 'broken'"), line
        assert hook in line
    assert "Traceback" not in result.output
    payload = json_output(result)
    # lgotp kept working: the same programme, groups, costs and schedule
    assert payload["programme"] == "lgotp"
    for key in ("groups", "costs", "phases", "follow_ups"):
        if hook not in ("kenshu_fields", "kenshu_settings"):
            assert payload[key] == expected[key], key
    assert report.exists() and (tmp_path / "csv" / "Summary.csv").exists()
    if hook not in ("kenshu_fields", "kenshu_settings"):
        failed = [f for f in payload["findings"] if f["code"] == "core.plugin-failed"]
        assert failed and all(f["source"] == "broken" for f in failed)

    # report calls every hook (validate only the checks)
    strict = run_cli("--strict-plugins", "report", "--json", str(valid_book), state=state())
    assert strict.exit_code == 2
    assert "kenshu: plugin 'broken'" in strict.stderr
    assert "--strict-plugins: stopping" in strict.stderr


def test_every_hook_is_covered() -> None:
    others = set(hook_names()) - set(CALLED_HOOKS)
    assert others == {"kenshu_register_programmes", "kenshu_register_commands"}


@pytest.mark.parametrize("name", ["aaa", "zzz"])
def test_a_plugin_claiming_lgotp_loses_whatever_its_name(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, valid_book: Path
) -> None:
    """Plugins load by name: one named "aaa" loads before lgotp, "zzz" after."""
    module = f"kenshu_hijacker_{name}"
    (tmp_path / f"{module}.py").write_text(
        textwrap.dedent(
            """
            from kenshu import Programme, hookimpl

            @hookimpl
            def kenshu_register_programmes(register):
                register(Programme(code="lgotp", title="Not the real LGOTP"))

            @hookimpl
            def kenshu_check_cohort(data):
                raise AssertionError("must not check lgotp cohorts")
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    point = metadata.EntryPoint(name=name, value=module, group="kenshu")
    registry = PluginRegistry.discover(entry_points=[point, LGOTP])
    assert registry.programme("lgotp").plugin == "lgotp"
    assert registry.programme("lgotp").title.startswith("Local Government")
    assert registry.plugins[name].programmes == []
    assert registry.plugins["lgotp"].programmes == ["lgotp"]
    (problem,) = registry.problems
    assert problem.plugin == name
    assert problem.code == "plugin.programme-conflict"
    assert f"plugin {name!r} in kenshu_register_programmes: claims programme 'lgotp'" in (
        problem.line()
    )
    assert "plugin 'lgotp'" in problem.line()

    result = run_cli("validate", "--json", str(valid_book), state=state_for(registry))
    assert result.exit_code == 0, result.output
    assert not [f for f in json_output(result)["files"][0]["findings"] if f["source"] == name]


def test_a_hijacking_distribution_through_the_real_command_line(
    tmp_path: Path, valid_book: Path
) -> None:
    site = tmp_path / "site"
    info = site / "kenshu_evil-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kenshu-evil\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[kenshu]\naaa-evil = kenshu_evil_plugin\n")
    (site / "kenshu_evil_plugin.py").write_text(
        "from kenshu import Programme, hookimpl\n\n"
        "@hookimpl\n"
        "def kenshu_register_programmes(register):\n"
        "    register(Programme(code='lgotp', title='Evil'))\n"
    )
    env = {"PYTHONPATH": str(site)}
    listed = run_kenshu("programmes", "--json", env=env)
    assert listed.returncode == 0
    (line,) = listed.stderr.strip().splitlines()
    assert line.startswith("kenshu: plugin 'aaa-evil' in kenshu_register_programmes: ")
    assert "claims programme 'lgotp', which plugin 'lgotp' provides; ignored" in line
    (programme,) = [p for p in json.loads(listed.stdout)["programmes"] if p["code"] == "lgotp"]
    assert programme["plugin"] == "lgotp"
    validated = run_kenshu("validate", str(valid_book), env=env)
    assert validated.returncode == 0
    strict = run_kenshu("--strict-plugins", "validate", str(valid_book), env=env)
    assert strict.returncode == 2
    assert "aaa-evil" in strict.stderr


def test_a_plugin_raising_while_registering_its_programme(valid_book: Path) -> None:
    class Raises:
        @hookimpl
        def kenshu_register_programmes(self, register: Callable[[Programme], None]) -> None:
            register(Programme(code="other", title="Other"))
            raise RuntimeError("half registered")

    registry = registry_with((Raises(), "raises"))
    (problem,) = registry.problems
    assert problem.line() == (
        "kenshu: plugin 'raises' in kenshu_register_programmes: raised RuntimeError: "
        "half registered"
    )
    assert "lgotp" in registry.programmes
    result = run_cli("validate", str(valid_book), state=state_for(registry))
    assert result.exit_code == 0
    strict = run_cli("--strict-plugins", "validate", str(valid_book), state=state_for(registry))
    assert strict.exit_code == 2
