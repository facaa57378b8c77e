"""Dates in Japanese eras (和暦): reading 令和6年5月12日 or R6.5.12, and writing them.

The five modern eras are a small table of legal facts (each began on a day fixed by an
imperial rescript or cabinet order); a new era means a new kenshu release either way.
A maintained package (``japanera``) was considered: it parses one exact format per call,
its one-letter era heads are ambiguous across some 250 historical eras and the Western
era (``S64.1.7`` comes back as both AD 64 and Showa 64), and it reports an out-of-era date
through :mod:`warnings`. What staff type needs its own pattern anyway, and the arithmetic
is one line, so the table lives here.

Forms read (after NFKC folding, so full-width digits, letters and the one-character era
signs such as ㍻ and ㋿ are read too):

* ``令和6年5月12日``, ``令和元年5月1日``, ``令和 6 年 5 月 12 日``, ``令和六年五月十二日``;
* ``R6.5.12``, ``R06/05/12``, ``r6-5-12``, ``H31.4.30``, ``S64.1.7``, ``R6年5月12日``;
* ``令6.5.12``, ``平31.4.30`` (the one-kanji abbreviations used on forms);
* a trailing weekday in brackets, ``令和6年5月12日(日)``, is ignored.

The era boundary: a date written in an era but falling after it ended (平成31年5月1日,
which does not exist in law but appears on forms printed before the new era was named) is
read by counting on, as 2019-05-01, with a warning that names the correct era date. A date
before its era began (令和元年4月30日) is an error. Dates before Meiji 6 (1873) used the
old lunisolar calendar and are not read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from attrs import frozen


@frozen
class Era:
    """One modern Japanese era: its name, letter, one-kanji abbreviation and first day."""

    name: str  # 令和
    letter: str  # R
    short: str  # 令
    romaji: str  # Reiwa
    start: dt.date

    def year_of(self, day: dt.date) -> int:
        """The era year of ``day`` (1 for the first year)."""
        return day.year - self.start.year + 1


#: The modern eras, oldest first. Meiji's first day is 1 January Meiji 1 of the old calendar.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", "明", "Meiji", dt.date(1868, 1, 25)),
    Era("大正", "T", "大", "Taisho", dt.date(1912, 7, 30)),
    Era("昭和", "S", "昭", "Showa", dt.date(1926, 12, 25)),
    Era("平成", "H", "平", "Heisei", dt.date(1989, 1, 8)),
    Era("令和", "R", "令", "Reiwa", dt.date(2019, 5, 1)),
)
_BY_SIGN = {sign: era for era in ERAS for sign in (era.name, era.letter, era.short)}
_NEXT = {ERAS[i]: ERAS[i + 1] for i in range(len(ERAS) - 1)}
#: Japan adopted the Gregorian calendar on 1 January Meiji 6; earlier dates are lunisolar.
GREGORIAN_FROM = dt.date(1873, 1, 1)

_SIGN = r"(?P<era>明治|大正|昭和|平成|令和|[明大昭平令]|[MTSHRmtshr])"
_NUM = r"(?:\d{1,2}|[〇一二三四五六七八九十]{1,3})"
_WEEKDAY = r"(?:\s*\([^)]{1,3}\))?"
_KANJI_FORM = re.compile(
    rf"^{_SIGN}\s*(?P<year>元|\d{{3}}|{_NUM})\s*年\s*(?P<month>{_NUM})\s*月\s*(?P<day>{_NUM})\s*日{_WEEKDAY}$"
)
_DOTTED_FORM = re.compile(
    rf"^{_SIGN}\s*(?P<year>元|\d{{1,3}})\s*(?P<sep>[./\-])\s*(?P<month>\d{{1,2}})\s*(?P=sep)\s*"
    rf"(?P<day>\d{{1,2}}){_WEEKDAY}$"
)
_KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


class WarekiError(ValueError):
    """Text written as an era date that is not a date; ``ja`` says so in Japanese."""

    def __init__(self, message: str, ja: str) -> None:
        super().__init__(message)
        self.ja = ja


@frozen
class EraDate:
    """A date read from era text: the date, the era written, and whether it lay past it."""

    date: dt.date
    era: Era
    year: int  # the era year as written
    past_era_end: bool = False

    def note(self) -> tuple[str, str] | None:
        """For a date past its era's end, ``(English, Japanese)`` warnings; else None."""
        if not self.past_era_end:
            return None
        written = f"{self.era.name}{self.year}年{self.date.month}月{self.date.day}日"
        correct = format_wareki(self.date)
        last = _NEXT[self.era].start - dt.timedelta(days=1)
        return (
            f"{written} is past the end of {self.era.romaji} ({self.era.name}, which ended on "
            f"{last.isoformat()}); read as {self.date.isoformat()}, which is {correct}",
            f"{written}は{self.era.name}の終わり({format_wareki(last)})より後の日付です。"
            f"{self.date.isoformat()}({correct})として読み取りました",
        )


def _number(text: str) -> int:
    """A number written in digits, 元 or kanji numerals up to 99 (十二, 二十三, 三十一)."""
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = _KANJI_DIGITS[tens] if tens else 1
        low = _KANJI_DIGITS[ones] if ones else 0
        return high * 10 + low
    value = 0
    for char in text:
        value = value * 10 + _KANJI_DIGITS[char]
    return value


def looks_like_wareki(text: str) -> bool:
    """Does ``text`` (NFKC-folded) start with an era sign? A cheap test before parsing."""
    return bool(text) and (text[0] in "明大昭平令MTSHRmtshr")


def parse_wareki(text: str) -> EraDate | None:
    """The date ``text`` writes in a Japanese era, or None when it is not era text.

    ``text`` should be NFKC-folded and stripped (the cell converters do this). Raises
    :class:`WarekiError` for era text that names no real date.
    """
    match = _KANJI_FORM.match(text) or _DOTTED_FORM.match(text)
    if match is None:
        return None
    sign = match["era"]
    era = _BY_SIGN.get(sign) or _BY_SIGN[sign.upper()]
    try:
        year, month, day = (_number(match[k]) for k in ("year", "month", "day"))
    except KeyError:
        raise WarekiError(
            f"{text!r} is not a date (unreadable numerals)",
            f"「{text}」は日付として読み取れません(数字が読めません)",
        ) from None
    if year < 1:
        raise WarekiError(
            f"{text!r}: era years start at 1 (元年)",
            f"「{text}」: 和暦の年は元年(1年)から始まります",
        )
    try:
        day_value = dt.date(era.start.year + year - 1, month, day)
    except ValueError:
        raise WarekiError(
            f"{text!r} is not a real date", f"「{text}」は存在しない日付です"
        ) from None
    if day_value < era.start:
        raise WarekiError(
            f"{text!r} is before {era.romaji} ({era.name}) began on {era.start.isoformat()}; "
            f"that day is {format_wareki(day_value)}",
            f"「{text}」は{era.name}の始まり({era.start.isoformat()})より前の日付です。"
            f"この日は{format_wareki(day_value)}です",
        )
    if day_value < GREGORIAN_FROM:
        raise WarekiError(
            f"{text!r} is before 1873, when Japan used the lunisolar calendar; give the date "
            "as YYYY-MM-DD",
            f"「{text}」は明治6年(1873年)の改暦より前の日付のため読み取れません。"
            "西暦(YYYY-MM-DD)で入力してください",
        )
    following = _NEXT.get(era)
    past = following is not None and day_value >= following.start
    return EraDate(day_value, era, year, past_era_end=past)


def era_of(day: dt.date) -> Era | None:
    """The era ``day`` falls in, or None before Meiji 6 (the lunisolar calendar)."""
    if day < GREGORIAN_FROM:
        return None
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    return None


def format_wareki(day: dt.date, style: str = "kanji") -> str:
    """``day`` in its era: ``令和6年5月12日`` (``元年`` for the first year), or with
    ``style="letter"`` ``R6.5.12``. Dates before 1873 are written as ISO 8601."""
    if isinstance(day, dt.datetime):
        day = day.date()
    era = era_of(day)
    if era is None:
        return day.isoformat()
    year = era.year_of(day)
    if style == "letter":
        return f"{era.letter}{year}.{day.month}.{day.day}"
    written = "元" if year == 1 else str(year)
    return f"{era.name}{written}年{day.month}月{day.day}日"


DATE_STYLES = ("iso", "wareki")


def format_date(value: object, style: str = "iso") -> object:
    """A cell value with dates written in ``style`` (``iso`` keeps them as dates)."""
    if style == "wareki" and isinstance(value, dt.date):
        return format_wareki(value)
    return value


def fold(text: str) -> str:
    """NFKC-fold and strip, as the cell converters do (full-width forms, ㍻ and ㋿)."""
    return unicodedata.normalize("NFKC", text).strip()
