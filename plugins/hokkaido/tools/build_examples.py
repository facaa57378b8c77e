"""Regenerate the hokkaido example workbooks from their JSON sources.

Each JSON file (``src/kenshu_hokkaido/examples/*.json``) is the source of truth; its
workbook is built from it with ``kenshu convert`` (the lectures also in Japanese, with
``--lang ja``). Run after editing a JSON file, from anywhere::

    python plugins/hokkaido/tools/build_examples.py

``tests/test_hokkaido_examples.py`` fails when a committed workbook drifts from its JSON.
"""

from __future__ import annotations

from pathlib import Path

from kenshu.testing.examples import build_examples

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


def main(argv: list[str] | None = None) -> None:
    """Build every example workbook into the examples folder (or ``--out``)."""
    build_examples(EXAMPLES, BUILDS, argv, description=__doc__)


if __name__ == "__main__":
    main()
