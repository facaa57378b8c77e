"""Odd but honest files, read correctly: each gives the findings of its plain counterpart,
plus the ones its defect deserves, and the same data.

The plain counterpart is a cohort made from a kenshu template (with a few deliberate
problems, so that "the same findings" means something); every variant is generated from it
here: a lying or missing ``<dimension>``, .xls and .ods (LibreOffice), .xlsb
(pyxlsbwriter: LibreOffice has no .xlsb export filter), .xlsm with a macro part, formulas
without a saved result, merged header cells, hidden rows and sheets, control characters,
emoji, right-to-left text and full-width digits, dates before 1900, a 1904-epoch workbook,
duplicate ids and dangling references, and a header row moved ten rows down.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import (
    find_sheet,
    header_columns,
    host,
    json_output,
    make_cohort,
    participant,
    run_cli,
    valid_costs,
    valid_hosts,
)
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from test_hostile_files import sheet_part, write_zip, zip_entries

ENGINES = ["calamine", "openpyxl"]


@pytest.fixture(scope="module")
def registry() -> PluginRegistry:
    return PluginRegistry.discover()


def people(**overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """Three participants: P03 is not recommended (an error), and two trainees make a
    class-size warning; ``overrides`` change one participant's fields by id."""
    rows = [
        participant("P01"),
        participant("P02", family_name="Santos", nationality="PH", host_id="H02"),
        participant("P03", family_name="Kim", nationality="KR", recommended="no"),
    ]
    return [{**row, **overrides.get(row["participant_id"], {})} for row in rows]


def plain(folder: Path, name: str = "plain.xlsx", **overrides: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return make_cohort(folder, name, participants=people(**overrides))


def findings(path: Path, engine: str = "calamine") -> list[dict[str, Any]]:
    result = run_cli("validate", "--json", "--engine", engine, str(path))
    assert result.exit_code in (0, 1), result.output
    return json_output(result)["files"][0]["findings"]


def keys(items: list[dict[str, Any]], *, cells: bool = True) -> Counter:
    """Findings as comparable keys: what, how bad, where (optionally the cell) and whom."""
    fields = ("code", "severity", "sheet", "subject") + (("cell",) if cells else ())
    return Counter(tuple(f[k] for k in fields) for f in items)


def cohort_json(path: Path, tmp_path: Path, engine: str = "calamine") -> dict[str, Any]:
    out = tmp_path / f"{path.stem}-{engine}.json"
    result = run_cli("convert", str(path), str(out))
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def same_records(a: dict[str, Any], b: dict[str, Any]) -> None:
    for key in ("cohort", "participants", "hosts", "costs", "settings"):
        assert a[key] == b[key], key


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("plain")
    book = plain(folder)
    found = findings(book)
    assert {"lgotp.not-recommended"} <= {f["code"] for f in found}
    return book, found


def rewrite_sheet(book: Path, target: Path, sheet: str, edit) -> Path:
    entries = zip_entries(book)
    part = sheet_part(entries, sheet)
    entries[part] = edit(entries[part].decode()).encode()
    return write_zip(target, entries)


# ---------------------------------------------------------------------------
# Dimensions


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("dimension", ["A1:AZ1000000", "A1:XFD1048576", None])
def test_declared_dimension_is_not_trusted(
    baseline, tmp_path: Path, engine: str, dimension: str | None
) -> None:
    book, expected = baseline

    def edit(xml: str) -> str:
        xml = re.sub(r"<dimension [^>]*/>", "", xml)
        if dimension:
            xml = xml.replace("<sheetViews", f'<dimension ref="{dimension}"/><sheetViews', 1)
        return xml

    variant = rewrite_sheet(book, tmp_path / "dimension.xlsx", "Participants", edit)
    entries = zip_entries(variant)
    xml = entries[sheet_part(entries, "Participants")].decode()
    assert re.findall(r'<dimension ref="([^"]+)"', xml) == ([dimension] if dimension else [])
    assert keys(findings(variant, engine)) == keys(expected)
    assert (
        cohort_json(variant, tmp_path, engine)["participants"]
        == cohort_json(book, tmp_path, engine)["participants"]
    )


# ---------------------------------------------------------------------------
# Other formats of the same cohort


@pytest.fixture(scope="module")
def other_formats(baseline, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from libreoffice import convert, require_soffice

    soffice = require_soffice()
    book, _ = baseline
    folder = tmp_path_factory.mktemp("formats")
    out = {}
    for extension in ("xls", "ods"):
        (out[extension],) = convert([book], extension, folder / extension, soffice=soffice)
    out["xlsb"] = to_xlsb(book, folder / "plain.xlsb")
    out["xlsm"] = to_xlsm(book, folder / "plain.xlsm")
    return out


def to_xlsb(book: Path, target: Path) -> Path:
    """The workbook's values as .xlsb, written by pyxlsbwriter (hidden sheets kept)."""
    from pyxlsbwriter import XlsbWriter

    wb = openpyxl.load_workbook(book)
    with XlsbWriter(str(target)) as writer:
        for ws in wb.worksheets:
            writer.add_sheet(ws.title, hidden=ws.sheet_state != "visible")
            writer.write_sheet([list(row) for row in ws.iter_rows(values_only=True)])
    return target


MACRO = b'Attribute VB_Name = "Module1"\r\nSub AutoOpen()\r\nShell "calc.exe"\r\nEnd Sub\r\n'


def to_xlsm(book: Path, target: Path) -> Path:
    """The workbook as a macro-enabled .xlsm with a VBA project part."""
    entries = zip_entries(book)
    types = entries["[Content_Types].xml"]
    workbook = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    assert workbook in types
    entries["[Content_Types].xml"] = types.replace(
        workbook, b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    ).replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    entries["xl/_rels/workbook.xml.rels"] = entries["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
        b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    entries["xl/vbaProject.bin"] = MACRO
    return write_zip(target, entries)


@pytest.mark.parametrize("kind", ["xls", "ods", "xlsb", "xlsm"])
def test_other_formats_read_as_the_plain_workbook(
    baseline, other_formats: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    book, expected = baseline
    path = other_formats[kind]
    assert keys(findings(path)) == keys(expected)
    same_records(cohort_json(path, tmp_path), cohort_json(book, tmp_path))


def test_xlsm_macros_are_ignored(other_formats: dict[str, Path], tmp_path: Path) -> None:
    path = other_formats["xlsm"]
    assert b"macroEnabled" in zip_entries(path)["[Content_Types].xml"]
    assert zip_entries(path)["xl/vbaProject.bin"] == MACRO
    out = tmp_path / "out.xlsx"
    assert run_cli("convert", str(path), str(out)).exit_code == 0
    written = zip_entries(out)
    assert not any("vba" in name.lower() for name in written)
    assert b"macroEnabled" not in written["[Content_Types].xml"]


# ---------------------------------------------------------------------------
# Formulas without a saved result


def test_formula_without_saved_result_is_a_finding_naming_the_cell(
    baseline, tmp_path: Path, registry
) -> None:
    book, expected = baseline
    wb = openpyxl.load_workbook(book)
    ws = find_sheet(wb, "participants")
    _, columns = header_columns(ws, "participants")
    column = max(ws.max_column, *columns.values()) + 1
    letter = openpyxl.utils.get_column_letter(column)
    ws.cell(row=1, column=column, value="Months")
    for row in (2, 3, 4):
        ws.cell(row=row, column=column, value="=3+4")
    score = openpyxl.utils.get_column_letter(columns["placement_test_score"])
    ws[f"{score}3"] = "=50+5"  # a field holding a formula with no result
    formulas = tmp_path / "formulas.xlsx"
    wb.save(formulas)

    def cache_one(xml: str) -> str:  # as Excel saves it: with the result
        return re.sub(
            rf'(<c r="{letter}4"[^>]*>)<f>(.*?)</f>(?:<v\s*/>|<v></v>)', r"\1<f>\2</f><v>7</v>", xml
        )

    formulas = rewrite_sheet(formulas, tmp_path / "formulas-cached.xlsx", "Participants", cache_one)
    got = findings(formulas)
    flagged = [f for f in got if f["code"] == "core.formula-without-value"]
    assert sorted(f["cell"] for f in flagged) == sorted([f"{letter}2", f"{letter}3", f"{score}3"])
    for f in flagged:
        assert f["sheet"] == "Participants" and f["severity"] == "warning"
        assert f["cell"] in f["message"] and "no saved result" in f["message"]
    rest = [f for f in got if f["code"] != "core.formula-without-value"]
    # the score of P02 is missing now: whatever that deserves comes on top
    assert keys(expected) - keys(rest) == Counter()
    data, _, _ = load_cohort(formulas, registry)
    by_id = {p.participant_id: p for p in data.participants}
    assert by_id["P03"].unknown == {"Months": 7}  # the saved result is read
    assert "placement_test_score" not in by_id["P02"].extra


# ---------------------------------------------------------------------------
# Layout: merged cells, hidden rows and sheets, a header moved down


def test_merged_header_cells(baseline, tmp_path: Path) -> None:
    book, expected = baseline
    wb = openpyxl.load_workbook(book)
    ws = find_sheet(wb, "participants")
    ws.insert_rows(1)
    ws["A1"] = "LGOTP trainees"
    ws.merge_cells("A1:F1")  # a title over the header
    ws.insert_cols(3)  # an empty column after Family name ...
    ws.merge_cells("B2:C2")  # ... under a header cell merged across both
    merged = tmp_path / "merged.xlsx"
    wb.save(merged)
    assert keys(findings(merged), cells=False) == keys(expected, cells=False)


@pytest.mark.parametrize("engine", ENGINES)
def test_hidden_rows_and_sheets_are_read(baseline, tmp_path: Path, engine: str) -> None:
    book, _ = baseline
    wb = openpyxl.load_workbook(book)
    find_sheet(wb, "participants").row_dimensions[3].hidden = True
    find_sheet(wb, "hosts").sheet_state = "hidden"
    hidden = tmp_path / "hidden.xlsx"
    wb.save(hidden)
    assert keys(findings(hidden, engine)) == keys(findings(book, engine))
    same_records(cohort_json(hidden, tmp_path, engine), cohort_json(book, tmp_path, engine))


def test_header_moved_down_ten_rows(baseline, tmp_path: Path) -> None:
    book, expected = baseline
    wb = openpyxl.load_workbook(book)
    find_sheet(wb, "participants").insert_rows(1, amount=10)
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)

    def shifted(f: dict[str, Any]) -> dict[str, Any]:
        if f["sheet"] != "Participants" or not f["cell"]:
            return f
        return {**f, "cell": f"{f['column']}{f['row'] + 10}"}

    assert keys(findings(moved)) == keys([shifted(f) for f in expected])
    same_records(cohort_json(moved, tmp_path), cohort_json(book, tmp_path))


# ---------------------------------------------------------------------------
# Text: control characters, emoji, right-to-left, full-width digits

ODD_TEXT = {
    "family_name": "نغوين",  # right-to-left (Arabic script)
    "given_name": "Lan 😀\u200f",  # an emoji (astral) and a right-to-left mark
    "native_name": "Nguyễn_x0007_Lan",  # Excel's escape for BEL, as Excel writes it
    "home_organisation": "Da Nang\tCity_x000D_\nPeople's Committee",
    "position": "課長\U00020b9f",  # a CJK character outside the BMP
}


@pytest.mark.parametrize("engine", ENGINES)
def test_odd_text_is_read_and_kept(tmp_path: Path, engine: str, registry) -> None:
    base = plain(tmp_path / "plain")
    odd = plain(
        tmp_path / "odd",
        P01={**ODD_TEXT, "placement_test_score": "７２", "departure_date": "２０２４－１２－１９"},
    )
    assert keys(findings(odd, engine)) == keys(findings(base, engine))
    data, _, _ = load_cohort(odd, registry, engine=engine)
    p01 = data.participant("P01")
    assert p01.family_name == "نغوين"
    assert p01.given_name == "Lan 😀\u200f"
    assert p01.native_name == "Nguyễn\x07Lan"
    assert p01.home_organisation == "Da Nang\tCity\r\nPeople's Committee"
    assert p01.position == "課長\U00020b9f"
    assert p01.extra["placement_test_score"] == 72
    assert p01.departure_date == dt.date(2024, 12, 19)
    # and nothing is lost on the way out and back
    first = tmp_path / "first.json"
    assert run_cli("convert", str(odd), str(first)).exit_code == 0
    again = tmp_path / "again.xlsx"
    assert run_cli("convert", str(first), str(again)).exit_code == 0
    second = tmp_path / "second.json"
    assert run_cli("convert", str(again), str(second)).exit_code == 0
    assert json.loads(first.read_text()) == json.loads(second.read_text())
    (p01_json,) = [
        p for p in json.loads(first.read_text())["participants"] if p["participant_id"] == "P01"
    ]
    assert p01_json["native_name"] == "Nguyễn\x07Lan"


# ---------------------------------------------------------------------------
# Dates: before 1900, and the 1904 epoch


@pytest.mark.parametrize("engine", ENGINES)
def test_dates_before_1900(tmp_path: Path, engine: str, registry) -> None:
    base = plain(tmp_path / "plain")
    old = plain(
        tmp_path / "old",
        P01={"date_of_birth": dt.datetime(1850, 1, 1)},  # a date cell: a negative day number
        P02={"date_of_birth": "1899-12-31"},  # text, as Excel keeps such dates
        P03={"date_of_birth": dt.datetime(1899, 3, 15, 12, 0)},
    )
    xml = zip_entries(old)[sheet_part(zip_entries(old), "Participants")].decode()
    assert "<v>-18260</v>" in xml
    assert keys(findings(old, engine)) == keys(findings(base, engine))
    data, reading, _ = load_cohort(old, registry, engine=engine)
    assert reading == []
    births = {p.participant_id: p.date_of_birth for p in data.participants}
    assert births == {
        "P01": dt.date(1850, 1, 1),
        "P02": dt.date(1899, 12, 31),
        "P03": dt.date(1899, 3, 15),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_a_1904_epoch_workbook(baseline, tmp_path: Path, engine: str, registry) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book, _ = baseline
    wb = openpyxl.load_workbook(book)
    wb.epoch = CALENDAR_MAC_1904
    mac = tmp_path / "mac.xlsx"
    wb.save(mac)
    assert b'date1904="1"' in zip_entries(mac)["xl/workbook.xml"]
    assert keys(findings(mac, engine)) == keys(findings(book, engine))
    same_records(cohort_json(mac, tmp_path, engine), cohort_json(book, tmp_path, engine))
    data, _, _ = load_cohort(mac, registry, engine=engine)
    assert data.participant("P01").arrival_date == dt.date(2024, 5, 20)


def test_a_1904_epoch_date_before_1900(tmp_path: Path, registry) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = plain(tmp_path, P01={"date_of_birth": dt.datetime(1850, 1, 1)})
    wb = openpyxl.load_workbook(book)
    wb.epoch = CALENDAR_MAC_1904
    wb.save(book)
    data, _, _ = load_cohort(book, registry)
    assert data.participant("P01").date_of_birth == dt.date(1850, 1, 1)


# ---------------------------------------------------------------------------
# Identities: duplicates and references to nobody


def test_duplicate_ids_and_dangling_references(baseline, tmp_path: Path) -> None:
    _, expected = baseline
    odd = make_cohort(
        tmp_path,
        "odd.xlsx",
        participants=[*people(), participant("P01", family_name="Again", host_id="H99")],
        hosts=[*valid_hosts(), host("H02", name="Again")],
        costs=[*valid_costs(), {**valid_costs()[0], "cost_id": "C03", "participant_id": "P77"}],
    )
    got = keys(findings(odd), cells=False)
    assert keys(expected, cells=False) - got == Counter()
    extra = got - keys(expected, cells=False)
    core = Counter(code for code, *_ in extra.elements() if code.startswith("core."))
    assert core == {"core.duplicate-id": 2, "core.unknown-reference": 2}


# ---------------------------------------------------------------------------
# Inputs are never modified


def test_reading_commands_never_modify_their_input(baseline, tmp_path: Path) -> None:
    book, _ = baseline
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    stamp = book.stat().st_mtime_ns
    for args in (
        ["validate", str(book), "--annotate", str(tmp_path / "a.xlsx")],
        ["report", str(book), "-o", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "r")],
        ["convert", str(book), str(tmp_path / "c.json")],
        ["convert", str(book), str(tmp_path / "c"), "--to", "csv"],
    ):
        assert run_cli(*args).exit_code in (0, 1)
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before
    assert book.stat().st_mtime_ns == stamp
    for args in (
        ["validate", str(book), "--annotate", str(book)],
        ["report", str(book), "-o", str(book)],
        ["convert", str(book), str(book)],
    ):
        assert run_cli(*args).exit_code == 2
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before
    assert zipfile.is_zipfile(book)
