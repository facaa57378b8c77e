"""`kenshu new-plugin` writes a project that installs and passes its own tests."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner
from kenshu.cli.main import State, build_cli
from kenshu.scaffold import ScaffoldError, names
from test_packaging import _NOT_SOURCES

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def test_new_plugin_installs_in_a_fresh_venv_and_passes_its_tests(tmp_path: Path) -> None:
    project = tmp_path / "osaka"
    result = CliRunner().invoke(
        build_cli(State()), ["new-plugin", "osaka_exchange", "-o", str(project)], obj=State()
    )
    assert result.exit_code == 0, result.output
    for relative in (
        "pyproject.toml",
        "README.md",
        ".ci/run",
        "src/kenshu_osaka_exchange/plugin.py",
        "tests/test_contract.py",
    ):
        assert (project / relative).is_file(), relative

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # kenshu from a copy of this checkout (the build writes nothing into the working tree),
    # not editable, then the new plugin as its author would install it
    source = tmp_path / "kenshu-src"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCES)
    run(python, "-m", "pip", "install", "--quiet", str(source), cwd=tmp_path)
    run(python, "-m", "pip", "install", "--quiet", f"{project}[test]", cwd=tmp_path)
    listed = run(env_dir / "bin" / "kenshu", "programmes", cwd=tmp_path)
    assert listed.stdout.startswith("osaka-exchange: Osaka Exchange")
    tests = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert " passed" in tests.stdout and "failed" not in tests.stdout


def test_new_plugin_refuses_an_existing_project_and_a_bad_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'mine'\n")
    runner = CliRunner()
    result = runner.invoke(
        build_cli(State()), ["new-plugin", "fine_name", "-o", str(tmp_path)], obj=State()
    )
    assert result.exit_code == 2
    assert "already holds a project" in result.stderr
    assert (tmp_path / "pyproject.toml").read_text() == "[project]\nname = 'mine'\n"
    with pytest.raises(ScaffoldError):
        names("Bad Name")


def test_names_derive_package_distribution_and_code() -> None:
    derived = names("osaka_exchange")
    assert (derived["package"], derived["distribution"], derived["code"]) == (
        "kenshu_osaka_exchange",
        "kenshu-osaka-exchange",
        "osaka-exchange",
    )
    assert names("osaka_exchange", programme="osaka-2026")["code"] == "osaka-2026"
