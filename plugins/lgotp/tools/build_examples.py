"""Regenerate the LGOTP example workbooks from their JSON source.

The JSON (``lgotp-fy2024.json``) is the source of truth; the workbooks are built from it with
``kenshu convert``, in English and in Japanese (``--lang ja``), so they always carry the same
cohort. Run after editing the JSON, from anywhere::

    python plugins/lgotp/tools/build_examples.py

``tests/test_examples.py`` fails when the committed workbooks drift from the JSON.
"""

from __future__ import annotations

from pathlib import Path

from kenshu.testing.examples import build_examples

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "kenshu_lgotp" / "examples"

#: (JSON source, workbook to write, language of sheet names and labels)
BUILDS = (
    ("lgotp-fy2024.json", "lgotp-fy2024.xlsx", "en"),
    ("lgotp-fy2024.json", "lgotp-fy2024-ja.xlsx", "ja"),
)


def main(argv: list[str] | None = None) -> None:
    """Build every example workbook into the examples folder (or ``--out``)."""
    build_examples(EXAMPLES, BUILDS, argv, description=__doc__)


if __name__ == "__main__":
    main()
