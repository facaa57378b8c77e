"""Packaging: kenshu and each plugin install (non-editable) into a fresh virtualenv.

Slow (a minute or two: pip builds both distributions and fetches their dependencies).
The sources are copied out of the repository first, so that the build writes nothing into
the working tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "out",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "*.part",
)


def _run(command: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KENSHU_", "PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))
    }
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _pip_install(python: Path, cwd: Path, *targets: Path) -> None:
    result = _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *map(str, targets),
        ],
        cwd,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_fresh_install_then_plugin(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCES)
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = "Scripts" if sys.platform == "win32" else "bin"
    python = env_dir / bindir / "python"
    kenshu = env_dir / bindir / "kenshu"
    work = tmp_path / "work"  # a neutral current directory: no core/ or cli/ beside it
    work.mkdir()

    # kenshu alone: it runs, and says there are no programmes and how to add one
    _pip_install(python, work, source)
    alone = _run([str(kenshu), "programmes"], work)
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout.startswith("No programmes installed.")
    assert "pip install kenshu-lgotp" in alone.stdout
    assert alone.stderr == ""
    no_template = _run([str(kenshu), "template", "lgotp", "-o", "t.xlsx"], work)
    assert no_template.returncode == 2
    assert "unknown programme 'lgotp'" in no_template.stderr

    # the installed package is a real copy with only `kenshu` at the top level
    probe = _run(
        [
            str(python),
            "-c",
            "import importlib.util, kenshu, kenshu.cli.main, kenshu.workbook;"
            "print(kenshu.__file__);"
            "print(importlib.util.find_spec('core'), importlib.util.find_spec('cli'))",
        ],
        work,
    )
    assert probe.returncode == 0, probe.stderr
    location, specs = probe.stdout.splitlines()
    assert "site-packages" in location
    assert str(ROOT) not in location and str(source) not in location
    assert specs == "None None"

    # then the LGOTP plugin
    _pip_install(python, work, source, source / "plugins" / "lgotp")
    listed = _run([str(kenshu), "programmes"], work)
    assert listed.returncode == 0, listed.stderr
    assert "lgotp: Local Government Officials Training Programme" in listed.stdout
    version = _run([str(python), "-m", "kenshu", "--version"], work)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("kenshu, version ")

    made = _run([str(kenshu), "template", "lgotp", "-o", "t.xlsx"], work)
    assert made.returncode == 0, made.stderr
    assert (work / "t.xlsx").stat().st_size > 0
    examples = _run([str(kenshu), "examples", "-o", "examples"], work)
    assert examples.returncode == 0, examples.stderr
    shipped = sorted(
        p.name for p in (source / "plugins/lgotp/src/kenshu_lgotp/examples").glob("*.xlsx")
    )
    copied = sorted(p.name for p in (work / "examples").glob("*.xlsx")) if shipped else []
    assert copied == shipped

    still_none = _run(
        [
            str(python),
            "-c",
            "import importlib.util as u; print(u.find_spec('core'), u.find_spec('cli'))",
        ],
        work,
    )
    assert still_none.stdout.strip() == "None None"


#: Each plugin of this repository: its distribution, the programmes it provides, its examples.
PLUGINS = {
    "leaders_vietnam": ("kenshu-leaders-vietnam", {"leaders-vietnam"}, "kenshu_leaders_vietnam"),
    "jst": ("kenshu-jst", {"jst"}, "kenshu_jst"),
    "hokkaido": (
        "kenshu-hokkaido",
        {
            "hokkaido-lectures",
            "hokkaido-course",
            "hokkaido-seminars",
            "hokkaido-exchange-mission",
            "hokkaido-highschool-mission",
            "hokkaido-technical-trainees",
        },
        "kenshu_hokkaido",
    ),
}


def test_each_plugin_alone_gives_a_working_kenshu(tmp_path: Path) -> None:
    """`pip install . plugins/NAME` alone: only that plugin's programmes, its examples
    copied out, and validate/report run on them (exit 0 or 1: the examples plant problems)."""
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCES)
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = "Scripts" if sys.platform == "win32" else "bin"
    python = env_dir / bindir / "python"
    kenshu = env_dir / bindir / "kenshu"
    _pip_install(python, tmp_path, source)

    for name, (distribution, codes, package) in PLUGINS.items():
        work = tmp_path / name
        work.mkdir()
        _pip_install(python, work, source / "plugins" / name)
        listed = _run([str(kenshu), "programmes", "--json"], work)
        assert listed.returncode == 0, listed.stderr
        assert listed.stderr == ""
        found = {p["code"] for p in json.loads(listed.stdout)["programmes"]}
        assert found == codes, name

        examples = _run([str(kenshu), "examples", "-o", "examples"], work)
        assert examples.returncode == 0, examples.stderr
        shipped = sorted(
            p.name
            for p in (source / "plugins" / name / "src" / package / "examples").glob("*.xlsx")
        )
        copied = sorted(p.name for p in (work / "examples").glob("*.xlsx"))
        assert copied == shipped and shipped, name
        for workbook in copied:
            for command in ("validate", "report"):
                done = _run([str(kenshu), command, f"examples/{workbook}", "--json"], work)
                assert done.returncode in (0, 1), (workbook, command, done.stderr)
                assert "Traceback" not in done.stderr
                json.loads(done.stdout)

        removed = _run([str(python), "-m", "pip", "uninstall", "--yes", distribution], work)
        assert removed.returncode == 0, removed.stderr
