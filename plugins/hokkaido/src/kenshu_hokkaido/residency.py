"""Which Japanese prefecture a ``home_region`` names, in English or Japanese.

``Hokkaido``, ``hokkaido``, ``Hokkaidō``, ``Hokkaido Prefecture``, ``北海道``,
``北海道札幌市`` and ``Sapporo, Hokkaido`` all name Hokkaido. The 47 prefectures are a fixed
list (their names have not changed since 1972), so they are written out here.
"""

from __future__ import annotations

import re
import unicodedata

#: (romaji, kanji with its suffix)
PREFECTURES = (
    ("Hokkaido", "北海道"),
    ("Aomori", "青森県"),
    ("Iwate", "岩手県"),
    ("Miyagi", "宮城県"),
    ("Akita", "秋田県"),
    ("Yamagata", "山形県"),
    ("Fukushima", "福島県"),
    ("Ibaraki", "茨城県"),
    ("Tochigi", "栃木県"),
    ("Gunma", "群馬県"),
    ("Saitama", "埼玉県"),
    ("Chiba", "千葉県"),
    ("Tokyo", "東京都"),
    ("Kanagawa", "神奈川県"),
    ("Niigata", "新潟県"),
    ("Toyama", "富山県"),
    ("Ishikawa", "石川県"),
    ("Fukui", "福井県"),
    ("Yamanashi", "山梨県"),
    ("Nagano", "長野県"),
    ("Gifu", "岐阜県"),
    ("Shizuoka", "静岡県"),
    ("Aichi", "愛知県"),
    ("Mie", "三重県"),
    ("Shiga", "滋賀県"),
    ("Kyoto", "京都府"),
    ("Osaka", "大阪府"),
    ("Hyogo", "兵庫県"),
    ("Nara", "奈良県"),
    ("Wakayama", "和歌山県"),
    ("Tottori", "鳥取県"),
    ("Shimane", "島根県"),
    ("Okayama", "岡山県"),
    ("Hiroshima", "広島県"),
    ("Yamaguchi", "山口県"),
    ("Tokushima", "徳島県"),
    ("Kagawa", "香川県"),
    ("Ehime", "愛媛県"),
    ("Kochi", "高知県"),
    ("Fukuoka", "福岡県"),
    ("Saga", "佐賀県"),
    ("Nagasaki", "長崎県"),
    ("Kumamoto", "熊本県"),
    ("Oita", "大分県"),
    ("Miyazaki", "宮崎県"),
    ("Kagoshima", "鹿児島県"),
    ("Okinawa", "沖縄県"),
)
HOKKAIDO = "Hokkaido"

_SUFFIXES = ("prefecture", "pref.", "pref", "ken", "fu", "to", "do")
_SEPARATORS = re.compile(r"[\s,、,/()()・\-]+")


def _latin(text: str) -> str:
    """Casefolded, with macrons and other accents dropped (``Hokkaidō`` -> ``hokkaido``)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for romaji, kanji in PREFECTURES:
        key = romaji.casefold()
        index[key] = romaji
        index[key.replace("o", "ou", 1) if key.endswith("o") else key] = romaji
        index[kanji] = romaji
        index[kanji[:-1]] = romaji  # 青森 for 青森県; 北海 alone is not used
    index["hokkaidou"] = HOKKAIDO
    index["hokkaidoo"] = HOKKAIDO
    index["ほっかいどう"] = HOKKAIDO
    index["ホッカイドウ"] = HOKKAIDO
    index["tokyo-to"] = "Tokyo"
    index.pop("北海", None)
    return index


_INDEX = _index()
_KANJI = sorted((kanji for _, kanji in PREFECTURES), key=len, reverse=True)


def prefecture_of(home_region: str | None) -> str | None:
    """The prefecture (its romaji name, e.g. ``Hokkaido``) ``home_region`` names, or None
    when it names none."""
    if not home_region:
        return None
    text = unicodedata.normalize("NFKC", home_region).strip()
    for kanji in _KANJI:  # 北海道札幌市, 東京都千代田区
        if text.startswith(kanji):
            return _INDEX[kanji]
    latin = _latin(text)
    found = _lookup(latin)
    if found:
        return found
    tokens = [t for t in _SEPARATORS.split(latin) if t]
    for token in tokens:
        found = _lookup(token)
        if found:
            return found
    return None


def _lookup(text: str) -> str | None:
    text = text.strip(" .")
    if text in _INDEX:
        return _INDEX[text]
    for suffix in _SUFFIXES:
        for joiner in (" ", "-", ""):
            ending = joiner + suffix
            if text.endswith(ending) and text[: -len(ending)].strip() in _INDEX:
                return _INDEX[text[: -len(ending)].strip()]
    return None


def is_hokkaido(home_region: str | None) -> bool:
    """Whether ``home_region`` names Hokkaido."""
    return prefecture_of(home_region) == HOKKAIDO
