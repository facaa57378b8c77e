"""Regenerate the JST example workbooks from their JSON sources.

The JSON files (``jst-2017.json``, ``jst-2019.json``, ``jst-2020.json``, ``jst-2021.json``) are
the source of truth; the workbooks are built from them with ``kenshu convert`` (JST 2020 also
in Japanese, ``--lang ja``), so they always carry the same tours. Run after editing a JSON
file, from anywhere::

    python plugins/jst/tools/build_examples.py

``plugins/jst/tests/test_jst_examples.py`` fails when the committed workbooks drift from the
JSON.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "kenshu_jst" / "examples"

#: (JSON source, workbook to write, language of sheet names and labels)
BUILDS = (
    ("jst-2017.json", "jst-2017.xlsx", "en"),
    ("jst-2019.json", "jst-2019.xlsx", "en"),
    ("jst-2020.json", "jst-2020.xlsx", "en"),
    ("jst-2020.json", "jst-2020-ja.xlsx", "ja"),
    ("jst-2021.json", "jst-2021.xlsx", "en"),
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
