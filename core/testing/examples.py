"""Example workbooks built from their JSON source, and the check that they still match it.

A plugin's example cohorts are kept as JSON (the source of truth: readable, diffable) and
built into workbooks with ``kenshu convert``, in English and, with ``--lang ja``, in
Japanese, so that every workbook carries the same cohort. The plugin's
``tools/build_examples.py`` is its table of builds and one call::

    from kenshu.testing.examples import build_examples

    EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "kenshu_mine" / "examples"
    #: (JSON source, workbook to write, language of sheet names and labels)
    BUILDS = (("mine-2025.json", "mine-2025.xlsx", "en"), ("mine-2025.json", "mine-2025-ja.xlsx", "ja"))

    if __name__ == "__main__":
        build_examples(EXAMPLES, BUILDS, description=__doc__)

and a test keeps the committed workbooks true to their JSON::

    @pytest.mark.parametrize(("workbook", "source"), [(b[1], b[0]) for b in BUILDS])
    def test_committed_workbook_matches_its_json(workbook, source, tmp_path):
        assert_matches_json(EXAMPLES / workbook, EXAMPLES / source, tmp_path)

The tool runs ``kenshu`` as a subprocess of the interpreter that runs it, so it needs
kenshu's test extras (pytest) installed, as the tests do.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from kenshu.plugins import PluginRegistry

#: One build: (JSON source, workbook to write, language of sheet names and labels).
Build = tuple[str, str, str]


def kenshu_convert(source: Path, target: Path, lang: str) -> None:
    """Run ``kenshu convert SOURCE TARGET --lang LANG`` with this interpreter's kenshu and
    print what it says; exits (``SystemExit``) with kenshu's message when it fails."""
    command = [sys.executable, "-m", "kenshu", "convert", str(source), str(target), "--lang", lang]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"kenshu convert failed ({done.returncode}): {done.stderr.strip()}")
    print(done.stdout.strip())


def build_examples(
    examples_dir: Path,
    builds: Iterable[Build],
    argv: Sequence[str] | None = None,
    *,
    description: str | None = None,
) -> None:
    """The command line of a plugin's ``tools/build_examples.py``: build every workbook of
    ``builds`` from its JSON source in ``examples_dir`` into ``examples_dir``, or into the
    folder given with ``--out`` (created if missing).

    ``argv`` are the arguments (default: the command line's); ``description`` is the
    ``--help`` text (its first line is used; a tool passes its ``__doc__``).
    """
    examples_dir = Path(examples_dir)
    parser = argparse.ArgumentParser(
        description=(description or "Build the example workbooks from their JSON source.")
        .strip()
        .splitlines()[0]
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=examples_dir,
        help="Folder to write the workbooks to (default: the plugin's examples folder).",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for source, target, lang in builds:
        kenshu_convert(examples_dir / source, args.out / target, lang)


def converted_json(
    workbook: Path, folder: Path, *, registry: PluginRegistry | None = None
) -> dict[str, Any]:
    """``kenshu convert WORKBOOK FOLDER/<name>.json`` in-process (which must succeed), and
    the JSON it wrote, parsed."""
    from kenshu.testing import invoke

    workbook = Path(workbook)
    target = Path(folder) / f"{workbook.name}.json"
    result = invoke("convert", workbook, target, registry=registry, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(target.read_text(encoding="utf-8"))


def assert_matches_json(
    workbook: Path,
    source: Path,
    folder: Path,
    *,
    tool: str = "tools/build_examples.py",
    ignore: Collection[str] = (),
    registry: PluginRegistry | None = None,
) -> None:
    """Assert that ``workbook``, converted back to JSON (into ``folder``, e.g. pytest's
    ``tmp_path``), is the JSON ``source`` it was built from: the whole document but the
    top-level keys in ``ignore``, dictionaries compared without regard to key order, lists
    (rows) in order. The failure names the ``tool`` that rebuilds the workbook."""
    expected = json.loads(Path(source).read_text(encoding="utf-8"))
    converted = converted_json(workbook, folder, registry=registry)
    for key in ignore:
        expected.pop(key, None)
        converted.pop(key, None)
    assert converted == expected, f"{Path(workbook).name} is out of date: run {tool}"


__all__ = ["Build", "assert_matches_json", "build_examples", "converted_json", "kenshu_convert"]
