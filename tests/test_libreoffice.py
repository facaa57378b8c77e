"""kenshu's workbooks through a real spreadsheet program, LibreOffice Calc.

A template filled with openpyxl is re-saved by Calc (straight to .xlsx, and through Calc's
own .ods and back) and must validate with the same findings and read as the same data. A
report converted to CSV by Calc must show the values kenshu wrote, and text starting with
``=`` must stay text. Without soffice these tests skip, except on CI (``CI`` set), where
they fail: ``.ci/run`` installs LibreOffice.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import (
    cohort_values,
    fill_workbook,
    find_sheet,
    header_columns,
    host,
    json_output,
    participant,
    put,
    run_cli,
    write_template,
)
from libreoffice import (
    ConversionError,
    convert,
    export_csv_sheets,
    require_soffice,
)

LANGS = ("en", "ja")
#: The ways a workbook comes back from Calc: re-saved as .xlsx, saved as .ods (read as it
#: is), and .ods saved again as .xlsx; each with the reading engines that open it.
ROUTES = (
    ("calc-xlsx", "calamine"),
    ("calc-xlsx", "openpyxl"),
    ("calc-ods", "calamine"),
    ("calc-ods-xlsx", "calamine"),
    ("calc-ods-xlsx", "openpyxl"),
)
#: What the filled workbook gets wrong on purpose: (finding code, participant).
DELIBERATE = {
    ("lgotp.stay-too-short", "P002"),
    ("lgotp.not-recommended", "P003"),
    ("core.unknown-reference", "P003"),
}


@pytest.fixture(scope="module")
def soffice() -> str:
    return require_soffice()


def fill_problem_cohort(folder: Path, lang: str) -> Path:
    """A template in ``lang`` filled the way people fill one: dates, numbers (some typed as
    text), yes/no as booleans and words, choices and aliases, Japanese names, cells holding
    only spaces, a stray space in an empty row, an unknown column, a name starting with
    ``=``, and three deliberate problems (see :data:`DELIBERATE`)."""
    folder.mkdir(parents=True, exist_ok=True)
    template = write_template(folder / f"template-{lang}.xlsx", lang=lang)
    participants = [
        participant(
            "P001",
            native_name="グエン・ティ・ラン",
            date_of_birth=dt.date(1990, 4, 1),
            recommended=True,
        ),
        participant(
            "P002",
            family_name="Santos",
            given_name="Maria",
            gender="female",
            nationality="PH",
            home_country="Philippines",
            english_level="C1",
            host_id="H02",
            arrival_date=dt.date(2024, 5, 20),
            departure_date=dt.date(2024, 9, 30),  # under six months
            placement_test_score="85",  # a number typed as text
        ),
        participant(
            "P003",
            family_name="=1+2",
            given_name="Xiaoming",
            native_name="王小明",
            gender="M",
            nationality="CN",
            home_country="CN",
            japanese_level="N2",
            host_id="H999",  # no such host
            date_of_birth="  ",  # only spaces: empty, whoever saved the file
            placement_test_score=60.0,
            recommended=None,  # missing
        ),
        participant(
            1004,  # an id typed as a number
            family_name="Kim",
            nationality="KR",
            home_country="KR",
            arrival_date="2024-05-21",  # a date typed as text
            departure_date=dt.datetime(2025, 3, 10),
            placement_test_score="\u3000",  # a full-width space
            recommended=False,
        ),
        {"notes": " "},  # a row that only looks empty
    ]
    hosts = [
        host("H01", name="Shizuoka Prefecture", name_ja="静岡県", kind="prefecture"),
        host("H02", name="Kasama City", name_ja="笠間市", kind="city", capacity=1.0),
    ]
    costs = [
        {
            "cost_id": "C01",
            "item": "airfare",
            "amount": 150000,
            "currency": "JPY",
            "participant_id": "P001",
        },
        {
            "cost_id": "C02",
            "item": "accommodation",
            "amount": 42000.5,
            "currency": "JPY",
            "participant_id": "P002",
        },
        {
            "cost_id": "C03",
            "item": "living_allowance",
            "amount": 1234.56,
            "currency": "USD",
            "participant_id": 1004,
        },
    ]
    filled = fill_workbook(
        template,
        folder / f"cohort-{lang}.xlsx",
        cohort=cohort_values(start_date=dt.date(2024, 5, 15), edition=37.0),
        participants=participants,
        hosts=hosts,
        costs=costs,
        settings={"max_months": 12, "require_recommendation": "yes"},
    )
    # An unknown column whose value starts with "=" (kept as text, not a formula).
    wb = openpyxl.load_workbook(filled)
    ws = find_sheet(wb, "participants")
    header_row, columns = header_columns(ws, "participants")
    extra = max(columns.values()) + 1
    put(ws, header_row, extra, "Remarks")
    put(ws, header_row + 1, extra, "=SUM(1,2)")
    wb.save(filled)
    return filled


@pytest.fixture(scope="module")
def books(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """``{lang: {"filled": openpyxl's file, route: the file Calc saved}}``; three soffice
    runs convert both languages at once."""
    root = tmp_path_factory.mktemp("calc")
    filled = [fill_problem_cohort(root / lang, lang) for lang in LANGS]
    xlsx = convert(filled, "xlsx", root / "calc-xlsx", soffice=soffice)
    ods = convert(filled, "ods", root / "calc-ods", soffice=soffice)
    back = convert(ods, "xlsx", root / "calc-ods-xlsx", soffice=soffice)
    return {
        lang: {
            "filled": filled[i],
            "calc-xlsx": xlsx[i],
            "calc-ods": ods[i],
            "calc-ods-xlsx": back[i],
        }
        for i, lang in enumerate(LANGS)
    }


def findings(path: Path, engine: str = "calamine") -> set[tuple[Any, ...]]:
    """``kenshu validate --json`` findings as (code, severity, sheet, cell, subject)."""
    result = run_cli("validate", "--json", "--engine", engine, str(path))
    assert result.exit_code in (0, 1), result.output
    (report,) = json_output(result)["files"]
    return {
        (f["code"], f["severity"], f["sheet"], f["cell"], f["subject"]) for f in report["findings"]
    }


def cohort_json(path: Path, folder: Path, engine: str) -> str:
    """The cohort as ``kenshu convert`` writes it to JSON (every value read)."""
    target = folder / f"{path.parent.name}-{path.stem}-{path.suffix[1:]}-{engine}.json"
    result = run_cli("convert", str(path), str(target), env={"KENSHU_READER": engine})
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_filled_workbook_has_the_deliberate_problems(books: dict, lang: str) -> None:
    before = findings(books[lang]["filled"])
    assert {(code, subject) for code, _, _, _, subject in before} >= DELIBERATE
    assert findings(books[lang]["filled"], "openpyxl") == before  # both engines agree


@pytest.mark.parametrize(("route", "engine"), ROUTES)
@pytest.mark.parametrize("lang", LANGS)
def test_calc_resave_validates_with_the_same_findings(
    books: dict, lang: str, route: str, engine: str
) -> None:
    assert findings(books[lang][route], engine) == findings(books[lang]["filled"])


@pytest.mark.parametrize(("route", "engine"), ROUTES)
@pytest.mark.parametrize("lang", LANGS)
def test_calc_resave_reads_as_the_same_data(
    books: dict, lang: str, route: str, engine: str, tmp_path: Path
) -> None:
    # the same engine on both sides: calamine and openpyxl differ on their own in raw values
    # kenshu keeps as read (a Settings value 12 is 12.0 through calamine)
    before = cohort_json(books[lang]["filled"], tmp_path, engine)
    assert cohort_json(books[lang][route], tmp_path, engine) == before


def test_calc_keeps_what_kenshu_relies_on(books: dict) -> None:
    """The differences that matter are really there (so the tests above test them), and
    what kenshu needs from its templates survives: hidden sheets, dropdowns, comments."""
    wb = openpyxl.load_workbook(books["ja"]["calc-xlsx"])
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert states["_kenshu"] == states["_kenshu_lists"] == "hidden"
    assert states["参加者"] == "visible"
    ws = wb["参加者"]
    header_row, columns = header_columns(ws, "participants")
    p003 = header_row + 3
    assert ws.cell(p003, columns["date_of_birth"]).value == "  "  # Calc keeps the spaces
    assert ws.cell(p003, columns["family_name"]).value == "=1+2"
    assert ws.cell(p003, columns["family_name"]).data_type == "s"
    assert ws.cell(header_row + 2, columns["placement_test_score"]).data_type == "s"  # "85"
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert lists and all("_kenshu_lists!" in formula for formula in lists)
    assert "id: participant_id" in ws.cell(header_row, columns["participant_id"]).comment.text


def test_formulas_are_read_as_the_values_calc_computed(soffice: str, tmp_path: Path) -> None:
    """A person's formulas: kenshu reads the results Calc stored, not the formula text."""
    template = write_template(tmp_path / "template.xlsx")
    filled = fill_workbook(
        template,
        tmp_path / "formulas.xlsx",
        participants=[participant("P001"), participant("P002")],
        hosts=[host("H01")],
    )
    wb = openpyxl.load_workbook(filled)
    ws = find_sheet(wb, "participants")
    header_row, columns = header_columns(ws, "participants")
    ws.cell(
        header_row + 1, columns["departure_date"], "=DATE(2024,9,30)"
    ).number_format = "yyyy-mm-dd"
    ws.cell(header_row + 2, columns["placement_test_score"], "=70+2")
    wb.save(filled)
    (resaved,) = convert([filled], "xlsx", tmp_path / "calc", soffice=soffice)

    data = run_cli("validate", "--json", str(resaved))
    codes = {(f["code"], f["subject"]) for f in json_output(data)["files"][0]["findings"]}
    assert ("lgotp.stay-too-short", "P001") in codes
    target = tmp_path / "formulas.json"
    assert run_cli("convert", str(resaved), str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert '"departure_date": "2024-09-30"' in text
    assert '"placement_test_score": 72' in text


def sheet_values(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's rows as openpyxl reads them, trailing empty cells and rows dropped."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: _trim_rows(list(r) for r in ws.iter_rows(values_only=True)) for ws in wb}
    finally:
        wb.close()


def csv_values(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return _trim_rows(csv.reader(handle), empty="")


def _trim_rows(rows: Iterable[list[Any]], empty: Any = None) -> list[list[Any]]:
    trimmed = []
    for row in rows:
        row = list(row)
        while row and row[-1] in (empty, None):
            row.pop()
        trimmed.append(row)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def same_cell(written: Any, shown: str) -> bool:
    """Does Calc's CSV text show the value kenshu wrote? Numbers compare as numbers,
    dates as ISO text, text exactly."""
    if written is None:
        return shown == ""
    if isinstance(written, bool):
        return False  # kenshu writes yes/no as words; a boolean cell would be a change
    if isinstance(written, int | float):
        try:
            return float(shown) == float(written)
        except ValueError:
            return False
    if isinstance(written, dt.datetime):
        if written.time() != dt.time(0):
            return False  # kenshu's reports hold days, not times
        written = written.date()
    if isinstance(written, dt.date):
        return shown == written.isoformat()
    return shown == written


@pytest.mark.parametrize("lang", LANGS)
def test_report_as_csv_from_calc_shows_what_kenshu_wrote(
    books: dict, soffice: str, lang: str, tmp_path: Path
) -> None:
    report = tmp_path / f"report-{lang}.xlsx"
    result = run_cli("report", str(books[lang]["filled"]), "-o", str(report), "--lang", lang)
    assert result.exit_code == 1, result.output  # the cohort has errors by design
    written = sheet_values(report)
    files = export_csv_sheets(report, written, tmp_path / "csv", soffice=soffice)
    compared = 0
    for sheet, rows in written.items():
        shown = csv_values(files[sheet])
        assert len(shown) == len(rows), sheet
        for number, (row, text_row) in enumerate(zip(rows, shown, strict=True), start=1):
            text_row = text_row + [""] * (len(row) - len(text_row))
            assert len(text_row) == len(row), (sheet, number, text_row)
            for column, (value, text) in enumerate(zip(row, text_row, strict=True), start=1):
                assert same_cell(value, text), (sheet, number, column, value, text)
                compared += value is not None
    assert compared > 100  # dates, numbers and text from every sheet, not an empty report
    participants = written["Participants" if lang == "en" else "参加者"]
    header = participants[0]
    (p003,) = [r for r in participants if r[0] == "P003"]
    assert p003[header.index("family_name")] == "=1+2"  # compared above as shown text


def test_text_starting_with_equals_is_shown_as_text_by_calc(
    books: dict, soffice: str, tmp_path: Path
) -> None:
    """What kenshu writes as ``=...`` text (a name, an unknown column) Calc shows as that
    text; a real formula written the same way is computed, so the check can tell."""
    exported = tmp_path / "exported.xlsx"
    result = run_cli("convert", str(books["en"]["filled"]), str(exported))
    assert result.exit_code == 0, result.output
    files = export_csv_sheets(exported, sheet_values(exported), tmp_path / "csv", soffice=soffice)
    rows = csv_values(files["Participants"])
    header = rows[0]
    by_id = {row[0]: dict(zip(header, row, strict=False)) for row in rows[1:]}
    assert by_id["P003"]["Family name"] == "=1+2"
    assert by_id["P001"]["Remarks"] == "=SUM(1,2)"

    control = tmp_path / "control.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet"
    wb.active["A1"] = "=1+2"  # openpyxl stores this as a formula
    wb.save(control)
    files = export_csv_sheets(control, ["Sheet"], tmp_path / "control", soffice=soffice)
    assert csv_values(files["Sheet"]) == [["3"]]


def test_a_conversion_that_writes_nothing_is_an_error(soffice: str, tmp_path: Path) -> None:
    # soffice exits 0 when it cannot load the source; the helper must not pass that silently
    with pytest.raises(ConversionError, match=r"wrote no missing\.xlsx"):
        convert([tmp_path / "missing.xlsx"], "xlsx", tmp_path / "out", soffice=soffice)


def test_without_soffice_tests_skip_locally(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not on PATH"):
        require_soffice()


def test_without_soffice_tests_fail_on_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run"):
        require_soffice()
