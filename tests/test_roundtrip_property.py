"""Nothing lost: JSON -> model -> xlsx -> model -> JSON is the identity (hypothesis).

Cohorts are generated from the schema itself, so that every field of every sheet written
here, core and plugin (lgotp's), is covered with values of its type: Unicode text with
emoji, astral and right-to-left characters and the C0 control characters an xlsx cell
cannot hold as they are (kenshu writes them as Excel's ``_xHHHH_`` escapes and reads them
back), empty and maximal (32,767 characters) fields, dates from before 1900, unknown
columns, unknown Cohort entries and unknown sheets.

Two dates cannot make the trip and are left out: 1899-12-30 and 1899-12-31, which Excel's
day numbering (as kenshu writes it, like openpyxl) stores as the same day number 0. Numbers
keep the 15 significant digits Excel keeps (kenshu's writer stores 16; a 17th is lost).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kenshu.catalogue import SHEETS, SHEETS_BY_ID
from kenshu.fields import Field
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from kenshu.serial import cohort_to_json
from kenshu.workbook.cells import normalise_label
from kenshu.workbook.convert import converter_for
from kenshu.workbook.export import write_cohort_workbook

REGISTRY = PluginRegistry.discover()
SCHEMA = REGISTRY.schema(REGISTRY.programme("lgotp"))
SHEETS_WRITTEN = ("participants", "hosts", "costs")
MAX_CELL = 32_767

# Every label and id kenshu recognises, in any sheet: unknown headers must not be one.
KNOWN_LABELS = {
    normalise_label(text)
    for fields in SCHEMA.fields.values()
    for f in fields
    for text in (f.id, f.label, f.label_ja or f.label)
} | {normalise_label(t) for spec in SHEETS for t in (spec.id, spec.label, spec.label_ja)}
KNOWN_LABELS |= {normalise_label(t) for t in ("field", "value", "項目", "値", "setting", "設定")}

# Unicode without lone surrogates (not text) and without the characters str.strip()
# removes at the ends (kenshu trims cells); C0 controls, emoji, RTL marks included.
CHARACTERS = st.characters(blacklist_categories=("Cs",))
SAMPLES = st.sampled_from(
    [
        "😀",
        "👩🏽‍💻",
        "نغوين",
        "\u200f",
        "עברית",
        "課長",
        "\U00020b9f",
        "\x07",
        "\x00",
        "\x1b",
        "_x0041_",
        "=1+1",
        "\r\n",
        "ｆｕｌｌ",
        "１２３",
    ]
)
TEXT = (
    st.lists(
        st.one_of(st.text(CHARACTERS, min_size=1, max_size=6), SAMPLES), min_size=1, max_size=5
    )
    .map("".join)
    .map(str.strip)
    .filter(bool)
)
# the longest text a cell holds, not too repetitive (a column of one repeated character
# compresses past the zip-bomb ratio, as it would in Apache POI)
LONG = st.sampled_from(
    [
        "".join(chr(0x4E00 + (n * 7919) % 20000) for n in range(MAX_CELL)),
        "".join(chr(0x21 + (n * 31) % 90) for n in range(MAX_CELL - 1)) + "😀",
    ]
)


def _code(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


CODE = TEXT.map(_code).filter(bool)
DATES = st.dates(dt.date(1800, 1, 1), dt.date(2200, 12, 31)).filter(
    lambda d: d not in (dt.date(1899, 12, 30), dt.date(1899, 12, 31))
)
COUNTRIES = st.sampled_from(["JP", "VN", "PH", "KR", "BR", "GB", "US", "ID", "TH", "CN"])
EMAILS = st.from_regex(r"[a-z0-9.]{1,10}@[a-z]{1,8}\.[a-z]{2,4}", fullmatch=True).filter(
    lambda e: not e.startswith(".")
)
LIST_ITEM = TEXT.map(lambda t: t.replace(";", ",").replace("；", ",").strip()).filter(bool)


def floats(low: float = -1e12, high: float = 1e12) -> st.SearchStrategy[float]:
    """Non-integral floats, with the 15 significant digits Excel keeps (the writer stores 16)."""
    low, high = max(low, -1e12), min(high, 1e12)
    return (
        st.floats(low, high, allow_nan=False, allow_infinity=False)
        .map(lambda x: float(f"{x:.15g}"))
        .filter(lambda x: not x.is_integer() and low <= x <= high)
    )


FLOATS = floats()
SAFE_INT = st.integers(-(2**53), 2**53)
KNOWN_TYPES = {"text", "code", "integer", "number", "date", "yes_no", "list", "country"}
KNOWN_TYPES |= {"country_list", "email", "choice"}


def value_for(f: Field) -> st.SearchStrategy[Any]:
    """A valid value of ``f`` in its JSON form."""
    if f.type not in KNOWN_TYPES:  # a newer type: text its own converter accepts, as read
        convert = converter_for(f)

        def typed(text: str) -> Any:
            try:
                return convert(text)
            except Exception:
                return None

        return TEXT.map(typed).filter(lambda v: isinstance(v, str) and v.strip() == v and v)
    low = -(2**53) if f.minimum is None else int(f.minimum)
    high = 2**53 if f.maximum is None else int(f.maximum)
    return {
        "text": st.one_of(TEXT, TEXT, TEXT, LONG),
        "code": CODE,
        "integer": st.integers(low, high),
        "number": st.one_of(st.integers(low, high), floats(low, high)),
        "date": DATES.map(dt.date.isoformat),
        "yes_no": st.booleans(),
        "list": st.lists(LIST_ITEM, min_size=1, max_size=3),
        "country": COUNTRIES,
        "country_list": st.lists(COUNTRIES, min_size=1, max_size=3),
        "email": EMAILS,
        "choice": st.sampled_from(f.choices) if f.choices else CODE,
    }[f.type]


UNKNOWN_VALUE = st.one_of(
    TEXT,
    SAFE_INT,
    FLOATS,
    DATES.map(lambda d: {"$date": d.isoformat()}),
)
HEADER = TEXT.filter(lambda h: normalise_label(h) not in KNOWN_LABELS and normalise_label(h))


def sheet_names() -> st.SearchStrategy[str]:
    bad = set("[]:*?/\\")
    return (
        TEXT.map(lambda t: "".join("_" if c in bad or ord(c) < 32 else c for c in t)[:31].strip())
        .filter(lambda t: t and not t.startswith("'") and not t.endswith("'"))
        .filter(lambda t: normalise_label(t) not in KNOWN_LABELS and not t.startswith("_kenshu"))
        .filter(lambda t: t.casefold() not in ("history", "findings"))
    )


@st.composite
def records(draw: st.DrawFn, sheet: str, headers: list[str]) -> list[dict[str, Any]]:
    key = SHEETS_BY_ID[sheet].key
    ids = draw(st.lists(CODE, min_size=0, max_size=4, unique_by=str.casefold))
    out = []
    for ident in ids:
        record: dict[str, Any] = {key: ident}
        for f in SCHEMA.fields[sheet]:
            if f.id != key and draw(st.booleans()):
                record[f.id] = draw(value_for(f))
        unknown = {h: draw(UNKNOWN_VALUE) for h in headers if draw(st.booleans())}
        if unknown:
            record["_unknown"] = unknown
        out.append(record)
    return out


@st.composite
def cohorts(draw: st.DrawFn) -> dict[str, Any]:
    cohort: dict[str, Any] = {"programme": "lgotp", "cohort_id": draw(CODE)}
    for f in SCHEMA.fields["cohort"]:
        if f.id not in cohort and draw(st.booleans()):
            cohort[f.id] = draw(value_for(f))
    extra = draw(st.dictionaries(HEADER, UNKNOWN_VALUE, max_size=2))
    if extra:
        cohort["_unknown"] = extra
    payload: dict[str, Any] = {"format": "kenshu-cohort/1", "programme": "lgotp", "cohort": cohort}
    payload["unknown_columns"] = {}
    for sheet in SHEETS_WRITTEN:
        headers = draw(st.lists(HEADER, max_size=2, unique_by=lambda h: h.strip()))
        payload[sheet] = draw(records(sheet, headers))
        if headers:
            payload["unknown_columns"][sheet] = headers
    names = draw(st.lists(sheet_names(), max_size=2, unique_by=str.casefold))
    payload["unknown_sheets"] = [
        {
            "name": name,
            "hidden": draw(st.booleans()),
            "rows": [
                [number, draw(st.lists(UNKNOWN_VALUE, min_size=1, max_size=3))]
                for number in sorted(draw(st.sets(st.integers(1, 40), min_size=1, max_size=4)))
            ],
        }
        for name in names
    ]
    payload["settings"] = draw(st.sampled_from([{}, {"class_min_size": 3}]))
    return payload


def round_trip(payload: dict[str, Any], folder: Path) -> tuple[dict, dict, list, list]:
    source = folder / "cohort.json"
    source.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    data, read_json, schema = load_cohort(source, REGISTRY)
    first = cohort_to_json(data)
    book = folder / "cohort.xlsx"
    write_cohort_workbook(book, data, schema)
    again, read_book, _ = load_cohort(book, REGISTRY)
    return first, cohort_to_json(again), read_json, read_book


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("roundtrip")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(payload=cohorts())
@example(
    payload={
        "programme": "lgotp",
        "cohort": {"programme": "lgotp", "cohort_id": "c\x01", "title": "a\x00b\x1f_x0041_\r\nz"},
        "participants": [
            {
                "participant_id": "P\x07",
                "family_name": "نغوين 😀",
                "given_name": "".join(chr(0x4E00 + (n * 7919) % 20000) for n in range(MAX_CELL)),
                "placement_test_score": 100,
                "recommended": False,
                "nominated_by_host": "=H01",
                "date_of_birth": "1850-01-01",
                "_unknown": {"Memo\x02": "-1+1", "Since": {"$date": "1899-12-29"}},
            }
        ],
        "unknown_columns": {"participants": ["Memo\x02", "Since"]},
        "unknown_sheets": [{"name": "Notes\u200f", "hidden": True, "rows": [[3, [None, "\x0bx"]]]}],
    }
)
def test_json_to_xlsx_and_back_is_the_identity(payload: dict[str, Any], folder: Path) -> None:
    first, second, read_json, read_book = round_trip(payload, folder)
    assert [f.code for f in read_json if f.code == "core.invalid-value"] == []
    assert [f.code for f in read_book if f.code == "core.invalid-value"] == []
    assert second == first
    # and JSON -> model kept what was generated
    for sheet in SHEETS_WRITTEN:
        assert len(first[sheet]) == len(payload.get(sheet, []))
        for made, kept in zip(payload.get(sheet, []), first[sheet], strict=True):
            for key, value in made.items():
                if key != "_unknown":
                    assert kept[key] == value, (sheet, key)
    for key, value in payload["cohort"].items():
        if key != "_unknown":
            assert first["cohort"][key] == value, key
    assert [s["name"] for s in first["unknown_sheets"]] == [
        s["name"] for s in payload["unknown_sheets"]
    ]


def test_control_characters_are_escaped_in_the_file(tmp_path: Path) -> None:
    """How the characters XML cannot carry are kept: as Excel's own escapes."""
    import zipfile

    payload = {
        "programme": "lgotp",
        "cohort": {"programme": "lgotp", "cohort_id": "c1", "title": "bell\x07 and _x0041_"},
    }
    _, second, _, _ = round_trip(payload, tmp_path)
    assert second["cohort"]["title"] == "bell\x07 and _x0041_"
    with zipfile.ZipFile(tmp_path / "cohort.xlsx") as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if "worksheets/sheet" in n)
    assert b"bell_x0007_ and _x005F_x0041_" in xml
    assert b"\x07" not in xml


@pytest.mark.parametrize(
    "title",
    [
        "_x005F\x00",  # found by hypothesis: the NUL's escape completed a literal _x005F
        "_x0041_x0042_",  # two literal runs sharing an underscore
        "\x00_x0041_",
        "_x0041\x07",
    ],
)
def test_literal_escapes_next_to_escaped_characters_survive(tmp_path: Path, title: str) -> None:
    payload = {"programme": "lgotp", "cohort": {"programme": "lgotp", "cohort_id": "c1"}}
    payload["cohort"]["title"] = title
    _, second, _, _ = round_trip(payload, tmp_path)
    assert second["cohort"]["title"] == title
