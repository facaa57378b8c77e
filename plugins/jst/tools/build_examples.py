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

from pathlib import Path

from kenshu.testing.examples import build_examples

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "kenshu_jst" / "examples"

#: (JSON source, workbook to write, language of sheet names and labels)
BUILDS = (
    ("jst-2017.json", "jst-2017.xlsx", "en"),
    ("jst-2019.json", "jst-2019.xlsx", "en"),
    ("jst-2020.json", "jst-2020.xlsx", "en"),
    ("jst-2020.json", "jst-2020-ja.xlsx", "ja"),
    ("jst-2021.json", "jst-2021.xlsx", "en"),
)


def main(argv: list[str] | None = None) -> None:
    """Build every example workbook into the examples folder (or ``--out``)."""
    build_examples(EXAMPLES, BUILDS, argv, description=__doc__)


if __name__ == "__main__":
    main()
