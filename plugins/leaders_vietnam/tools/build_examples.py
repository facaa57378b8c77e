"""Regenerate the leaders-vietnam example workbooks from their JSON source.

The JSON (``leaders-vietnam-4.json``, modelled on the 4th programme, 12 May - 8 June 2024) is
the source of truth; the workbooks are built from it with ``kenshu convert``, in English and
in Japanese (``--lang ja``), so they always carry the same cohort. Run after editing the
JSON, from anywhere::

    python plugins/leaders_vietnam/tools/build_examples.py

``tests/test_leaders_vietnam_examples.py`` fails when the committed workbooks drift from the JSON.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "kenshu_leaders_vietnam" / "examples"

#: (JSON source, workbook to write, language of sheet names and labels)
BUILDS = (
    ("leaders-vietnam-4.json", "leaders-vietnam-4.xlsx", "en"),
    ("leaders-vietnam-4.json", "leaders-vietnam-4-ja.xlsx", "ja"),
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
