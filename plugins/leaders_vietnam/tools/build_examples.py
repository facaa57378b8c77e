"""Regenerate the leaders-vietnam example workbooks from their JSON source.

The JSON (``leaders-vietnam-4.json``, modelled on the 4th programme, 12 May - 8 June 2024) is
the source of truth; the workbooks are built from it with ``kenshu convert``, in English and
in Japanese (``--lang ja``), so they always carry the same cohort. Run after editing the
JSON, from anywhere::

    python plugins/leaders_vietnam/tools/build_examples.py

``tests/test_leaders_vietnam_examples.py`` fails when the committed workbooks drift from the JSON.
"""

from __future__ import annotations

from pathlib import Path

from kenshu.testing.examples import build_examples

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "kenshu_leaders_vietnam" / "examples"

#: (JSON source, workbook to write, language of sheet names and labels)
BUILDS = (
    ("leaders-vietnam-4.json", "leaders-vietnam-4.xlsx", "en"),
    ("leaders-vietnam-4.json", "leaders-vietnam-4-ja.xlsx", "ja"),
)


def main(argv: list[str] | None = None) -> None:
    """Build every example workbook into the examples folder (or ``--out``)."""
    build_examples(EXAMPLES, BUILDS, argv, description=__doc__)


if __name__ == "__main__":
    main()
