"""Privacy: sensitivity tags, the template's marks on personal and sensitive columns, and
``--redact`` on ``convert`` and ``report`` leaving none of the personal values behind."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import (
    find_sheet,
    header_columns,
    json_output,
    make_cohort,
    participant,
    put,
    run_cli,
    sheet_records,
    write_template,
)
from kenshu.catalogue import CORE_FIELDS
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from kenshu.privacy import initials, redact, redact_findings
from kenshu.workbook.export import _HEADER_FILL, _HEADER_FILL_PERSONAL, _HEADER_FILL_SENSITIVE

# The personal values planted in the workbook: none may survive --redact, anywhere.
SECRETS = [
    "Xanthopoulos",
    "Quillon",
    "Ξανθόπουλος",
    "権藤 雪之丞",
    "ゴンドウ ユキノジョウ",
    "ｺﾞﾝﾄﾞｳ",
    "quillon.x@example.org",
    "broken-address-at-example",
    "TK1234567",
    "peanut allergy",
    "prefers the aisle seat",
    "Zephyrine",
    "Okonkwo",
    "+84 90 555 0199",
    "Emergency contact",
    "1987-03-14",
    "1988-02-30",
    "Personal file of",
]
BIRTH = dt.date(1987, 3, 14)


def _registry() -> PluginRegistry:
    return PluginRegistry.discover(disabled=())


# ---------------------------------------------------------------------------
# Tags


def test_core_fields_carry_the_sensitivity_the_law_suggests() -> None:
    tags = {f.id: f.sensitivity for f in CORE_FIELDS["participants"]}
    for field_id in ("date_of_birth", "passport_number", "health_notes"):
        assert tags[field_id] == "sensitive", field_id
    for field_id in (
        "family_name",
        "given_name",
        "native_name",
        "name_kanji",
        "name_kana",
        "email",
        "gender",
        "notes",
    ):
        assert tags[field_id] == "personal", field_id
    for field_id in ("participant_id", "nationality", "host_id", "arrival_date", "status"):
        assert tags[field_id] == "public", field_id
    assert {f.id: f.sensitivity for f in CORE_FIELDS["attendance"]}["reason"] == "sensitive"
    for sheet in ("cohort", "hosts", "phases", "activities", "costs"):
        assert all(f.sensitivity == "public" for f in CORE_FIELDS[sheet]), sheet


def test_schema_shows_the_tags(tmp_path: Path) -> None:
    payload = json_output(run_cli("schema", "lgotp", "--json"))
    (participants,) = [s for s in payload["sheets"] if s["id"] == "participants"]
    tags = {f["id"]: f["sensitivity"] for f in participants["fields"]}
    assert tags["passport_number"] == "sensitive" and tags["email"] == "personal"
    assert tags["placement_test_score"] == "public"
    text = run_cli("schema", "lgotp").output
    line = next(line for line in text.splitlines() if line.strip().startswith("health_notes"))
    assert "(text, sensitive)" in line
    line = next(line for line in text.splitlines() if line.strip().startswith("email"))
    assert "(email, personal)" in line


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_template_marks_personal_and_sensitive_columns(lang: str, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", lang=lang))
    ws = find_sheet(wb, "participants")
    _, columns = header_columns(ws, "participants")
    tags = {f.id: f.sensitivity for f in CORE_FIELDS["participants"]}
    personal_note = "【個人情報】" if lang == "ja" else "Personal data: handle with care"
    sensitive_note = "【要配慮個人情報】" if lang == "ja" else "Sensitive data: handle with"
    for field_id, column in columns.items():
        cell = ws.cell(1, column)
        fill = cell.fill.start_color.rgb
        comment = cell.comment.text
        tag = tags.get(field_id, "public")
        if tag == "sensitive":
            assert fill == _HEADER_FILL_SENSITIVE and sensitive_note in comment, field_id
        elif tag == "personal":
            assert fill == _HEADER_FILL_PERSONAL and personal_note in comment, field_id
        else:
            assert fill == _HEADER_FILL, field_id
            assert personal_note not in comment and sensitive_note not in comment
    assert len({_HEADER_FILL, _HEADER_FILL_PERSONAL, _HEADER_FILL_SENSITIVE}) == 3


# ---------------------------------------------------------------------------
# --redact


def _personal_book(tmp_path: Path) -> Path:
    """A valid LGOTP cohort full of personal data, some of it in unknown places."""
    book = make_cohort(
        tmp_path,
        participants=[
            participant(
                "P01",
                family_name="Xanthopoulos",
                given_name="Quillon",
                native_name="Ξανθόπουλος",
                name_kanji="権藤 雪之丞",
                name_kana="ｺﾞﾝﾄﾞｳ ﾕｷﾉｼﾞｮｳ",
                email="quillon.x@example.org",
                date_of_birth=dt.datetime(1987, 3, 14),
                passport_number="TK1234567",
                health_notes="peanut allergy",
                notes="prefers the aisle seat",
            ),
            participant(
                "P02",
                family_name="Okonkwo",
                given_name="Zephyrine",
                gender="F",
                nationality="PH",
                home_country="PH",
                host_id="H02",
                email="broken-address-at-example",  # invalid: kept verbatim unless redacted
                date_of_birth="1988-02-30",  # invalid too
                placement_test_score=55,
            ),
        ],
    )
    wb = openpyxl.load_workbook(book)
    ws = find_sheet(wb, "participants")
    put(ws, 1, ws.max_column + 1, "Mobile")  # an unknown column
    put(ws, 2, ws.max_column, "+84 90 555 0199")
    hosts = find_sheet(wb, "hosts")
    hosts.insert_rows(1)  # a title row above the header
    put(hosts, 1, 1, "Personal file of the hosts of Mr Xanthopoulos")
    contacts = wb.create_sheet("Contacts")  # an unknown sheet
    contacts.append(["Emergency contact", "Mrs Quillon"])
    wb.save(book)
    return book


def _strings(value: Any) -> Iterator[str]:
    """Every string and date in a JSON value, recursively (keys too)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif value is not None:
        yield str(value)


def _cells(path: Path) -> Iterator[Any]:
    """Every cell value, comment and sheet name of every sheet, hidden ones included."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        yield ws.title
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield cell.value
                if cell.comment is not None:
                    yield cell.comment.text


def _assert_no_secrets(values: Iterator[Any]) -> int:
    seen = 0
    for value in values:
        seen += 1
        if isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            assert day != BIRTH, "the date of birth survived"
            continue
        text = str(value)
        for secret in [*SECRETS, "Mrs Quillon"]:
            assert secret not in text, f"{secret!r} survived in {text!r}"
    return seen


def test_the_planted_values_are_there_before_redaction(tmp_path: Path) -> None:
    """The check below can fail: without --redact the secrets are all in the outputs."""
    book = _personal_book(tmp_path)
    out = tmp_path / "plain.json"
    assert run_cli("convert", str(book), str(out)).exit_code == 0
    text = out.read_text("utf-8")
    found = [s for s in [*SECRETS, "Mrs Quillon"] if s in text]
    assert set(found) == set([*SECRETS, "Mrs Quillon"]) - {"ｺﾞﾝﾄﾞｳ"}
    with pytest.raises(AssertionError):
        _assert_no_secrets(iter(json.loads(text)["participants"][0].values()))


def test_convert_redact_to_json(tmp_path: Path) -> None:
    book = _personal_book(tmp_path)
    out = tmp_path / "redacted.json"
    result = run_cli("convert", str(book), str(out), "--redact")
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text("utf-8"))
    assert _assert_no_secrets(_strings(payload)) > 50

    p1, p2 = payload["participants"]
    assert (p1["family_name"], p1["given_name"]) == ("X.", "Q.")
    assert (p2["family_name"], p2["given_name"]) == ("O.", "Z.")
    for gone in ("native_name", "name_kanji", "name_kana", "email", "date_of_birth"):
        assert gone not in p1, gone
    assert "_invalid" not in p2 and "_unknown" not in p1
    assert "gender" not in p2
    assert payload["unknown_sheets"] == []
    # public values are kept
    assert p1["participant_id"] == "P01" and p1["arrival_date"] == "2024-05-20"
    assert p1["home_organisation"] == "Da Nang City People's Committee"

    redactions = {(r["sheet"], r["field"]): r for r in payload["redactions"]}
    assert redactions[("participants", "family_name")]["action"] == "initials"
    assert redactions[("participants", "family_name")]["values"] == 2
    assert redactions[("participants", "email")]["values"] == 2  # the invalid one too
    assert redactions[("participants", "date_of_birth")]["sensitivity"] == "sensitive"
    assert redactions[("participants", "passport_number")]["action"] == "removed"
    assert redactions[("participants", "health_notes")]["values"] == 1
    assert redactions[("participants", "Mobile")]["action"] == "unclassified"
    assert redactions[("Contacts", "(sheet)")]["action"] == "unclassified"
    assert redactions[("hosts", "(title rows)")]["values"] == 1
    # and says so on stderr
    assert "--redact: masked to initials: Family name (2), Given name (2)" in result.stderr
    assert "Passport number (1)" in result.stderr and "Mobile (1)" in result.stderr


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_convert_redact_to_xlsx(lang: str, tmp_path: Path) -> None:
    book = _personal_book(tmp_path)
    out = tmp_path / "redacted.xlsx"
    result = run_cli("convert", str(book), str(out), "--redact", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert _assert_no_secrets(_cells(out)) > 100
    sheet = "Participants" if lang == "en" else "参加者"
    people = sheet_records(out, sheet)
    family = "Family name" if lang == "en" else "姓"
    assert [p[family] for p in people] == ["X.", "O."]
    rows = sheet_records(out, "Redactions")
    actions = {(r["field"]): r["action"] for r in rows}
    if lang == "ja":
        assert actions["family_name"] == "イニシャルに置換" and actions["email"] == "削除"
        assert "イニシャルに置換" in result.stderr
    else:
        assert actions["family_name"] == "masked to initials" and actions["email"] == "removed"
    # the redacted workbook still reads and validates (the Redactions sheet is kept as is)
    check = run_cli("validate", "--json", str(out))
    assert check.exit_code == 0, check.output


def test_report_redact(tmp_path: Path) -> None:
    book = _personal_book(tmp_path)
    out = tmp_path / "report.xlsx"
    result = run_cli("report", str(book), "-o", str(out), "--redact")
    assert result.exit_code == 1, result.output  # the invalid e-mail and date are errors
    assert "--redact:" in result.stderr
    assert _assert_no_secrets(_cells(out)) > 100
    findings = {(f["code"], f["subject"]): f for f in sheet_records(out, "Findings")}
    withheld = findings[("core.invalid-value", "P02")]
    assert "withheld (--redact)" in withheld["message"]
    assert {r["field"] for r in sheet_records(out, "Redactions")} >= {
        "family_name",
        "date_of_birth",
        "passport_number",
        "health_notes",
        "email",
    }
    people = sheet_records(out, "Participants")
    assert [(p["participant_id"], p["family_name"]) for p in people] == [
        ("P01", "X."),
        ("P02", "O."),
    ]
    assert len(sheet_records(out, "Schedule")) == 6  # the plan is the same as unredacted

    payload = json_output(run_cli("report", str(book), "--json", "--redact"))
    assert _assert_no_secrets(_strings(payload)) > 100
    assert {r["field"] for r in payload["redactions"]} >= {"family_name", "email"}
    ja = json_output(run_cli("report", str(book), "--json", "--redact", "--lang", "ja"))
    (invalid,) = [f for f in ja["findings"] if f["code"] == "core.invalid-value"][:1]
    assert "秘匿" in invalid["message"]


def test_report_without_redact_keeps_names(tmp_path: Path) -> None:
    book = _personal_book(tmp_path)
    payload = json_output(run_cli("report", str(book), "--json"))
    assert "redactions" not in payload
    messages = " ".join(f["message"] for f in payload["findings"])
    assert "broken-address-at-example" in messages


def test_redact_leaves_its_input_unchanged_and_keeps_positions(tmp_path: Path) -> None:
    data, findings, schema = load_cohort(_personal_book(tmp_path), _registry())
    before = [p.family_name for p in data.participants]
    redacted, redactions = redact(data, schema)
    assert [p.family_name for p in data.participants] == before
    assert data.unknown_sheets and data.participants[0].unknown
    assert redactions and "Family name (2)" in redactions.summary()
    # a finding raised on the copy still names the cell of the original row
    copy_p1 = redacted.participants[0]
    assert redacted.location(copy_p1, "host_id") == data.location(data.participants[0], "host_id")
    assert redacted.participant("P01") is copy_p1
    withheld = redact_findings(findings, schema)
    assert len(withheld) == len(findings)
    assert all("broken-address" not in f.message for f in withheld)


def test_initials() -> None:
    assert initials("Nguyen") == "N."
    assert initials("maria clara") == "M. C."
    assert initials("Jean-Luc") == "J. L."
    assert initials("  ") == ""
