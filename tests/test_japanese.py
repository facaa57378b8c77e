"""Japanese conventions: full-width forms normalised where values are read, name fields in
kanji, kana and romaji, and every finding in Japanese and English (``--lang``)."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest
from helpers import (
    build_workbook,
    cohort_values,
    header_columns,
    host,
    json_output,
    make_cohort,
    participant,
    run_cli,
    sheet_records,
    valid_costs,
    write_template,
)
from kenshu import Programme, hookimpl
from kenshu.catalogue import CORE_FIELDS
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from kenshu.testing.contract import contract_suite

ROOT = Path(__file__).resolve().parent.parent
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana or kanji


def _registry() -> PluginRegistry:
    return PluginRegistry.discover(disabled=())


# ---------------------------------------------------------------------------
# Full-width forms


def test_full_width_codes_numbers_dates_emails_and_choices_are_normalised(
    tmp_path: Path,
) -> None:
    """A cohort typed with a Japanese input method: full-width digits and letters in ids,
    numbers, dates, e-mails, choices, countries and yes/no; free text kept as typed."""
    book = make_cohort(
        tmp_path,
        cohort=cohort_values(cohort_id="ｌｇｏｔｐ－２０２４", edition="３７"),
        participants=[
            participant(
                "Ｐ０１",
                gender="Ｆ",
                nationality="ＶＮ",
                home_country="ｖｎ",
                english_level="Ｂ２",
                organisation_type="Ｌｏｃａｌ　ｇｏｖｅｒｎｍｅｎｔ",
                email="ｌａｎ．ｎｇｕｙｅｎ＠ｅｘａｍｐｌｅ．ｏｒｇ",
                host_id="Ｈ０１",
                arrival_date="２０２４－０５－２０",
                departure_date="２０２４年１２月１９日",
                placement_test_score="７２",
                recommended="ｙｅｓ",
                passport_number="Ｃ１２３４５６７",
                home_organisation="ダナン市人民委員会（計画投資局）",
                name_kanji="阮　氏蘭",
                position="Ｏｆｆｉｃｅｒ",
            )
        ],
        hosts=[host("H01", capacity="２")],
        costs=[{**valid_costs()[0], "amount": "１５０，０００", "participant_id": "P01"}],
    )
    data, findings, _ = load_cohort(book, _registry())
    assert not [f for f in findings if f.severity == "error"], findings
    assert data.cohort.cohort_id == "lgotp-2024" and data.cohort.edition == 37
    (p,) = data.participants
    assert p.participant_id == "P01" and p.host_id == "H01"
    assert (p.gender, p.nationality, p.home_country) == ("F", "VN", "VN")
    assert (p.english_level, p.organisation_type) == ("B2", "local_government")
    assert p.email == "lan.nguyen@example.org"
    assert (p.arrival_date, p.departure_date) == (dt.date(2024, 5, 20), dt.date(2024, 12, 19))
    assert p.extra["placement_test_score"] == 72 and p.extra["recommended"] is True
    assert p.passport_number == "C1234567"
    assert data.hosts[0].capacity == 2
    assert data.costs[0].amount == 150000
    # free text is kept exactly as typed
    assert p.home_organisation == "ダナン市人民委員会（計画投資局）"
    assert p.name_kanji == "阮　氏蘭"
    assert p.position == "Ｏｆｆｉｃｅｒ"
    # the full-width ids still link the sheets: no unknown references
    result = run_cli("validate", "--json", str(book))
    codes = {f["code"] for f in json_output(result)["files"][0]["findings"]}
    assert "core.unknown-reference" not in codes


# ---------------------------------------------------------------------------
# Names in kanji, kana and romaji


def test_name_fields_are_in_the_catalogue_after_the_native_name() -> None:
    ids = [f.id for f in CORE_FIELDS["participants"]]
    at = ids.index("native_name")
    assert ids[at + 1 : at + 3] == ["name_kanji", "name_kana"]
    fields = {f.id: f for f in CORE_FIELDS["participants"]}
    assert (fields["name_kanji"].label, fields["name_kanji"].label_ja) == (
        "Name (kanji)",
        "漢字氏名",
    )
    assert (fields["name_kana"].label, fields["name_kana"].label_ja) == ("Name (kana)", "カナ氏名")
    assert fields["name_kana"].type == "kana"
    for field_id in ("family_name", "given_name", "name_kanji", "name_kana"):
        assert fields[field_id].sensitivity == "personal"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_template_has_a_column_for_each_script(lang: str, tmp_path: Path) -> None:
    template = write_template(tmp_path / "t.xlsx", lang=lang)
    wb = openpyxl.load_workbook(template)
    ws = wb["参加者" if lang == "ja" else "Participants"]
    _, columns = header_columns(ws, "participants")
    labels = {ws.cell(1, c).value for f, c in columns.items() if f.startswith("name_")}
    expected = {"漢字氏名", "カナ氏名"} if lang == "ja" else {"Name (kanji)", "Name (kana)"}
    assert labels == expected
    for field_id in ("family_name", "given_name", "name_kanji", "name_kana"):
        assert field_id in columns


def test_kanji_kana_and_romaji_names_are_read_and_written_back(tmp_path: Path) -> None:
    book = make_cohort(
        tmp_path,
        lang="ja",
        participants=[
            participant(
                "P01",
                family_name="Yamada",
                given_name="Taro",
                name_kanji="山田 太郎",
                name_kana="ﾔﾏﾀﾞ ﾀﾛｳ",  # half-width katakana, as older systems export it
            ),
            participant(
                "P02",
                family_name="Santos",
                given_name="Maria",
                name_kana="サントス　マリア",  # full-width already, with a full-width space
                host_id="H02",
                nationality="PH",
            ),
        ],
    )
    data, _, _ = load_cohort(book, _registry())
    p1, p2 = data.participants
    assert (p1.family_name, p1.given_name) == ("Yamada", "Taro")
    assert p1.name_kanji == "山田 太郎"
    assert p1.name_kana == "ヤマダ タロウ"  # made full-width, voiced mark joined
    assert p2.name_kana == "サントス　マリア"  # kept as typed

    # through JSON and back to a workbook, by their Japanese headers
    as_json = tmp_path / "c.json"
    assert run_cli("convert", str(book), str(as_json)).exit_code == 0
    people = json.loads(as_json.read_text("utf-8"))["participants"]
    assert people[0]["name_kana"] == "ヤマダ タロウ" and people[0]["name_kanji"] == "山田 太郎"
    again = tmp_path / "again.xlsx"
    assert run_cli("convert", str(as_json), str(again), "--lang", "ja").exit_code == 0
    records = sheet_records(again, "参加者")
    assert [(r["漢字氏名"], r["カナ氏名"]) for r in records] == [
        ("山田 太郎", "ヤマダ タロウ"),
        (None, "サントス　マリア"),
    ]


def test_hand_made_sheet_with_japanese_name_headers(tmp_path: Path) -> None:
    book = build_workbook(
        tmp_path / "names.xlsx",
        [("プログラム", "lgotp"), ("コホートID", "n-1")],
        {
            "研修員名簿": [
                ["参加者ID", "姓", "名", "漢字氏名", "カナ氏名"],
                ["P1", "Suzuki", "Hanako", "鈴木 花子", "ｽｽﾞｷ ﾊﾅｺ"],
            ]
        },
    )
    data, _, _ = load_cohort(book, _registry())
    (p,) = data.participants
    assert (p.family_name, p.name_kanji, p.name_kana) == ("Suzuki", "鈴木 花子", "スズキ ハナコ")


# ---------------------------------------------------------------------------
# Findings in Japanese


def _troubled_book(tmp_path: Path) -> Path:
    """An LGOTP cohort that trips as many core and LGOTP rules as a real one might."""
    people = [
        participant("P01", email="not-an-email", placement_test_score=None),
        participant("P01", family_name="Again"),  # duplicate id
        participant(
            "P03",
            host_id="H99",  # unknown host
            arrival_date=dt.datetime(2024, 9, 1),
            departure_date=dt.datetime(2024, 8, 1),  # reversed
            organisation_type="company",
            nationality="JP",
            english_level="A2",
            recommended="no",
            leadership_evidence=None,
        ),
        participant("P04", departure_date=dt.datetime(2024, 6, 30)),  # too short
        participant("P05", departure_date=dt.datetime(2026, 1, 1), nominated_by_host="H02"),
        participant("P06", recommended=None, date_of_birth="令和元年4月30日"),
        participant("P07", arrival_date=dt.datetime(2024, 8, 20), departure_date="H31.5.1"),
        {"family_name": "No id"},
    ]
    return make_cohort(
        tmp_path,
        cohort=cohort_values(start_date=dt.datetime(2030, 5, 20), end_date=dt.datetime(2030, 1, 1)),
        participants=people,
        hosts=[host("H01", capacity=1), host("H02", kind="university", capacity=5)],
        costs=[
            *valid_costs(),
            {"cost_id": "C03", "item": "living_allowance", "amount": 1, "participant_id": "P01"},
            {"cost_id": "C04", "item": "airfare", "amount": 2, "host_id": "H77"},
        ],
        phases=[
            {"phase_id": "X1", "start_date": dt.datetime(2024, 5, 20), "end_date": "R6.6.30"},
            {"phase_id": "X2", "start_date": dt.datetime(2024, 6, 1), "end_date": "R6.7.31"},
            {"phase_id": "X3", "start_date": dt.datetime(2024, 9, 1), "end_date": "R6.9.30"},
        ],
        settings={"class_min_size": 9, "class_max_size": 8},
    )


#: The codes the troubled book must produce: the test is only as good as its coverage.
EXPECTED_CODES = {
    "core.invalid-value",
    "core.date-past-era",
    "core.duplicate-id",
    "core.unknown-reference",
    "core.dates-reversed",
    "core.missing-id",
    "lgotp.not-local-government",
    "lgotp.japanese-government",
    "lgotp.language-level",
    "lgotp.not-recommended",
    "lgotp.leadership-evidence-missing",
    "lgotp.stay-too-short",
    "lgotp.stay-too-long",
    "lgotp.arrival-outside-window",
    "lgotp.host-kind",
    "lgotp.host-over-capacity",
    "lgotp.placed-away-from-nominator",
    "lgotp.no-placement-score",
    "lgotp.class-size",
    "lgotp.class-bounds",
    "lgotp.cost-unassigned",
    "lgotp.cost-without-host",
    "lgotp.phases-overlap",
    "lgotp.phases-gap",
    "lgotp.programme-ended",
}


def test_validate_lang_ja_gives_every_core_and_lgotp_finding_in_japanese(tmp_path: Path) -> None:
    book = _troubled_book(tmp_path)
    english = json_output(run_cli("validate", "--json", str(book)))["files"][0]["findings"]
    result = run_cli("validate", "--json", "--lang", "ja", str(book))
    assert result.exit_code == 1
    japanese = json_output(result)["files"][0]["findings"]
    assert {f["code"] for f in japanese} >= EXPECTED_CODES
    assert len(japanese) == len(english)
    for en, ja in zip(english, japanese, strict=True):
        assert (en["code"], en["cell"], en["subject"]) == (ja["code"], ja["cell"], ja["subject"])
        assert ja["message"] != en["message"], f"{ja['code']} has no Japanese message"
        assert JAPANESE.search(ja["message"]), ja


def test_validate_lang_ja_prints_in_japanese(tmp_path: Path) -> None:
    book = _troubled_book(tmp_path)
    text = run_cli("validate", "--lang", "ja", str(book)).output
    assert "要修正(エラー" in text and "  エラー:" in text and "  警告:" in text
    assert "ID「P01」が重複しています(最初は" in text
    assert "host_id「H99」が「受入団体」シートにありません" in text
    default = run_cli("validate", str(book)).output
    assert "INVALID" in default and "appears again" in default  # English by default


def test_annotate_comments_follow_lang(tmp_path: Path) -> None:
    book = _troubled_book(tmp_path)
    out = tmp_path / "annotated.xlsx"
    run_cli("validate", "--lang", "ja", "--annotate", str(out), str(book))
    wb = openpyxl.load_workbook(out)
    comments = [
        c.comment.text
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment and c.comment.text.startswith("[")
    ]
    assert comments and all(JAPANESE.search(text) for text in comments)
    findings = sheet_records(out, "Findings")
    assert all(JAPANESE.search(f["message"]) for f in findings)


def test_report_lang_ja_writes_summary_and_findings_in_japanese(tmp_path: Path) -> None:
    book = make_cohort(tmp_path)
    out = tmp_path / "report.xlsx"
    result = run_cli("report", str(book), "-o", str(out), "--lang", "ja")
    assert result.exit_code == 0, result.output
    summary = [row["summary"] for row in sheet_records(out, "概要")]
    assert summary[0] == "自治体職員協力交流事業: コホート lgotp-2024(LGOTP 2024)。"
    assert "期間は2024-05-20から2025-03-31まで(316日間、初日と最終日を含む)。" in summary
    assert "参加者2人(2か国)、受入団体2団体。" in summary
    assert "研修員2人(2か国: PH、VN)を受入団体2団体に配属。" in summary
    assert any(line.startswith("受入団体が負担し、普通交付税で措置される額: ") for line in summary)
    assert summary[-1] == "指摘事項: エラー0件、警告1件。"
    assert all(JAPANESE.search(line) for line in summary)
    (finding,) = sheet_records(out, "指摘事項")
    assert finding["code"] == "lgotp.class-size"
    assert finding["message"].startswith("JIAMのクラス編成(2人)が1クラス6〜8人の範囲に")

    payload = json_output(run_cli("report", str(book), "--json", "--lang", "ja"))
    assert payload["summary"] == summary
    assert payload["findings"][0]["message"] == finding["message"]
    english = json_output(run_cli("report", str(book), "--json"))
    assert english["summary"][-1] == "Findings: 0 error(s), 1 warning(s)."


def test_report_of_a_japanese_workbook_is_japanese_by_default(tmp_path: Path) -> None:
    book = make_cohort(tmp_path, lang="ja")
    payload = json_output(run_cli("report", str(book), "--json"))
    assert payload["summary"][-1] == "指摘事項: エラー0件、警告1件。"
    payload = json_output(run_cli("report", str(book), "--json", "--lang", "en"))
    assert payload["summary"][-1] == "Findings: 0 error(s), 1 warning(s)."


# Files whose every finding must carry a Japanese message: every call that builds one.
FINDING_SOURCES = [
    "core/builtin.py",
    "core/workbook/load.py",
    "core/validate.py",
    "core/serial.py",
    "core/plugins.py",
    "core/schema.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "plugins/lgotp/src").rglob("*.py")),
]


def _finding_calls(path: Path) -> list[tuple[int, bool]]:
    """``(line, has Japanese)`` for each ``Finding(...)`` and ``data.error/warning/info/
    finding("code", ...)`` call in a source file."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        keywords = {k.arg for k in node.keywords}
        if isinstance(func, ast.Name) and func.id == "Finding":
            calls.append((node.lineno, "message_ja" in keywords))
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in ("error", "warning", "info", "finding", "_finding")
            and node.args
            and isinstance(node.args[0], ast.Constant | ast.Attribute | ast.Name)
        ):
            first = node.args[0]
            is_code = not isinstance(first, ast.Constant) or (
                isinstance(first.value, str) and "." in first.value
            )
            if is_code:
                calls.append((node.lineno, "ja" in keywords or "message_ja" in keywords))
    return calls


@pytest.mark.parametrize("source", FINDING_SOURCES)
def test_every_finding_in_the_source_has_a_japanese_message(source: str) -> None:
    calls = _finding_calls(ROOT / source)
    missing = [line for line, has_ja in calls if not has_ja]
    assert not missing, f"{source}: findings without a Japanese message at lines {missing}"


def test_the_source_check_sees_the_findings() -> None:
    counts = {source: len(_finding_calls(ROOT / source)) for source in FINDING_SOURCES}
    assert counts["core/builtin.py"] >= 8 and counts["core/workbook/load.py"] >= 7
    assert sum(n for s, n in counts.items() if "lgotp" in s) >= 19


# ---------------------------------------------------------------------------
# The contract suite checks plugins' findings


class _NoJapanesePlugin:
    """A programme whose rule forgets the Japanese message."""

    @hookimpl
    def kenshu_register_programmes(self, register) -> None:
        register(Programme(code="nojapanese", title="No Japanese"))

    @hookimpl
    def kenshu_check_participant(self, data, participant):
        yield data.warning("nojapanese.always", "always says this", record=participant)


class _JapanesePlugin(_NoJapanesePlugin):
    @hookimpl
    def kenshu_check_participant(self, data, participant):
        yield data.warning(
            "nojapanese.always", "always says this", ja="いつも表示されます", record=participant
        )


def test_contract_suite_fails_a_plugin_finding_without_japanese() -> None:
    suite = contract_suite(_NoJapanesePlugin(), cross_cutting=False)()
    with pytest.raises(AssertionError, match="without a Japanese message"):
        suite.test_findings_have_japanese_messages()
    contract_suite(_JapanesePlugin())().test_findings_have_japanese_messages()
