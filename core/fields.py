"""Field and sheet specifications: what a column means, separate from where it is.

A :class:`Field` describes one column (or one Cohort row): its stable id, type, labels in
English and Japanese, help, choices and sensitivity. Core fields are declared in
:mod:`kenshu.catalogue`; plugins contribute theirs through the ``kenshu_fields`` hook.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen

#: Field types and what a cell must hold for each.
FIELD_TYPES = {
    "text": "free text",
    "code": "an identifier or code, written as text",
    "integer": "a whole number",
    "number": "a number",
    "date": "a date (a date cell, an Excel serial number or YYYY-MM-DD text)",
    "choice": "one of the listed values",
    "yes_no": "yes or no",
    "list": "values separated by ';'",
    "country": "an ISO 3166-1 alpha-2 country code (a country name is accepted)",
    "country_list": "ISO 3166-1 alpha-2 codes separated by ';'",
    "email": "an e-mail address",
    "kana": "text in kana (half-width katakana is made full-width)",
}

#: How carefully a field's values must be handled: ``personal`` (identifies a person:
#: names, e-mail, gender), ``sensitive`` (special care: date of birth, passport number,
#: health); ``--redact`` removes or masks both (see :mod:`kenshu.privacy`).
SENSITIVITIES = ("public", "personal", "sensitive")


def _freeze_mapping(value: Mapping[str, str] | None) -> dict[str, str]:
    return dict(value or {})


def _as_tuple(value: Iterable[str]) -> tuple[str, ...]:
    # not converter=tuple: attrs reads a converter's signature, and reading a builtin's
    # parses its text signature (8 ms of every start, importing tokenize for it)
    return tuple(value)


@frozen
class Field:
    """One field of one sheet.

    ``aliases`` maps other accepted spellings (any case, e.g. ``"female"`` or ``"女"``) to a
    choice. ``source`` is ``"core"`` or the plugin that contributed the field.
    """

    id: str
    type: str = field(default="text")
    label: str = ""
    label_ja: str = ""
    help: str = ""
    help_ja: str = ""
    required: bool = False
    choices: tuple[str, ...] = field(default=(), converter=_as_tuple)
    aliases: dict[str, str] = field(factory=dict, converter=_freeze_mapping)
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    sensitivity: str = "public"
    sheet: str = "participants"
    source: str = "core"

    def __attrs_post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.id}: unknown type {self.type!r}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"field {self.id}: a choice field needs choices")
        if self.sensitivity not in SENSITIVITIES:
            raise ValueError(f"field {self.id}: unknown sensitivity {self.sensitivity!r}")

    def labels(self) -> dict[str, str]:
        """Labels by language code."""
        return {"en": self.label or self.id, "ja": self.label_ja or self.label or self.id}

    def label_in(self, lang: str) -> str:
        """The label in ``lang`` (``en`` or ``ja``), falling back to English."""
        return self.labels().get(lang) or self.id


@frozen
class SheetSpec:
    """A sheet of the cohort workbook: its id, names and the field that identifies a row."""

    id: str
    label: str
    label_ja: str
    key: str | None
    layout: str = "table"  # "table": a header row and a row per record; "form": field | value

    def names(self) -> dict[str, str]:
        return {"en": self.label, "ja": self.label_ja}

    def name_in(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.label
