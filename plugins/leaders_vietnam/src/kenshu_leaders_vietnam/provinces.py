"""Vietnam's provincial-level units, as they were and as they are, and how names are matched.

Two lists are in force at different times:

* **before 1 July 2025**: the 63 units below (58 provinces and 5 centrally run cities; from
  1 January 2025 Thừa Thiên Huế province became Huế, a sixth centrally run city), shipped here
  as a dated table;
* **from 1 July 2025**: the 34 units of National Assembly Resolution 202/2025/QH15 (28
  provinces and 6 centrally run cities), taken from the maintained ``vietnam-provinces``
  package (General Statistics Office codes and names).

Each earlier unit names the unit it became (``successor``, the GSO code of a current unit), so a
name in force before the reorganisation is recognised for a later cohort and counted under the
unit it became. Names are matched without diacritics (``Hòa``/``Hoà``/``Hoa``, ``đ``/``d``), case,
spaces, hyphens or the prefixes *Tỉnh*, *Thành phố*, *TP.* and the English *Province*/*City*.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

PROVINCE, CENTRAL_CITY = "province", "central_city"
KIND_LABELS = {PROVINCE: "province", CENTRAL_CITY: "central city"}
KIND_LABELS_JA = {PROVINCE: "省", CENTRAL_CITY: "中央直轄市"}

#: Where the tables come from (also in the README and the settings' sources).
SOURCE_BEFORE = (
    "General Statistics Office of Viet Nam, list of provincial-level administrative units "
    "(codes of Decision 124/2004/QĐ-TTg), as in force until 30 June 2025; "
    "Huế: National Assembly Resolution 175/2024/QH15 (centrally run city from 1 January 2025)"
)
SOURCE_AFTER = (
    "National Assembly Resolution 202/2025/QH15 of 12 June 2025 on the arrangement of "
    "provincial-level administrative units (34 units from 1 July 2025)"
)
HUE_CITY_FROM = dt.date(2025, 1, 1)
HUE_PROVINCE_UNTIL = dt.date(2024, 12, 31)

#: The 63 units before 1 July 2025: (GSO code, name, kind, successor's GSO code,
#: valid from, valid until); empty dates mean "throughout the table's time".
BEFORE_2025: tuple[tuple[int, str, str, int, dt.date | None, dt.date | None], ...] = (
    (1, "Hà Nội", CENTRAL_CITY, 1, None, None),
    (2, "Hà Giang", PROVINCE, 8, None, None),
    (4, "Cao Bằng", PROVINCE, 4, None, None),
    (6, "Bắc Kạn", PROVINCE, 19, None, None),
    (8, "Tuyên Quang", PROVINCE, 8, None, None),
    (10, "Lào Cai", PROVINCE, 15, None, None),
    (11, "Điện Biên", PROVINCE, 11, None, None),
    (12, "Lai Châu", PROVINCE, 12, None, None),
    (14, "Sơn La", PROVINCE, 14, None, None),
    (15, "Yên Bái", PROVINCE, 15, None, None),
    (17, "Hòa Bình", PROVINCE, 25, None, None),
    (19, "Thái Nguyên", PROVINCE, 19, None, None),
    (20, "Lạng Sơn", PROVINCE, 20, None, None),
    (22, "Quảng Ninh", PROVINCE, 22, None, None),
    (24, "Bắc Giang", PROVINCE, 24, None, None),
    (25, "Phú Thọ", PROVINCE, 25, None, None),
    (26, "Vĩnh Phúc", PROVINCE, 25, None, None),
    (27, "Bắc Ninh", PROVINCE, 24, None, None),
    (30, "Hải Dương", PROVINCE, 31, None, None),
    (31, "Hải Phòng", CENTRAL_CITY, 31, None, None),
    (33, "Hưng Yên", PROVINCE, 33, None, None),
    (34, "Thái Bình", PROVINCE, 33, None, None),
    (35, "Hà Nam", PROVINCE, 37, None, None),
    (36, "Nam Định", PROVINCE, 37, None, None),
    (37, "Ninh Bình", PROVINCE, 37, None, None),
    (38, "Thanh Hóa", PROVINCE, 38, None, None),
    (40, "Nghệ An", PROVINCE, 40, None, None),
    (42, "Hà Tĩnh", PROVINCE, 42, None, None),
    (44, "Quảng Bình", PROVINCE, 44, None, None),
    (45, "Quảng Trị", PROVINCE, 44, None, None),
    (46, "Thừa Thiên Huế", PROVINCE, 46, None, HUE_PROVINCE_UNTIL),
    (46, "Huế", CENTRAL_CITY, 46, HUE_CITY_FROM, None),
    (48, "Đà Nẵng", CENTRAL_CITY, 48, None, None),
    (49, "Quảng Nam", PROVINCE, 48, None, None),
    (51, "Quảng Ngãi", PROVINCE, 51, None, None),
    (52, "Bình Định", PROVINCE, 52, None, None),
    (54, "Phú Yên", PROVINCE, 66, None, None),
    (56, "Khánh Hòa", PROVINCE, 56, None, None),
    (58, "Ninh Thuận", PROVINCE, 56, None, None),
    (60, "Bình Thuận", PROVINCE, 68, None, None),
    (62, "Kon Tum", PROVINCE, 51, None, None),
    (64, "Gia Lai", PROVINCE, 52, None, None),
    (66, "Đắk Lắk", PROVINCE, 66, None, None),
    (67, "Đắk Nông", PROVINCE, 68, None, None),
    (68, "Lâm Đồng", PROVINCE, 68, None, None),
    (70, "Bình Phước", PROVINCE, 75, None, None),
    (72, "Tây Ninh", PROVINCE, 80, None, None),
    (74, "Bình Dương", PROVINCE, 79, None, None),
    (75, "Đồng Nai", PROVINCE, 75, None, None),
    (77, "Bà Rịa - Vũng Tàu", PROVINCE, 79, None, None),
    (79, "Hồ Chí Minh", CENTRAL_CITY, 79, None, None),
    (80, "Long An", PROVINCE, 80, None, None),
    (82, "Tiền Giang", PROVINCE, 82, None, None),
    (83, "Bến Tre", PROVINCE, 86, None, None),
    (84, "Trà Vinh", PROVINCE, 86, None, None),
    (86, "Vĩnh Long", PROVINCE, 86, None, None),
    (87, "Đồng Tháp", PROVINCE, 82, None, None),
    (89, "An Giang", PROVINCE, 91, None, None),
    (91, "Kiên Giang", PROVINCE, 91, None, None),
    (92, "Cần Thơ", CENTRAL_CITY, 92, None, None),
    (93, "Hậu Giang", PROVINCE, 92, None, None),
    (94, "Sóc Trăng", PROVINCE, 92, None, None),
    (95, "Bạc Liêu", PROVINCE, 96, None, None),
    (96, "Cà Mau", PROVINCE, 96, None, None),
)

#: Units that were gone before the 63, whose names people still write: (GSO code, name,
#: kind, the GSO code of the unit it became, last day). Hà Tây province was merged into
#: Hà Nội from 1 August 2008 (National Assembly Resolution 15/2008/QH12); Hà Nội kept its
#: code, so the successor is the same code before and after 1 July 2025.
GONE_BEFORE: tuple[tuple[int, str, str, int, dt.date], ...] = (
    (28, "Hà Tây", PROVINCE, 1, dt.date(2008, 7, 31)),
)

#: Other spellings people write, by their matching key (see :func:`key`).
ALIASES = {
    "hcm": "hochiminh",
    "hcmc": "hochiminh",
    "tphcm": "hochiminh",
    "saigon": "hochiminh",
    "thanhphohochiminh": "hochiminh",
    "thuathien": "thuathienhue",
    "daclac": "daklak",
    "dacnong": "daknong",
}

_PREFIXES = ("tinh ", "thanh pho ", "tp ", "province of ", "city of ")
_SUFFIXES = (" province", " city")
_PUNCTUATION = re.compile(r"[\s\-‐‑–—_.,'’/()]+")


@dataclass(frozen=True)
class Unit:
    """A provincial-level unit: GSO code, name (without prefix), kind and when it was in force."""

    code: int
    name: str
    kind: str
    successor: int | None = None  # for an earlier unit: the current unit it became
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def label(self) -> str:
        return f"{self.name} ({KIND_LABELS[self.kind]})"


@dataclass(frozen=True)
class Match:
    """What a ``home_region`` names on a day.

    ``status`` is ``ok`` (a unit in force that day), ``superseded`` (a name no longer in force:
    ``unit`` is the unit it became, ``written`` the one the name denotes), ``not_yet`` (a unit
    only in force later; ``written`` is it, ``unit`` the unit in force that day, when known) or
    ``unknown``.
    """

    status: str
    unit: Unit | None = None
    written: Unit | None = None


def key(text: str) -> str:
    """The matching key of a unit's name: no diacritics, case, spaces, punctuation or prefix."""
    s = unicodedata.normalize("NFKC", text).casefold().replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    s = _PUNCTUATION.sub(" ", s).strip()
    for prefix in _PREFIXES:
        if s.startswith(prefix):
            s = s[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        s = s.removesuffix(suffix)
    s = s.replace(" ", "")
    return ALIASES.get(s, s)


@lru_cache(maxsize=1)
def current_units() -> dict[int, Unit]:
    """The 34 units in force since 1 July 2025, by GSO code, from ``vietnam-provinces``."""
    from vietnam_provinces import Province, VietNamDivisionType

    units = {}
    for p in Province.iter_all():
        kind = (
            CENTRAL_CITY
            if p.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG
            else PROVINCE
        )
        name = re.sub(r"^(Thành phố|Tỉnh)\s+", "", p.name)
        units[int(p.code)] = Unit(code=int(p.code), name=name, kind=kind)
    return units


def current_source() -> str:
    """The package and data version the current list comes from."""
    import vietnam_provinces

    return f"vietnam-provinces {vietnam_provinces.__version__} (data of {vietnam_provinces.__data_version__})"


@lru_cache(maxsize=1)
def earlier_units() -> tuple[Unit, ...]:
    """The 63 units before 1 July 2025 (Thừa Thiên Huế and Huế as two dated entries)."""
    return tuple(
        Unit(code, name, kind, successor, valid_from, valid_to)
        for code, name, kind, successor, valid_from, valid_to in BEFORE_2025
    )


@lru_cache(maxsize=1)
def gone_units() -> dict[str, Unit]:
    """The units gone before the 63 (see ``GONE_BEFORE``), by matching key."""
    return {
        key(name): Unit(code, name, kind, successor, None, last_day)
        for code, name, kind, successor, last_day in GONE_BEFORE
    }


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, Unit], dict[str, list[Unit]]]:
    current = {key(u.name): u for u in current_units().values()}
    earlier: dict[str, list[Unit]] = {}
    for unit in earlier_units():
        earlier.setdefault(key(unit.name), []).append(unit)
    return current, earlier


@lru_cache(maxsize=4096)
def resolve(name: str, day: dt.date, reorganised_on: dt.date) -> Match:
    """What ``name`` denotes on ``day``, when the 34-unit list took effect on ``reorganised_on``."""
    current, earlier = _indexes()
    k = key(name)
    if day >= reorganised_on:
        if k in current:
            return Match("ok", unit=current[k])
        written = earlier[k][-1] if k in earlier else None
        became = current_units().get(written.successor) if written else None
        if became is not None:
            return Match("superseded", unit=became, written=written)
        return _gone(k, day, reorganised_on)
    for unit in earlier.get(k, ()):
        if unit.in_force(day):
            return Match("ok", unit=unit)
    if k in earlier:
        written = earlier[k][0]
        then = _earlier_in_force(written.code, day)
        if written.valid_from is not None and day < written.valid_from:
            return Match("not_yet", unit=then, written=written)
        return Match("superseded", unit=then, written=written) if then else Match("unknown")
    if k in current:
        return Match("not_yet", written=current[k])
    return _gone(k, day, reorganised_on)


def _gone(k: str, day: dt.date, reorganised_on: dt.date) -> Match:
    """A unit gone before the 63: itself while it was in force, else the unit it became."""
    written = gone_units().get(k)
    if written is None:
        return Match("unknown")
    if written.in_force(day):
        return Match("ok", unit=written)
    if day >= reorganised_on:
        became = current_units().get(written.successor)
    else:
        became = _earlier_in_force(written.successor, day)
    return Match("superseded", unit=became, written=written) if became else Match("unknown")


def _earlier_in_force(code: int, day: dt.date) -> Unit | None:
    """The earlier unit of GSO ``code`` in force on ``day``, if any."""
    return next((u for u in earlier_units() if u.code == code and u.in_force(day)), None)
