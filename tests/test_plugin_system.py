"""The plugin system: one broken plugin harms nobody else, ownership decides who answers,
and every hook of the catalogue is called."""

from __future__ import annotations

import datetime as dt
import json
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import click
import openpyxl
import pytest
from helpers import (
    append_rows,
    findings_with,
    json_output,
    run_cli,
    run_kenshu,
    set_cohort,
    sheet_records,
    state_for,
)
from kenshu import (
    ChargedCost,
    Field,
    Finding,
    Group,
    PlannedFollowUp,
    PlannedPhase,
    Programme,
    ReportSheet,
    Setting,
    hookimpl,
)
from kenshu.cli.main import cli
from kenshu.hookspecs import hook_names
from kenshu.plugins import PLUGIN_API_VERSION, PluginRegistry, api_compatible

LGOTP = metadata.EntryPoint(name="lgotp", value="kenshu_lgotp.plugin", group="kenshu")


# ---------------------------------------------------------------------------
# Building test plugins


def write_module(folder: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> str:
    """Write ``source`` as a module with a unique name in ``folder`` (on ``sys.path``)."""
    name = f"kenshu_testplugin_{uuid.uuid4().hex[:10]}"
    (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def entry_point(name: str, module: str) -> metadata.EntryPoint:
    """An entry point of the ``kenshu`` group, as an installed plugin would declare."""
    return metadata.EntryPoint(name=name, value=module, group="kenshu")


def fake_distribution(
    folder: Path, dist: str, version: str, plugins: dict[str, str], modules: dict[str, str]
) -> None:
    """An installed distribution in ``folder``: a ``*.dist-info`` with METADATA and
    ``entry_points.txt`` for the ``kenshu`` group, and its modules beside it."""
    info = folder / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[kenshu]", *(f"{name} = {module}" for name, module in plugins.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")


def with_lgotp(*plugins: tuple[Any, str]) -> PluginRegistry:
    """The real lgotp plugin plus test plugins registered by object."""
    registry = PluginRegistry.discover(entry_points=[LGOTP])
    for plugin, name in plugins:
        registry.add(plugin, name)
    return registry


class Recorder:
    """A cross-cutting plugin that notes which programme each call was for."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []

    @hookimpl
    def kenshu_check_cohort(self, programme: Programme | None) -> list[Finding]:
        self.seen.append(("kenshu_check_cohort", programme.code if programme else None))
        return []


class Owner:
    """A plugin that owns programme ``code`` and records its calls."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.seen: list[str | None] = []

    @hookimpl
    def kenshu_register_programmes(self, register: Callable[[Programme], None]) -> None:
        register(Programme(code=self.code, title=f"Programme {self.code}"))

    @hookimpl
    def kenshu_check_cohort(self, programme: Programme | None) -> list[Finding]:
        self.seen.append(programme.code if programme else None)
        return []


class HookRaises:
    @hookimpl
    def kenshu_check_cohort(self, data: Any) -> list[Finding]:
        raise RuntimeError("the rule table is missing")


class WrongType:
    @hookimpl
    def kenshu_group_participants(self, data: Any) -> Any:
        return [Group(group_id="g", kind="test", participant_ids=("P01",)), 42]


class Copycat:
    @hookimpl
    def kenshu_register_programmes(self, register: Callable[[Programme], None]) -> None:
        register(Programme(code="lgotp", title="Not the real LGOTP"))


class Misspelt:
    def __init__(self) -> None:
        self.called = False

    @hookimpl
    def kenshu_check_cohort(self) -> list[Finding]:
        self.called = True
        return []

    def kenshu_check_particpant(self) -> list[Finding]:
        self.called = True
        return []


class FromTheFuture:
    KENSHU_PLUGIN_API = ">=2.0,<3"

    def __init__(self) -> None:
        self.called = False

    @hookimpl
    def kenshu_check_cohort(self) -> list[Finding]:
        self.called = True
        return []


# ---------------------------------------------------------------------------
# Loading


def test_plugin_raising_on_import_is_reported_and_others_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write_module(tmp_path, monkeypatch, "raise RuntimeError('no database here')\n")
    registry = PluginRegistry.discover(entry_points=[entry_point("broken", broken), LGOTP])
    assert registry.plugins["broken"].status == "failed"
    assert registry.plugins["lgotp"].status == "loaded"
    assert "lgotp" in registry.programmes
    (problem,) = registry.problems
    line = problem.line()
    assert "\n" not in line
    assert "'broken'" in line
    assert "failed to import: RuntimeError: no database here" in line


def test_plugin_raising_on_import_through_the_real_command_line(
    tmp_path: Path, valid_book: Path
) -> None:
    site = tmp_path / "site"
    fake_distribution(
        site,
        "kenshu-broken",
        "0.3",
        {"broken": "kenshu_broken_plugin"},
        {"kenshu_broken_plugin": "raise ImportError('needs a module that is not installed')\n"},
    )
    env = {"PYTHONPATH": str(site)}

    listed = run_kenshu("programmes", env=env)
    assert listed.returncode == 0
    assert "lgotp: " in listed.stdout
    (warning,) = listed.stderr.strip().splitlines()
    assert "'broken'" in warning
    assert "ImportError: needs a module that is not installed" in warning

    validated = run_kenshu("validate", "--json", str(valid_book), env=env)
    assert validated.returncode == 0
    assert json.loads(validated.stdout)["files"][0]["valid"] is True
    assert len(validated.stderr.strip().splitlines()) == 1

    plugins = run_kenshu("plugins", "--json", env=env)
    assert plugins.returncode == 0
    info = {p["name"]: p for p in json.loads(plugins.stdout)["plugins"]}
    assert info["broken"]["status"] == "failed"
    assert info["broken"]["distribution"] == "kenshu-broken"
    assert info["broken"]["version"] == "0.3"
    assert info["lgotp"]["status"] == "loaded"

    strict = run_kenshu("--strict-plugins", "validate", str(valid_book), env=env)
    assert strict.returncode == 2
    assert "--strict-plugins" in strict.stderr

    disabled = run_kenshu("--disable-plugin", "broken", "programmes", env=env)
    assert disabled.returncode == 0
    assert disabled.stderr == ""
    by_env = run_kenshu("programmes", env={**env, "KENSHU_DISABLE_PLUGINS": "other, broken"})
    assert by_env.returncode == 0
    assert by_env.stderr == ""
    assert "lgotp: " in by_env.stdout


def test_plugin_command_crash_is_one_line_exit_3(tmp_path: Path) -> None:
    site = tmp_path / "site"
    fake_distribution(
        site,
        "kenshu-crashy",
        "1.0",
        {"crashy": "kenshu_crashy_plugin"},
        {
            "kenshu_crashy_plugin": """
                import click
                from kenshu import hookimpl

                @hookimpl
                def kenshu_register_commands(cli):
                    @cli.group("crashy")
                    def group():
                        "Crashy's commands."

                    @group.command("go")
                    def go():
                        raise ValueError("division by zero somewhere")
            """
        },
    )
    env = {"PYTHONPATH": str(site)}
    result = run_kenshu("crashy", "go", env=env)
    assert result.returncode == 3
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("kenshu: internal error: ValueError: division by zero somewhere")
    debug = run_kenshu("crashy", "go", env={**env, "KENSHU_DEBUG": "1"})
    assert "Traceback" in debug.stderr


def test_hook_raising_becomes_a_warning(valid_book: Path) -> None:
    registry = with_lgotp((HookRaises(), "raiser"))
    result = run_cli("validate", "--json", str(valid_book), state=state_for(registry))
    assert result.exit_code == 0
    payload = json_output(result)
    (failed,) = findings_with(payload, "core.plugin-failed")
    assert failed["severity"] == "warning"
    assert failed["source"] == "raiser"
    assert "kenshu_check_cohort" in failed["message"]
    assert "RuntimeError: the rule table is missing" in failed["message"]
    assert findings_with(payload, "lgotp.class-size")  # lgotp's checks still ran
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        "kenshu: plugin 'raiser' in kenshu_check_cohort: RuntimeError: the rule table is missing"
    )


def test_hook_returning_the_wrong_type(valid_book: Path) -> None:
    registry = with_lgotp((WrongType(), "wrongtype"))
    result = run_cli("report", "--json", str(valid_book), state=state_for(registry))
    assert result.exit_code == 0
    payload = json_output(result)
    (failed,) = findings_with(payload, "core.plugin-failed")
    assert "returned a int, expected Group or Finding" in failed["message"]
    assert failed["source"] == "wrongtype"
    # its good records and lgotp's are kept
    assert [g["group_id"] for g in payload["groups"]] == ["jiam-class-1", "g"]


def test_two_plugins_claim_one_programme() -> None:
    registry = with_lgotp((Copycat(), "copycat"))
    assert registry.programme("lgotp").plugin == "lgotp"
    assert registry.programme("lgotp").title.startswith("Local Government")
    (problem,) = registry.problems
    assert problem.code == "plugin.programme-conflict"
    assert problem.plugin == "copycat"
    assert "'lgotp'" in problem.message
    assert "plugin 'lgotp' already provides" in problem.message


def test_misspelt_hook_name_leaves_the_plugin_out(valid_book: Path) -> None:
    plugin = Misspelt()
    registry = with_lgotp((plugin, "typo"))
    info = registry.plugins["typo"]
    assert info.status == "failed"
    assert "kenshu_check_particpant" in info.reason
    assert "misspelt" in info.reason
    result = run_cli("validate", str(valid_book), state=state_for(registry))
    assert result.exit_code == 0
    assert plugin.called is False
    assert "kenshu_check_particpant" in result.stderr


def test_incompatible_plugin_api(valid_book: Path) -> None:
    plugin = FromTheFuture()
    registry = with_lgotp((plugin, "future"))
    info = registry.plugins["future"]
    assert info.status == "incompatible"
    assert ">=2.0,<3" in info.reason and PLUGIN_API_VERSION in info.reason
    (problem,) = registry.problems
    assert problem.code == "plugin.incompatible"
    result = run_cli("validate", str(valid_book), state=state_for(registry))
    assert result.exit_code == 0
    assert plugin.called is False


@pytest.mark.parametrize(
    ("spec", "ok"),
    [
        (">=1.0,<2", True),
        (">=1", True),
        ("==1.0", True),
        (">=1.1", False),
        ("<1", False),
        (">=2.0,<3", False),
        ("~=1.0", False),  # an operator kenshu does not understand is not a promise
    ],
)
def test_api_compatible(spec: str, ok: bool) -> None:
    assert api_compatible(spec, "1.0") is ok


def _import_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PluginRegistry:
    broken = write_module(tmp_path, monkeypatch, "import a_module_nobody_has\n")
    return PluginRegistry.discover(entry_points=[LGOTP, entry_point("broken", broken)])


PROBLEMS: dict[str, tuple[Callable[[Path, pytest.MonkeyPatch], PluginRegistry], str]] = {
    "import": (_import_failure, "plugin 'broken': failed to import: ModuleNotFoundError"),
    "hook-raises": (lambda *_: with_lgotp((HookRaises(), "raiser")), "plugin 'raiser' in"),
    "wrong-type": (lambda *_: with_lgotp((WrongType(), "wrongtype")), "returned a int"),
    "conflict": (lambda *_: with_lgotp((Copycat(), "copycat")), "claims programme 'lgotp'"),
    "misspelt": (lambda *_: with_lgotp((Misspelt(), "typo")), "unknown hook(s)"),
    "incompatible": (lambda *_: with_lgotp((FromTheFuture(), "future")), "supports plugin API"),
}


@pytest.mark.parametrize("case", sorted(PROBLEMS))
def test_strict_plugins_turns_each_problem_into_exit_2(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, valid_book: Path
) -> None:
    build, message = PROBLEMS[case]
    command = ["report", "--json", str(valid_book)]
    relaxed = run_cli(*command, state=state_for(build(tmp_path, monkeypatch)))
    assert relaxed.exit_code == 0, relaxed.output
    assert message in relaxed.stderr
    assert json_output(relaxed)["programme"] == "lgotp"

    strict = run_cli("--strict-plugins", *command, state=state_for(build(tmp_path, monkeypatch)))
    assert strict.exit_code == 2
    assert message in strict.stderr
    assert "--strict-plugins: stopping" in strict.stderr


def test_disable_plugin_option_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write_module(tmp_path, monkeypatch, "raise SystemError('never imported')\n")
    points = [LGOTP, entry_point("broken", broken)]
    registry = PluginRegistry.discover(disabled=["broken"], entry_points=points)
    assert registry.plugins["broken"].status == "disabled"
    assert registry.problems == []
    assert broken not in sys.modules

    monkeypatch.setenv("KENSHU_DISABLE_PLUGINS", "lgotp")
    by_env = PluginRegistry.discover(entry_points=points)
    assert by_env.plugins["lgotp"].status == "disabled"
    assert by_env.programmes == {}
    monkeypatch.delenv("KENSHU_DISABLE_PLUGINS")

    # the real command line, with the installed plugins
    off = run_cli("--disable-plugin", "lgotp", "programmes")
    assert off.exit_code == 0
    assert "lgotp:" not in off.stdout
    off_env = run_cli("plugins", "--json", env={"KENSHU_DISABLE_PLUGINS": "lgotp"})
    (lgotp,) = [p for p in json_output(off_env)["plugins"] if p["name"] == "lgotp"]
    assert lgotp["status"] == "disabled"
    assert (
        run_cli(
            "template",
            "lgotp",
            "-o",
            str(tmp_path / "t.xlsx"),
            env={"KENSHU_DISABLE_PLUGINS": "lgotp"},
        ).exit_code
        == 2
    )


# ---------------------------------------------------------------------------
# Ownership


def test_cross_cutting_plugins_answer_for_every_programme(tmp_path: Path, valid_book: Path) -> None:
    recorder, alpha, beta = Recorder(), Owner("alpha"), Owner("beta")
    registry = with_lgotp((alpha, "alpha-plugin"), (beta, "beta-plugin"), (recorder, "org-checks"))
    for code in ("alpha", "beta", "lgotp"):
        registry.call("kenshu_check_cohort", registry.programme(code), data=None, settings=None)
    assert recorder.seen == [
        ("kenshu_check_cohort", "alpha"),
        ("kenshu_check_cohort", "beta"),
        ("kenshu_check_cohort", "lgotp"),
    ]
    assert alpha.seen == ["alpha"]
    assert beta.seen == ["beta"]
    assert registry.owns("org-checks", registry.programme("beta"))
    assert not registry.owns("alpha-plugin", registry.programme("beta"))
    assert registry.owns("lgotp", registry.programme("lgotp"))

    # through the command line: an lgotp workbook reaches lgotp and the cross-cutting plugin
    recorder.seen.clear()
    alpha.seen.clear()
    beta.seen.clear()
    result = run_cli("validate", str(valid_book), state=state_for(registry))
    assert result.exit_code == 0
    assert recorder.seen == [("kenshu_check_cohort", "lgotp")]
    assert alpha.seen == beta.seen == []


def test_programme_owning_plugin_fields_only_in_its_templates(tmp_path: Path) -> None:
    class AlphaFields(Owner):
        @hookimpl
        def kenshu_fields(self, programme: Programme) -> list[Field]:
            return [Field(id="alpha_code", label="Alpha code", sheet="participants")]

    registry = with_lgotp((AlphaFields("alpha"), "alpha-plugin"))
    state = state_for(registry)
    assert run_cli("template", "alpha", "-o", str(tmp_path / "a.xlsx"), state=state).exit_code == 0
    assert run_cli("template", "lgotp", "-o", str(tmp_path / "l.xlsx"), state=state).exit_code == 0
    alpha_header = [c.value for c in openpyxl.load_workbook(tmp_path / "a.xlsx")["Participants"][1]]
    lgotp_header = [c.value for c in openpyxl.load_workbook(tmp_path / "l.xlsx")["Participants"][1]]
    assert "Alpha code" in alpha_header
    assert "Placement test score" not in alpha_header
    assert "Alpha code" not in lgotp_header
    assert "Placement test score" in lgotp_header


# ---------------------------------------------------------------------------
# Every hook


class EveryHook:
    """A plugin implementing every hook of the catalogue, noting each call."""

    KENSHU_PLUGIN_API = ">=1.0,<2"

    def __init__(self) -> None:
        self.calls: set[str] = set()

    @hookimpl
    def kenshu_register_programmes(self, register: Callable[[Programme], None]) -> None:
        self.calls.add("kenshu_register_programmes")
        register(
            Programme(
                code="demo",
                title="Demo exchange",
                title_ja="デモ交流",
                sheets=("cohort", "participants", "hosts", "costs", "follow_ups", "settings"),
            )
        )

    @hookimpl
    def kenshu_register_commands(self, cli: click.Group) -> None:
        self.calls.add("kenshu_register_commands")

        @cli.group("demo")
        def group() -> None:
            """The demo plugin's commands."""

        @group.command("hello")
        def hello() -> None:
            click.echo("hello from demo")

    @hookimpl
    def kenshu_fields(self, programme: Programme) -> list[Field]:
        self.calls.add("kenshu_fields")
        return [
            Field(
                id="badge",
                type="integer",
                label="Badge number",
                label_ja="バッジ番号",
                help="The number on the participant's badge.",
                minimum=1,
                sheet="participants",
            )
        ]

    @hookimpl
    def kenshu_settings(self, programme: Programme) -> list[Setting]:
        self.calls.add("kenshu_settings")
        return [Setting("max_people", 5, "Most participants in a demo cohort.", "test")]

    @hookimpl
    def kenshu_check_participant(self, data: Any, participant: Any) -> Iterator[Finding]:
        self.calls.add("kenshu_check_participant")
        if participant.extra.get("badge") is None:
            yield data.warning(
                "demo.no-badge", "no badge number", record=participant, field="badge"
            )

    @hookimpl
    def kenshu_check_cohort(self, data: Any, settings: Any) -> Iterator[Finding]:
        self.calls.add("kenshu_check_cohort")
        if len(data.participants) > settings["max_people"]:
            yield data.error("demo.too-many", "too many people", sheet="participants")

    @hookimpl
    def kenshu_plan_schedule(self, data: Any) -> Iterator[PlannedPhase]:
        self.calls.add("kenshu_plan_schedule")
        cohort = data.cohort
        yield PlannedPhase("demo-all", "visit", cohort.start_date, cohort.end_date, title="Visit")

    @hookimpl
    def kenshu_group_participants(self, data: Any) -> list[Group]:
        self.calls.add("kenshu_group_participants")
        ids = tuple(p.participant_id for p in data.participants)
        return [Group("demo-group", "bus", ids, explanation="everyone on one bus")]

    @hookimpl
    def kenshu_cost_lines(self, data: Any) -> Iterator[ChargedCost]:
        self.calls.add("kenshu_cost_lines")
        for line in data.costs:
            yield ChargedCost(
                item=line.item,
                payer="organiser",
                amount=line.amount,
                currency=line.currency,
                explanation="the organiser pays everything",
                cost_id=line.cost_id,
            )

    @hookimpl
    def kenshu_follow_ups(self, data: Any) -> list[PlannedFollowUp]:
        self.calls.add("kenshu_follow_ups")
        end = data.cohort.end_date
        return [
            PlannedFollowUp(
                "demo-report",
                "report_due",
                due_from=end,
                due_to=end + dt.timedelta(days=30),
                planned=True,
            )
        ]

    @hookimpl
    def kenshu_report_summary(self, report: Any) -> list[str]:
        self.calls.add("kenshu_report_summary")
        return [f"Demo: {len(report.groups)} bus(es)."]

    @hookimpl
    def kenshu_report_sheets(self, data: Any) -> list[ReportSheet]:
        self.calls.add("kenshu_report_sheets")
        rows = [(p.participant_id, p.extra.get("badge")) for p in data.participants]
        return [ReportSheet("Badges", ("participant_id", "badge"), rows)]


@pytest.fixture
def every_hook() -> Iterator[EveryHook]:
    """The plugin; its command group is taken off the shared root group afterwards."""
    yield EveryHook()
    cli.commands.pop("demo", None)


def test_every_hook_is_called(tmp_path: Path, every_hook: EveryHook) -> None:
    assert {name for name in dir(EveryHook) if name.startswith("kenshu_")} == set(hook_names())
    registry = PluginRegistry.discover(entry_points=[])
    registry.add(every_hook, "demo-plugin")
    assert registry.problems == []
    state = state_for(registry)

    template = tmp_path / "demo-template.xlsx"
    assert run_cli("template", "demo", "-o", str(template), state=state).exit_code == 0
    wb = openpyxl.load_workbook(template)
    assert "Badge number" in [c.value for c in wb["Participants"][1]]
    assert "FollowUps" in wb.sheetnames
    set_cohort(
        wb,
        {
            "cohort_id": "demo-1",
            "start_date": dt.datetime(2024, 9, 1),
            "end_date": dt.datetime(2024, 9, 10),
        },
    )
    append_rows(wb, "participants", [{"participant_id": "A", "badge": 7}, {"participant_id": "B"}])
    append_rows(
        wb, "costs", [{"cost_id": "C1", "item": "airfare", "amount": 900, "currency": "EUR"}]
    )
    book = tmp_path / "demo.xlsx"
    wb.save(book)

    validated = run_cli("validate", "--json", str(book), state=state)
    assert validated.exit_code == 0, validated.output
    (warning,) = findings_with(json_output(validated), "demo.no-badge")
    assert (warning["subject"], warning["source"]) == ("B", "demo-plugin")

    out = tmp_path / "demo-report.xlsx"
    reported = run_cli("report", str(book), "-o", str(out), "--json", state=state)
    assert reported.exit_code == 0, reported.output
    payload = json_output(reported)
    assert payload["phases"][0]["phase_id"] == "demo-all"
    assert payload["groups"][0]["participant_ids"] == ["A", "B"]
    assert payload["costs"][0]["payer"] == "organiser"
    assert payload["totals"] == [
        {
            "payer": "organiser",
            "reimbursement": None,
            "host_id": None,
            "amount": 900,
            "currency": "EUR",
        }
    ]
    assert payload["follow_ups"][0]["due_to"] == "2024-10-10"
    assert "Demo: 1 bus(es)." in payload["summary"]
    assert payload["sheets"]["badges"]["rows"] == [["A", 7], ["B", None]]
    assert payload["settings"]["max_people"] == 5
    assert [r["badge"] for r in sheet_records(out, "Badges")] == [7, None]

    too_many = run_cli("validate", str(book), "--set", "max_people=1", state=state)
    assert too_many.exit_code == 1
    assert "demo.too-many" in too_many.stdout

    hello = run_cli("demo", "hello", state=state)
    assert hello.exit_code == 0
    assert hello.stdout == "hello from demo\n"

    schema = json_output(run_cli("schema", "demo", "--json", state=state))
    participants = next(s for s in schema["sheets"] if s["id"] == "participants")
    badge = next(f for f in participants["fields"] if f["id"] == "badge")
    assert badge["labels"] == {"en": "Badge number", "ja": "バッジ番号"}

    assert every_hook.calls == set(hook_names())


def test_register_commands_failure_is_reported_not_fatal() -> None:
    class BadCommands:
        @hookimpl
        def kenshu_register_commands(self, cli: click.Group) -> None:
            raise KeyError("no such group")

    registry = PluginRegistry.discover(entry_points=[LGOTP])
    registry.add(BadCommands(), "badcommands")
    result = run_cli("programmes", state=state_for(registry))
    assert result.exit_code == 0
    assert "lgotp: " in result.stdout
    assert "plugin 'badcommands' in kenshu_register_commands: KeyError" in result.stderr


def test_field_clash_is_reported_and_ignored() -> None:
    class Clash:
        @hookimpl
        def kenshu_fields(self, programme: Programme) -> list[Field]:
            return [
                Field(id="family_name", label="Surname", sheet="participants"),
                Field(id="orphan", label="Orphan", sheet="nowhere"),
            ]

    registry = with_lgotp((Clash(), "clash"))
    schema = registry.schema(registry.programme("lgotp"))
    assert schema.field("participants", "family_name").source == "core"
    messages = [f.message for f in schema.problems]
    assert any("family_name clashes" in m for m in messages)
    assert any("unknown sheet 'nowhere'" in m for m in messages)
