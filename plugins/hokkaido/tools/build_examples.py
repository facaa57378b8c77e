"""Regenerate the hokkaido example workbooks from their JSON sources.

Each JSON file (``src/kenshu_hokkaido/examples/*.json``) is the source of truth; its
workbook is built from it with ``kenshu convert`` (the lectures also in Japanese, with
``--lang ja``). Run after editing a JSON file, from anywhere::

    python plugins/hokkaido/tools/build_examples.py

``tests/test_hokkaido_examples.py`` fails when a committed workbook drifts from its JSON.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "kenshu_hokkaido" / "examples"
CODES = (
    "hokkaido-lectures",
    "hokkaido-course",
    "hokkaido-seminars",
    "hokkaido-exchange-mission",
    "hokkaido-highschool-mission",
    "hokkaido-technical-trainees",
)

#: (JSON source, workbook to write, language of sheet names and labels)
BUILDS = (
    *((f"{code}-fy2024.json", f"{code}-fy2024.xlsx", "en") for code in CODES),
    ("hokkaido-lectures-fy2024.json", "hokkaido-lectures-fy2024-ja.xlsx", "ja"),
)


def kenshu_convert(source: Path, target: Path, lang: str) -> None:
    """Run ``kenshu convert SOURCE TARGET --lang LANG`` with this interpreter's kenshu."""
    command = [sys.executable, "-m", "kenshu", "convert", str(source), str(target), "--lang", lang]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"kenshu convert failed ({done.returncode}): {done.stderr.strip()}")
    print(done.stdout.strip())


def main(argv: list[str] | None = None) -> None:
    """Build every example workbook into the examples folder (or ``--out``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=EXAMPLES,
        help="Folder to write the workbooks to (default: the plugin's examples folder).",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for source, target, lang in BUILDS:
        kenshu_convert(EXAMPLES / source, args.out / target, lang)


if __name__ == "__main__":
    main()
