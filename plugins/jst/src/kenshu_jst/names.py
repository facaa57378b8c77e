"""Normalising names and organisations so that the same person is recognised across tours:
case, spacing, punctuation and diacritics do not matter (``Søren  Ødegård`` = ``soren
odegard``, ``Leeds City Council`` = ``leeds city council``)."""

from __future__ import annotations

import re
import unicodedata

#: Latin letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "'": "",
        "\u2019": "",
        "\u2018": "",
    }
)
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str | None) -> str:
    """Lower case, no diacritics, words separated by one space; '' for nothing."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", str(text).translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def person_name(family: str | None, given: str | None) -> str:
    """A person's normalised name, given name first."""
    return normalise(f"{given or ''} {family or ''}")
