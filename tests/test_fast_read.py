"""The quick way of reading a table (``kenshu.workbook.load``): rows built from the cells
as python-calamine gives them, each cell cleaned and converted in the built code, make
the records, findings and kept values that cleaning every row first makes; sheets parsed
ahead by a thread are read as sheets parsed in turn; repeated values share one object."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from helpers import make_cohort, participant
from kenshu.fields import Field
from kenshu.plugins import PluginRegistry
from kenshu.workbook import engines, load
from kenshu.workbook.convert import (
    choice_converter,
    converter_for,
    to_code,
    to_country,
    to_country_list,
    to_date,
    to_email,
    to_integer,
    to_kana,
    to_list,
    to_number,
    to_text,
    to_yes_no,
)
from kenshu.workbook.engines import ReadError, clean_row


@attrs.frozen
class Row:
    """A record of every field type, built field by field like the catalogue's."""

    key: str
    text: str | None = None
    code: str | None = None
    date: dt.date | None = None
    integer: int | None = None
    number: float | None = None
    yes_no: bool | None = None
    items: tuple[str, ...] = ()
    email: str | None = None
    kana: str | None = None
    choice: str | None = None
    bounded: int | None = None
    country: str | None = None
    countries: tuple[str, ...] = ()
    extra: dict = attrs.field(factory=dict)
    unknown: dict = attrs.field(factory=dict)
    invalid: dict = attrs.field(factory=dict)


CONVERTERS = [
    ("key", to_code),
    ("text", to_text),
    ("code", to_code),
    ("date", to_date),
    ("integer", to_integer),
    ("number", to_number),
    ("yes_no", to_yes_no),
    ("items", to_list),
    ("email", to_email),
    ("kana", to_kana),
    ("choice", choice_converter(Field("choice", type="choice", choices=("a", "b", "1")))),
    ("bounded", converter_for(Field("bounded", type="integer", maximum=10))),
    ("country", to_country),
    ("countries", to_country_list),
]
#: a plugin's field (extra), then an unknown column
WIDTH = len(CONVERTERS) + 2


def builder() -> Any:
    columns = [(col, name, conv, True) for col, (name, conv) in enumerate(CONVERTERS)]
    columns.append((len(CONVERTERS), "plugin_text", to_text, False))
    build = load.row_builder(Row, columns, [(WIDTH - 1, "Notes")], ("key",))
    assert build is not None
    return build


#: cells as python-calamine gives them, each with what the reader makes of them
CELLS: list[tuple[str, Any]] = [
    ("text", "  padded  "),
    ("text", ""),
    ("text", " \u3000 "),  # only spaces, full-width too: empty
    ("text", 12.0),
    ("text", 12.5),
    ("text", True),
    ("text", dt.datetime(2024, 5, 1)),  # a midnight: the date
    ("text", dt.datetime(2024, 5, 1, 9, 30)),
    ("code", " AB-1 "),
    ("code", "ＡＢ１"),  # full-width: normalised
    ("code", "\u3000"),
    ("code", 7.0),
    ("date", dt.date(2024, 5, 1)),
    ("date", dt.datetime(2024, 5, 1)),
    ("date", dt.datetime(2024, 5, 1, 12, 0)),
    ("date", 45413.0),
    ("date", "2024-05-01"),
    ("date", "令和6年5月1日"),
    ("date", ""),
    ("integer", 3.0),
    ("integer", "４２"),
    ("number", 2.5),
    ("number", 4.0),
    ("number", "1,200"),
    ("yes_no", "yes"),
    ("yes_no", True),
    ("yes_no", 1.0),
    ("items", "a; b；c"),
    ("email", "x@example.org"),
    ("kana", "ﾔﾏﾀﾞ"),
    ("choice", "A"),
    ("choice", 1.0),
    ("bounded", 9.0),
    ("country", "Viet Nam"),
    ("country", "jp"),
    ("countries", "VN; JP"),
    ("plugin_text", 3.0),
    ("plugin_text", "  "),
    ("Notes", 5.0),
    ("Notes", "   "),
    ("Notes", dt.datetime(2024, 5, 1)),
]
#: cells no converter accepts: the quick way leaves the row to the full reader
BAD: list[tuple[str, Any]] = [
    ("date", "not a date"),
    ("integer", 2.5),
    ("email", "nobody"),
    ("choice", "c"),
    ("bounded", 11.0),
    ("country", "Atlantis"),
    ("key", ""),
    ("key", "  "),
]
COLUMN = {name: col for col, (name, _) in enumerate(CONVERTERS)} | {
    "plugin_text": len(CONVERTERS),
    "Notes": WIDTH - 1,
}


def row_with(name: str, value: Any) -> list[Any]:
    values: list[Any] = [""] * WIDTH
    values[0] = "K1"
    values[COLUMN[name]] = value
    return values


def as_tuple(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, a.name) for a in attrs.fields(type(record)))


@pytest.mark.parametrize(("name", "value"), CELLS, ids=[f"{n}-{v!r}" for n, v in CELLS])
def test_a_cell_as_given_makes_the_record_a_cleaned_cell_makes(name: str, value: Any) -> None:
    build = builder()
    raw = row_with(name, value)
    quick, cleaned = build(raw), build(clean_row(raw))
    assert as_tuple(quick) == as_tuple(cleaned)
    # and both what converting the cleaned cell on its own gives
    cell = clean_row([value])[0]
    if name == "Notes":
        assert quick.unknown == ({} if cell is None else {"Notes": cell})
    elif name == "plugin_text":
        assert quick.extra == ({} if cell is None else {"plugin_text": to_text(cell)})
    else:
        expected = None if cell is None else dict(CONVERTERS)[name](cell)
        default = attrs.fields_dict(Row)[name].default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        assert getattr(quick, name) == (default if expected is None else expected)
        assert type(getattr(quick, name)) is type(default if expected is None else expected)


@pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}-{v!r}" for n, v in BAD])
def test_a_cell_no_converter_accepts_is_left_to_the_full_reader(name: str, value: Any) -> None:
    build = builder()
    with pytest.raises(Exception):  # noqa: B017 - a converter's problem, or no id
        build(row_with(name, value))


def test_values_repeated_in_a_column_share_one_object() -> None:
    build = builder()
    names = ["".join(["Nguyen ", str(n % 3)]) for n in range(6)]  # new objects, equal
    days = [dt.date(2024, 5, 1 + n % 2) for n in range(6)]
    records = []
    for n, (name, day) in enumerate(zip(names, days, strict=True)):
        values = row_with("text", name)
        values[0] = f"K{n}"
        values[COLUMN["date"]] = day
        records.append(build(values))
    assert [r.text for r in records] == names
    assert len({id(r.text) for r in records}) == 3
    assert [r.date for r in records] == days
    assert len({id(r.date) for r in records}) == 2
    assert len({id(r.key) for r in records}) == 6  # different values stay themselves


# ---------------------------------------------------------------------------
# A whole workbook: read the quick way, and with every row cleaned first


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort whose Participants sheet has cells the quick way must clean: spaces,
    whole numbers, midnights, a bad value, an empty row, a row past the header's width,
    a column nobody knows."""
    folder = tmp_path_factory.mktemp("tricky")
    people = [
        participant("P01", family_name="  Nguyen ", position=" ", placement_test_score=72.0),
        participant("P02", given_name=5.0, arrival_date="2024-05-20", email="bad"),
        participant("P03", home_organisation=dt.datetime(2024, 1, 1), recommended=True),
        participant("P04", host_id="\u3000", departure_date=dt.datetime(2024, 12, 19, 8)),
        participant("P05", family_name="ＮＧＵＹＥＮ", nationality="Viet Nam"),
    ]
    path = make_cohort(folder, participants=people)
    wb = openpyxl.load_workbook(path)
    ws = wb["Participants"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value)
    width = ws.max_column
    ws.cell(header, width + 1, "Shoe size")
    ws.cell(header + 1, width + 1, 42.0)
    ws.cell(header + 2, width + 1, "  ")
    ws.cell(header + 3, width + 3, "far right")  # past the header: a row the long way
    ws.insert_rows(header + 3)  # an empty row in the middle
    ws.cell(header + 7, 1, "   ")  # a row with no id: said the long way
    ws.cell(header + 7, 2, "Someone")
    wb.save(path)
    return path


def read(path: Path, monkeypatch: pytest.MonkeyPatch, *, cleaned: bool) -> Any:
    if cleaned:  # every row cleaned by the engine, as before the quick way
        rows = engines.CalamineReader.rows
        monkeypatch.setattr(
            engines.CalamineReader, "rows", lambda self, sheet, raw=False: rows(self, sheet)
        )
    registry = PluginRegistry.discover()
    data, findings, _ = load.read_workbook(path, registry)
    monkeypatch.undo()
    records = {
        sheet: [as_tuple(r) for r in data.records(sheet)]
        for sheet in ("participants", "hosts", "costs")
    }
    where = {sheet: [data.location(r) for r in data.records(sheet)] for sheet in records}
    return records, where, data.unknown_columns, data.unkeyed_rows, findings


@pytest.fixture
def ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse ahead whatever the workbook's size."""
    monkeypatch.setattr(engines, "PARSE_AHEAD_FROM", 0)


def test_a_workbook_reads_alike_both_ways(
    tricky: Path, monkeypatch: pytest.MonkeyPatch, ahead: None
) -> None:
    quick = read(tricky, monkeypatch, cleaned=False)
    assert quick == read(tricky, monkeypatch, cleaned=True)
    records, _, unknown_columns, unkeyed, findings = quick
    assert len(records["participants"]) == 5
    assert "Shoe size" in unknown_columns["participants"]
    assert unkeyed["participants"]  # the row without an id, kept
    assert any(f.code == "core.invalid-value" and f.field_id == "email" for f in findings)


# ---------------------------------------------------------------------------
# Sheets parsed ahead


def test_a_small_workbook_is_not_parsed_ahead(tricky: Path) -> None:
    assert tricky.stat().st_size < engines.PARSE_AHEAD_FROM
    book = engines.CalamineReader(tricky)
    names = [info.name for info in book.sheets()]
    book.prefetch(names)
    assert book._worker is None and book._ready == {}
    assert [number for number, _ in book.rows(names[0])]  # read as asked
    book.close()


def test_sheets_parsed_ahead_read_as_sheets_parsed_in_turn(tricky: Path, ahead: None) -> None:
    book = engines.CalamineReader(tricky)
    names = [info.name for info in book.sheets()]
    in_turn = {name: list(book.rows(name)) for name in names}
    book.close()
    book = engines.CalamineReader(tricky)
    book.prefetch([*reversed(names), "No such sheet"])
    assert {name: list(book.rows(name)) for name in names} == in_turn
    with pytest.raises(ReadError, match="'No such sheet' cannot be read"):
        list(book.rows("No such sheet"))
    assert [info.name for info in book.sheets()] == names  # the workbook is free again
    book.close()


def test_a_sheet_not_parsed_ahead_waits_for_those_that_are(tricky: Path, ahead: None) -> None:
    book = engines.CalamineReader(tricky)
    names = [info.name for info in book.sheets()]
    book.prefetch(names[1:])
    first = list(book.rows(names[0]))  # the workbook, after the thread is done with it
    assert first and all(name in book._parsed for name in names[1:])
    book.close()
    assert book._parsed == {}


def test_records_made_while_collection_is_paused_are_still_collected() -> None:
    with load.paused_gc():
        cycle: list[Any] = []
        cycle.append(cycle)
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.is_tracked(cycle)
    del cycle
    assert gc.collect() >= 1  # the cycle, found in the oldest generation
