"""Small helpers about cells: column letters, label normalisation, safe text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SEPARATORS = re.compile(r"[\s_\-・:：()（）\[\]［］*＊]+")


@lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@lru_cache(maxsize=8192)
def normalise_label(text: str) -> str:
    """A header or sheet name reduced for matching: NFKC (full-width to half-width),
    case-folded, without spaces, underscores, hyphens, colons or brackets."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


#: Characters that make a spreadsheet program treat text as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    """True when ``text`` would start a formula if typed into a cell or read from CSV."""
    return text.startswith(FORMULA_TRIGGERS)
