"""The documentation tells the truth: README.md and docs/*.md against the code.

* every hook of ``kenshu.hookspecs`` is in docs/hooks.md with its exact signature;
* the plugin guide's code blocks, assembled into a package, register a programme and give
  the findings and payers the guide says they do, and the guide's own tests pass;
* every core field is in docs/workbook-format.md, every option of every command in
  docs/cli.md;
* the README's quick start is the two make targets, and its links resolve;
* the generated parts of every page (field tables, ``--help``, command transcripts) are
  what ``docs/generate.py`` produces from the code today.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import inspect
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import click
import pytest
from kenshu import PLUGIN_API_VERSION, hookspecs
from kenshu.catalogue import CORE_FIELDS, SHEETS
from kenshu.cli.main import COMMAND_MODULES, add_builtin_commands, cli
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from kenshu.report import build_report
from kenshu.validate import validate
from kenshu.workbook.cells import column_letter

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load_generator() -> ModuleType:
    """docs/generate.py, imported from its path (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("kenshu_docs_generate", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# docs/hooks.md


def documented_hooks() -> dict[str, list[ast.FunctionDef]]:
    """Every ``def kenshu_...`` line of a python block in docs/hooks.md, by hook name."""
    found: dict[str, list[ast.FunctionDef]] = {}
    for block in re.findall(r"^```python\n(.*?)^```$", read("docs/hooks.md"), re.S | re.M):
        for line in block.splitlines():
            if line.startswith("def kenshu_"):
                node = ast.parse(line.rstrip(":") + ": ...").body[0]
                assert isinstance(node, ast.FunctionDef)
                found.setdefault(node.name, []).append(node)
    return found


def _canonical(annotation: str) -> str:
    """An annotation's source, with spacing normalised."""
    return ast.unparse(ast.parse(annotation, mode="eval"))


@pytest.mark.parametrize("name", hookspecs.hook_names())
def test_every_hook_is_documented_with_its_signature(name: str) -> None:
    defs = documented_hooks().get(name)
    assert defs, (
        f"docs/hooks.md does not document {name} (a ```python block with `def {name}(...)`)"
    )
    assert len(defs) == 1, f"docs/hooks.md documents {name} {len(defs)} times"
    node = defs[0]
    spec = inspect.signature(getattr(hookspecs, name))
    # hookspecs uses `from __future__ import annotations`: annotations are source strings
    expected = [(p.name, _canonical(p.annotation)) for p in spec.parameters.values()]
    documented = [
        (arg.arg, ast.unparse(arg.annotation) if arg.annotation else "") for arg in node.args.args
    ]
    assert documented == expected, f"{name}: documented parameters differ from the spec"
    assert not (node.args.kwonlyargs or node.args.vararg or node.args.kwarg or node.args.defaults)
    assert node.returns is not None, f"{name}: the documented signature lacks its return type"
    assert ast.unparse(node.returns) == _canonical(spec.return_annotation), (
        f"{name}: documented return type differs from the spec"
    )


def test_hooks_md_documents_no_hook_that_does_not_exist() -> None:
    assert set(documented_hooks()) <= set(hookspecs.hook_names())


def test_signature_check_catches_a_wrong_signature() -> None:
    """The comparison above is not vacuous: a changed parameter is noticed."""
    line = "def kenshu_fields(programme: Programme, extra: int) -> Iterable[Field]: ..."
    node = ast.parse(line).body[0]
    assert isinstance(node, ast.FunctionDef)
    spec = inspect.signature(hookspecs.kenshu_fields)
    assert [a.arg for a in node.args.args] != list(spec.parameters)


def test_hooks_md_states_the_plugin_api_version_and_rules() -> None:
    text = read("docs/hooks.md")
    assert f'`kenshu.PLUGIN_API_VERSION == "{PLUGIN_API_VERSION}"`' in text
    for needle in ("KENSHU_PLUGIN_API", "Ownership", "cross-cutting", "Failure isolation"):
        assert needle in text


# ---------------------------------------------------------------------------
# docs/plugin-guide.md: its code is a working plugin


@pytest.fixture
def guide_project(tmp_path: Path) -> Path:
    """The guide's distribution (pyproject, package, tests), written from its code blocks."""
    return generate.write_guide_project(tmp_path)


@pytest.fixture
def guide_plugin(guide_project: Path) -> Iterator[ModuleType]:
    """The guide's plugin module, imported from the files its code blocks make up."""
    with generate.imported_guide_plugin(guide_project) as module:
        yield module


def test_guide_pyproject_declares_the_plugin_entry_point(guide_project: Path) -> None:
    data = tomllib.loads((guide_project / "pyproject.toml").read_text(encoding="utf-8"))
    points = data["project"]["entry-points"]["kenshu"]
    assert points == {"youth_exchange": "kenshu_youth_exchange.plugin"}
    assert (guide_project / "src" / "kenshu_youth_exchange" / "plugin.py").is_file()
    assert (guide_project / "src" / "kenshu_youth_exchange" / "__init__.py").is_file()


def _guide_registry(module: ModuleType) -> PluginRegistry:
    registry = PluginRegistry.discover(entry_points=[])
    info = registry.add(module, "example")
    assert info is not None and info.status == "loaded", info
    assert registry.problems == []
    return registry


def _guide_workbook(registry: PluginRegistry, folder: Path) -> Path:
    """The guide's cohort: the programme's template, filled in as the guide describes."""
    from kenshu.dataset import CohortData
    from kenshu.workbook.export import write_cohort_workbook

    schema = registry.schema(registry.programme("youth_exchange"))
    data = CohortData()
    data.cohort_fallback = {"programme": "youth_exchange"}
    data.metadata["programme"] = "youth_exchange"
    template = folder / "ye-template.xlsx"
    write_cohort_workbook(template, data, schema)
    filled = folder / "ye-2025.xlsx"
    generate.fill_workbook(template, filled, generate.GUIDE_COHORT, generate.GUIDE_TABLES)
    return filled


def test_guide_plugin_validates_a_cohort_as_the_guide_says(
    guide_plugin: ModuleType, tmp_path: Path
) -> None:
    registry = _guide_registry(guide_plugin)
    programme = registry.programme("youth_exchange")
    assert programme is not None and programme.plugin == "example"
    assert programme.direction == "outbound"
    schema = registry.schema(programme)
    consent = schema.field("participants", "guardian_consent")
    assert consent is not None and consent.type == "yes_no" and consent.source == "example"
    assert [s.id for s in schema.settings if s.owner == "example"] == ["consent_age"]
    assert schema.required("participants", "date_of_birth")

    path = _guide_workbook(registry, tmp_path)
    data, reading, schema = load_cohort(path, registry)
    assert reading == []
    outcome = validate(data, registry, schema, reading)

    # Y02 is 16 on 20 July 2025 without consent; Y01 has consent; Y03 is 18.
    assert [(f.code, f.severity, f.subject, f.source) for f in outcome.findings] == [
        ("youth_exchange.no-guardian-consent", "error", "Y02", "example")
    ]
    finding = outcome.findings[0]
    column = data.layouts["participants"].columns["guardian_consent"]
    assert (finding.sheet, finding.row) == ("Participants", 3)
    assert finding.cell == f"{column_letter(column)}3"
    assert finding.message == (
        "aged 16 on 2025-07-20 without a guardian's consent (rule: participants under 18 need one)"
    )
    guide = read("docs/plugin-guide.md")
    assert finding.message in guide and finding.code in guide

    relaxed = validate(data, registry, schema, reading, {"consent_age": "16"})
    assert relaxed.findings == []

    report = build_report(relaxed, registry)
    payers = {cost.cost_id: cost.payer for cost in report.costs}
    assert payers == {"C1": "prefecture", "C2": "family", "C3": "prefecture"}
    assert [(f.code, f.subject) for f in report.findings] == [
        ("youth_exchange.cost-without-participant", "C3")
    ]
    for sentence in ("Paid by the family: 30,000 JPY.", "Paid by the prefecture: 234,000 JPY."):
        assert sentence in report.summary
        assert sentence in guide


def test_guide_plugin_rule_depends_on_the_date_not_the_year(guide_plugin: ModuleType) -> None:
    """The guide's age rule counts completed years: a birthday on the first day counts."""
    from kenshu import Cohort, CohortData, Participant, Settings

    start = dt.date(2025, 7, 20)
    data = CohortData(
        cohort=Cohort(programme="youth_exchange", cohort_id="t", start_date=start),
    )
    settings = Settings(values={"consent_age": 18})
    turns_18 = Participant("A", date_of_birth=dt.date(2007, 7, 20))
    turns_18_tomorrow = Participant("B", date_of_birth=dt.date(2007, 7, 21))
    codes = {
        p.participant_id: [f.code for f in guide_plugin.kenshu_check_participant(data, p, settings)]
        for p in (turns_18, turns_18_tomorrow)
    }
    assert codes == {"A": [], "B": ["youth_exchange.no-guardian-consent"]}


def test_guide_own_tests_pass(guide_project: Path) -> None:
    """The test file the guide shows passes against the guide's plugin."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=guide_project,
        env={**_clean_env(), "PYTHONPATH": str(guide_project / "src")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("KENSHU_", "PYTEST_"))}


# ---------------------------------------------------------------------------
# docs/workbook-format.md and docs/cli.md


def test_every_core_field_and_sheet_is_in_workbook_format() -> None:
    text = read("docs/workbook-format.md")
    for spec in SHEETS:
        for name in (spec.id, spec.label, spec.label_ja):
            assert name in text, f"sheet {spec.id}: {name!r} is not in docs/workbook-format.md"
        for f in CORE_FIELDS[spec.id]:
            assert f"`{f.id}`" in text, f"field {spec.id}.{f.id} is not in workbook-format.md"
            assert f.label in text and f.label_ja in text, f"{spec.id}.{f.id}: labels missing"
    for key in ("format", "format_version", "programme", "kenshu_version", "language"):
        assert f"`{key}`" in text
    assert "`plugin:NAME`" in text and "_kenshu_lists" in text


def _core_commands() -> dict[str, click.Command]:
    """kenshu's own commands, those of ``kenshu.cli.main`` and of its command modules
    (other tests may have let plugins add theirs to the group)."""
    add_builtin_commands(cli)
    own = {"kenshu.cli.main", *COMMAND_MODULES}
    return {
        name: command
        for name, command in cli.commands.items()
        if getattr(command.callback, "__module__", None) in own
    }


def _commands() -> list[tuple[str, click.Command]]:
    return [("", cli), *sorted(_core_commands().items())]


def test_every_command_and_option_is_in_cli_md() -> None:
    text = read("docs/cli.md")
    missing = []
    for name, command in _commands():
        if name and f"## kenshu {name}" not in text:
            missing.append(f"section ## kenshu {name}")
        for param in command.params:
            if isinstance(param, click.Option):
                missing += [f"{name or 'kenshu'} {opt}" for opt in param.opts if opt not in text]
            elif param.human_readable_name.upper() not in text:
                missing.append(f"{name} argument {param.human_readable_name}")
    assert not missing, f"not in docs/cli.md: {missing}"


def test_cli_option_check_sees_every_option() -> None:
    """The check above reads real options: --json, --annotate, --set, --strict-plugins..."""
    assert len(_core_commands()) >= 8
    seen = {opt for _, command in _commands() for p in command.params for opt in p.opts}
    assert {"--json", "--annotate", "--set", "--strict-plugins", "--disable-plugin"} <= seen
    assert {"-o", "--output", "--lang", "--engine"} <= seen


# ---------------------------------------------------------------------------
# README.md


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, f"no '## {heading}' section"
    return match[1]


def test_readme_quick_start_is_exactly_make_demo_and_make_test() -> None:
    quick = _section(read("README.md"), "Quick start")
    blocks = re.findall(r"^```\w*\n(.*?)^```$", quick, re.S | re.M)
    commands = [
        line.strip().removeprefix("$ ")
        for block in blocks
        for line in block.splitlines()
        if line.strip()
    ]
    assert commands == ["make demo", "make test"]
    makefile = read("Makefile")
    for target in ("demo", "test"):
        assert re.search(rf"^{target}:", makefile, re.M), f"no {target} target in the Makefile"
    assert "out/demo" in makefile and "out/" in read(".gitignore").splitlines()
    assert "out/demo" in quick and ".venv" in quick


def test_readme_covers_the_cli_and_exit_codes() -> None:
    text = read("README.md")
    for name in _core_commands():
        assert f"**{name}**" in text, f"the README's tour does not mention {name}"
    for needle in (
        "--strict-plugins",
        "--disable-plugin",
        "KENSHU_DISABLE_PLUGINS",
        "KENSHU_READER",
        "KENSHU_DEBUG",
        "--json",
        "--annotate",
        "--set",
    ):
        assert needle in text, needle
    codes = _section(text, "A tour of the command line")
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in codes


def test_links_between_the_docs_resolve() -> None:
    for name in ("README.md", *(f"docs/{p.name}" for p in sorted(DOCS.glob("*.md")))):
        base = (ROOT / name).parent
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", read(name)):
            if "://" in target:
                continue
            assert (base / target).exists(), f"{name}: broken link {target}"


def test_docs_contain_no_machine_paths() -> None:
    for name in ("README.md", *(f"docs/{p.name}" for p in sorted(DOCS.glob("*.md")))):
        text = read(name)
        for marker in (str(ROOT), "/tmp/", "/home/", "site-packages"):
            assert marker not in text, f"{name} contains a machine path ({marker})"


# ---------------------------------------------------------------------------
# Generated parts


@pytest.mark.parametrize("name", generate.FILES)
def test_generated_parts_match_the_code(name: str) -> None:
    missing = generate.missing_repository_plugins()
    if missing:
        pytest.skip(f"the docs show every plugin of the repository; not installed: {missing}")
    path = ROOT / name
    text = path.read_text(encoding="utf-8")
    regenerated = generate.render(text, generate.generate)
    if regenerated != text:
        import difflib

        diff = "".join(
            list(
                difflib.unified_diff(
                    text.splitlines(keepends=True),
                    regenerated.splitlines(keepends=True),
                    name,
                    f"{name} (regenerated)",
                )
            )[:80]
        )
        pytest.fail(f"{name} is out of date: run `python docs/generate.py`\n{diff}")


def test_generated_sections_are_filled() -> None:
    """Every marker has content, and a marker with an unknown name is an error."""
    for name in generate.FILES:
        text = read(name)
        for match in generate.MARKER.finditer(text):
            assert match["body"].strip(), f"{name}: section {match['name']} is empty"
    with pytest.raises(KeyError):
        generate.generate("no-such-section")


def test_render_replaces_only_between_markers() -> None:
    text = "before\n<!-- BEGIN generated: x -->\nold\n<!-- END generated: x -->\nafter\n"
    out = generate.render(text, lambda name: f"new {name}")
    assert out == "before\n<!-- BEGIN generated: x -->\nnew x\n<!-- END generated: x -->\nafter\n"
