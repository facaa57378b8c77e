"""Turning cell values into typed field values.

Each field type has a converter ``(value) -> value`` that raises :class:`CellProblem` with
a readable reason. Converters are chosen once per column (:func:`converter_for`), so the
per-cell cost stays small. Text is NFKC-normalised where it is a code, a number or a date
(full-width digits and letters become half-width); free text is kept as written. Dates
are also read in Japanese eras (令和6年5月12日, R6.5.12: see :mod:`kenshu.wareki`).

A problem carries its reason in English and Japanese (``CellProblem(message, ja=...)``);
:func:`convert` returns it as a :class:`Reason`, a string with ``ja`` and ``severity``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from kenshu.fields import Field
from kenshu.wareki import WarekiError, looks_like_wareki, parse_wareki


class CellProblem(ValueError):
    """A cell value that does not fit its field; the message says what was expected.

    ``ja`` is the same reason in Japanese (falls back to the English message).
    """

    def __init__(self, message: str, ja: str | None = None) -> None:
        super().__init__(message)
        self.ja = ja


class CellNote(CellProblem):
    """A value that was read (``value``) but deserves a warning, e.g. 平成31年5月1日.

    :func:`convert` returns the value with a warning :class:`Reason`; a caller that calls a
    converter directly and catches :class:`CellProblem` treats it as a problem (safe).
    """

    def __init__(
        self, value: Any, message: str, ja: str | None = None, code: str = "core.value-note"
    ) -> None:
        super().__init__(message, ja)
        self.value = value
        self.code = code


class Reason(str):
    """Why a cell was not (cleanly) read: the English text, with ``ja`` and ``severity``
    (``"error"``: the value is unusable; ``"warning"``: it was read, see the note) and,
    for a warning, the finding ``code`` to report it under."""

    ja: str | None
    severity: str
    code: str

    def __new__(
        cls,
        message: str,
        ja: str | None = None,
        severity: str = "error",
        code: str = "core.invalid-value",
    ) -> Reason:
        reason = super().__new__(cls, message)
        reason.ja = ja
        reason.severity = severity
        reason.code = code
        return reason


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's leap-year bug absorbed)
_MAX_SERIAL = 2_958_465  # 9999-12-31
_DATE_TEXT = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_TEXT_JA = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

YES = frozenset({"yes", "y", "true", "1", "はい", "有", "あり", "○", "〇", "済"})
NO = frozenset({"no", "n", "false", "0", "いいえ", "無", "なし", "×", "未"})


def _nfkc(text: str) -> str:
    if text.isascii():  # nothing to fold; skips the costly normalisation for most cells
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def to_text(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise _Empty
        return text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_code(value: Any) -> str:
    if type(value) is str and value.isascii():  # the common case, without the detours
        text = value.strip()
        if text:
            return text
    return _nfkc(to_text(value))


def to_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise CellProblem(
            "expected a whole number, got yes/no",
            "整数を入力してください(はい・いいえが入っています)",
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellProblem(
            f"expected a whole number, got {value}",
            f"整数を入力してください(「{value}」が入っています)",
        )
    if isinstance(value, str):
        text = _nfkc(value).replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise CellProblem(
                f"expected a whole number, got {value!r}",
                f"整数を入力してください(「{value}」が入っています)",
            ) from None
        if number.is_integer():
            return int(number)
        raise CellProblem(
            f"expected a whole number, got {value!r}",
            f"整数を入力してください(「{value}」が入っています)",
        )
    raise CellProblem(
        f"expected a whole number, got {type(value).__name__}", "整数を入力してください"
    )


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise CellProblem(
            "expected a number, got yes/no", "数値を入力してください(はい・いいえが入っています)"
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        text = _nfkc(value).replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise CellProblem(
                f"expected a number, got {value!r}",
                f"数値を入力してください(「{value}」が入っています)",
            ) from None
        return int(number) if number.is_integer() else number
    raise CellProblem(f"expected a number, got {type(value).__name__}", "数値を入力してください")


def to_date(value: Any) -> dt.date:
    if type(value) is str and len(value) == 10 and value[4] == value[7] == "-" and value.isascii():
        try:  # ISO 8601, as JSON and most date text has it: the fast way
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # not a real date: said below
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _MAX_SERIAL and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellProblem(
            f"expected a date, got the number {value}",
            f"日付を入力してください(数値「{value}」が入っています)",
        )
    if isinstance(value, str):
        text = _nfkc(value)
        match = _DATE_TEXT.match(text) or _DATE_TEXT_JA.match(text)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise CellProblem(
                    f"{value!r} is not a real date", f"「{value}」は存在しない日付です"
                ) from None
        if looks_like_wareki(text):
            try:
                read = parse_wareki(text)
            except WarekiError as exc:
                raise CellProblem(str(exc), exc.ja) from None
            if read is not None:
                note = read.note()
                if note is not None:
                    raise CellNote(read.date, *note, code="core.date-past-era")
                return read.date
        raise CellProblem(
            f"expected a date (YYYY-MM-DD or 令和6年5月12日), got {value!r}",
            f"日付(YYYY-MM-DD または 令和6年5月12日 の形)を入力してください(「{value}」が入っています)",
        )
    raise CellProblem(f"expected a date, got {type(value).__name__}", "日付を入力してください")


def to_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if type(value) is str:  # the words themselves, as most cells have them
        answer = _YES_NO_WORDS.get(value)
        if answer is not None:
            return answer
    text = _nfkc(to_text(value)).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellProblem(
        f"expected yes or no, got {value!r}",
        f"「はい」か「いいえ」を入力してください(「{value}」が入っています)",
    )


#: The words as typed (each is its own normal form): answered without normalising.
_YES_NO_WORDS = {**dict.fromkeys(YES, True), **dict.fromkeys(NO, False)}


def to_list(value: Any) -> tuple[str, ...]:
    text = to_text(value).replace("；", ";")
    return tuple(part.strip() for part in text.split(";") if part.strip())


def to_email(value: Any) -> str:
    if type(value) is str and value.isascii():  # the common case, without the detours
        text = value.strip()
        if text and _EMAIL.match(text):
            return text
    text = _nfkc(to_text(value))
    if not _EMAIL.match(text):
        raise CellProblem(
            f"{value!r} is not an e-mail address", f"「{value}」はメールアドレスの形ではありません"
        )
    return text


_HALF_WIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")


def to_kana(value: Any) -> str:
    """Kana text with half-width katakana (ﾔﾏﾀﾞ) made full-width (ヤマダ); the rest as typed."""
    text = to_text(value)
    if text.isascii():
        return text
    return _HALF_WIDTH_KANA.sub(lambda run: unicodedata.normalize("NFKC", run[0]), text)


def _choice_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", _nfkc(text).casefold())


def choice_converter(field: Field) -> Callable[[Any], str]:
    lookup = {_choice_key(choice): choice for choice in field.choices}
    lookup.update({_choice_key(alias): choice for alias, choice in field.aliases.items()})
    expected = ", ".join(field.choices)
    seen: dict[Any, str] = {}  # a column repeats few values: remember each raw value's answer

    def convert(value: Any) -> str:
        known = seen.get(value)
        if known is not None:
            return known
        text = to_text(value)
        try:
            choice = lookup[_choice_key(text)]
        except KeyError:
            raise CellProblem(
                f"{text!r} is not one of: {expected}",
                f"「{text}」は選択肢にありません(選べる値: {expected})",
            ) from None
        if len(seen) < 1024:
            seen[value] = choice
        return choice

    convert.known = seen  # type: ignore[attr-defined]  # see KNOWN
    return convert


def to_country(value: Any) -> str:
    known = _countries_seen.get(value) if type(value) is str else None
    if known is not None:  # a column repeats a few countries many times
        return known
    text = to_code(value)
    code = country_code(text)
    if code is None:
        raise CellProblem(
            f"{text!r} is not an ISO 3166-1 country code or country name",
            f"「{text}」は国コード(ISO 3166-1の2文字、例: VN)または国名として読み取れません",
        )
    if type(value) is str and len(_countries_seen) < 4096:
        _countries_seen[value] = code
    return code


_countries_seen: dict[str, str] = {}  # cell text -> its code
to_country.known = _countries_seen  # type: ignore[attr-defined]  # see KNOWN

#: ``converter.known``, on the converters that have it: the values they have already
#: converted, by cell text, that a caller may look a cell up in before calling them
#: (the reader does, for every cell of such a column). Filled by the converter only.
KNOWN = "known"


def to_country_list(value: Any) -> tuple[str, ...]:
    return tuple(to_country(part) for part in to_list(value))


# Common English names that differ from ISO's short names.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "unitedkingdom": "GB",
    "greatbritain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northernireland": "GB",
    "vietnam": "VN",
    "southkorea": "KR",
    "korea": "KR",
    "republicofkorea": "KR",
    "russia": "RU",
    "laos": "LA",
    "turkey": "TR",
    "türkiye": "TR",
    "usa": "US",
    "unitedstates": "US",
    "bolivia": "BO",
    "venezuela": "VE",
    "iran": "IR",
    "tanzania": "TZ",
    "ireland": "IE",
    "republicofireland": "IE",
    "czechrepublic": "CZ",
    "dominicanrepublic": "DO",
    "日本": "JP",
    "ベトナム": "VN",
    "フィリピン": "PH",
    "中国": "CN",
    "韓国": "KR",
    "イギリス": "GB",
    "英国": "GB",
    "ブラジル": "BR",
    "タイ": "TH",
    "インドネシア": "ID",
}


def _country_key(text: str) -> str:
    return re.sub(r"[\s\-'.,]+", "", _nfkc(text).casefold())


@lru_cache(maxsize=1)
def _country_table() -> dict[str, str]:
    import pycountry

    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                table[_country_key(name)] = country.alpha_2
        table[country.alpha_3.casefold()] = country.alpha_2
    table.update(_COUNTRY_ALIASES)
    return table


@lru_cache(maxsize=1)
def _alpha2() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


@lru_cache(maxsize=4096)  # a column repeats a few countries many times
def country_code(text: str) -> str | None:
    """An ISO 3166-1 alpha-2 code for a code or an English (or common Japanese) name."""
    if len(text) == 2 and text.upper() in _alpha2():
        return text.upper()
    return _country_table().get(_country_key(text))


def is_country_code(code: str) -> bool:
    """True for an assigned ISO 3166-1 alpha-2 code."""
    return code in _alpha2()


class _EmptyType(Exception):
    """Raised by converters for a blank text cell: the field is empty, not invalid."""


_Empty = _EmptyType()

_BY_TYPE: dict[str, Callable[[Any], Any]] = {
    "text": to_text,
    "code": to_code,
    "integer": to_integer,
    "number": to_number,
    "date": to_date,
    "yes_no": to_yes_no,
    "list": to_list,
    "country": to_country,
    "country_list": to_country_list,
    "email": to_email,
    "kana": to_kana,
}


def converter_for(field: Field) -> Callable[[Any], Any]:
    """The converter for ``field``, with its bounds checked."""
    base = choice_converter(field) if field.type == "choice" else _BY_TYPE[field.type]
    if field.minimum is None and field.maximum is None:
        return base
    low, high = field.minimum, field.maximum

    def bounded(value: Any) -> Any:
        number = base(value)
        if low is not None and number < low:
            raise CellProblem(
                f"{number} is below the minimum {low:g}", f"{number}は最小値{low:g}より小さい値です"
            )
        if high is not None and number > high:
            raise CellProblem(
                f"{number} is above the maximum {high:g}",
                f"{number}は最大値{high:g}より大きい値です",
            )
        return number

    return bounded


def convert(field_converter: Callable[[Any], Any], value: Any) -> tuple[Any, Reason | None]:
    """``(typed value or None, problem or None)``; a blank cell is ``(None, None)``.

    The problem is a :class:`Reason` (a ``str`` with ``ja`` and ``severity``). A value read
    with a warning (a :class:`CellNote`) comes back as ``(value, warning reason)``.
    """
    if value is None:
        return None, None
    try:
        return field_converter(value), None
    except _EmptyType:
        return None, None
    except CellNote as note:
        return note.value, Reason(str(note), note.ja, "warning", note.code)
    except CellProblem as exc:
        return None, Reason(str(exc), exc.ja)


EmptyCell = _EmptyType
