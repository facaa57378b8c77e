"""``kenshu import``: workbooks in other people's layouts, through a TOML mapping."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import openpyxl
import pytest
from helpers import run_cli, sheet_records
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry

ROSTER = "研修員名簿"


def write_foreign_workbook(path: Path) -> Path:
    """A partner's roster: a title block, a two-row header with merged cells, Japanese
    column names, 男/女, country names in Japanese, dates as cells and as text, a
    footnote, and a second sheet of hosts."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ROSTER
    ws["A1"] = "令和6年度 自治体職員協力交流事業 研修員名簿"
    ws.merge_cells("A1:I1")
    ws["A2"] = "作成: 国際交流課(2024年4月1日現在)"
    headers = ["番号", "性別", "国籍", "生年月日", "所属", "推薦", "備考"]
    for col, text in zip("ADEFGHI", headers, strict=True):
        ws[f"{col}3"] = text
        ws.merge_cells(f"{col}3:{col}4")
    ws["B3"] = "氏名"
    ws.merge_cells("B3:C3")
    ws["B4"] = "姓"
    ws["C4"] = "名"
    rows = [
        ["P01", "Nguyen", "Lan", "女", "ベトナム", dt.datetime(1990, 4, 1), "ダナン市", "有", None],
        ["P02", "Santos", "Maria", "女", "フィリピン", "1988/12/3", "セブ州", "有", "要通訳"],
        ["P03", "Phommachan", "Kham", "男", "ラオス", "1985-07-15", "ビエンチャン都", "無", None],
        ["P04", "Kim", "Minji", "女", "大韓民国", dt.datetime(1992, 2, 29), "釜山市", "有", None],
    ]
    for r, values in enumerate(rows, start=5):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)
    ws["I10"] = "※ 推薦欄は所属団体の推薦の有無"
    hosts = wb.create_sheet("受入団体")
    hosts.append(["受入団体一覧"])
    hosts.append([])
    hosts.append(["団体コード", "団体名", "種別", "受入人数"])
    hosts.append(["H-SAP", "札幌市", "政令指定都市", 2])
    hosts.append(["H-HOK", "北海道", "都道府県", 1])
    wb.save(path)
    return path


MAPPING = """\
[cohort]
programme = "lgotp"
cohort_id = "lgotp-2024"
title = "LGOTP 2024"
start_date = 2024-05-14
end_date = 2025-03-31

[[sheets]]
sheet = "研修員名簿"
into = "participants"

[sheets.columns]
participant_id = "番号"
family_name = "氏名/姓"
given_name = "氏名/名"
gender = "性別"
nationality = "国籍"
date_of_birth = "生年月日"
home_organisation = "所属"
recommended = "推薦"

[sheets.values.nationality]
"ラオス" = "LA"
"大韓民国" = "KR"

[sheets.defaults]
status = "applicant"
home_country = "VN"

[[sheets]]
sheet = "受入団体"
into = "hosts"

[sheets.columns]
host_id = "団体コード"
name_ja = "団体名"
kind = "種別"
capacity = "受入人数"

[sheets.values.kind]
"政令指定都市" = "designated_city"
"都道府県" = "prefecture"
"""


@pytest.fixture
def theirs(tmp_path: Path) -> Path:
    return write_foreign_workbook(tmp_path / "roster.xlsx")


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "roster.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def test_import_of_a_foreign_layout_reads_every_mapped_value(
    theirs: Path, mapping: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.json"
    result = run_cli("import", str(theirs), "--mapping", str(mapping), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"wrote {out}: 4 participants, 2 hosts"
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["programme"] == "lgotp"
    assert payload["cohort"] == {
        "programme": "lgotp",
        "cohort_id": "lgotp-2024",
        "title": "LGOTP 2024",
        "start_date": "2024-05-14",
        "end_date": "2025-03-31",
    }
    people = {p["participant_id"]: p for p in payload["participants"]}
    assert list(people) == ["P01", "P02", "P03", "P04"]
    assert people["P01"] == {
        "participant_id": "P01",
        "family_name": "Nguyen",
        "given_name": "Lan",
        "gender": "F",
        "date_of_birth": "1990-04-01",
        "nationality": "VN",
        "home_country": "VN",
        "home_organisation": "ダナン市",
        "status": "applicant",
        "recommended": True,
    }
    assert people["P02"]["date_of_birth"] == "1988-12-03"
    assert people["P02"]["nationality"] == "PH"
    assert people["P02"]["_unknown"] == {"備考": "要通訳"}
    assert (people["P03"]["gender"], people["P03"]["nationality"]) == ("M", "LA")
    assert people["P03"]["date_of_birth"] == "1985-07-15"
    assert people["P03"]["recommended"] is False
    assert (people["P04"]["nationality"], people["P04"]["date_of_birth"]) == ("KR", "1992-02-29")
    hosts = payload["hosts"]
    assert [(h["host_id"], h["name_ja"], h["kind"], h["capacity"]) for h in hosts] == [
        ("H-SAP", "札幌市", "designated_city", 2),
        ("H-HOK", "北海道", "prefecture", 1),
    ]


def test_unmapped_columns_are_kept_and_listed(theirs: Path, mapping: Path, tmp_path: Path) -> None:
    out = tmp_path / "cohort.xlsx"
    result = run_cli("import", str(theirs), "--mapping", str(mapping), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "1 unmapped column(s) kept as unknown columns" in result.stdout
    assert f"{ROSTER}!I '備考'" in result.stderr
    # the footnote row has no value in a mapped column: not a participant, and said so
    assert f"{ROSTER}!10: no value in any mapped column; not imported" in result.stderr
    data, findings, _ = load_cohort(out, PluginRegistry.discover())
    assert [f for f in findings if f.severity == "error"] == []
    assert data.unknown_columns["participants"] == ["備考"]
    assert data.participant("P02").unknown == {"備考": "要通訳"}
    assert data.participant("P01").date_of_birth == dt.date(1990, 4, 1)
    assert data.participant("P04").extra["recommended"] is True
    assert data.cohort.cohort_id == "lgotp-2024"
    header = [c.value for c in openpyxl.load_workbook(out)["Participants"][1]]
    assert header[-1] == "備考"


def test_header_row_and_column_letters_may_be_given(theirs: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "letters.toml"
    mapping.write_text(
        """\
[cohort]
programme = "lgotp"
cohort_id = "lgotp-2024"

[[sheets]]
into = "participants"   # their first sheet
header_row = 4

[sheets.columns]
participant_id = { column = "A" }
family_name = { column = "B" }
nationality = { column = "E" }
gender = "性別"

[sheets.values.nationality]
"ラオス" = "LA"
"大韓民国" = "KR"
""",
        encoding="utf-8",
    )
    out = tmp_path / "cohort.json"
    result = run_cli("import", str(theirs), "--mapping", str(mapping), "-o", str(out))
    assert result.exit_code == 0, result.output
    people = json.loads(out.read_text(encoding="utf-8"))["participants"]
    assert [(p["participant_id"], p["family_name"], p["nationality"]) for p in people] == [
        ("P01", "Nguyen", "VN"),
        ("P02", "Santos", "PH"),
        ("P03", "Phommachan", "LA"),
        ("P04", "Kim", "KR"),
    ]
    # unmapped: 名, 生年月日, 所属, 推薦, 備考
    assert result.stderr.count(f"{ROSTER}!") == 5 + 1  # and the footnote row


def test_values_that_do_not_fit_are_kept_and_named_by_their_cell(
    theirs: Path, mapping: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(theirs)
    wb[ROSTER]["E6"] = "アトランティス"
    wb[ROSTER]["F8"] = "1992年2月30日"
    wb.save(theirs)
    out = tmp_path / "cohort.xlsx"
    result = run_cli("import", str(theirs), "--mapping", str(mapping), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert f"  {ROSTER}!E6 [P02]: Nationality:" in result.stdout
    assert f"  {ROSTER}!F8 [P04]: Date of birth:" in result.stdout
    assert "(import.invalid-value)" in result.stdout
    data, _, _ = load_cohort(out, PluginRegistry.discover())
    assert data.participant("P02").invalid == {"nationality": "アトランティス"}
    assert data.participant("P04").invalid == {"date_of_birth": "1992年2月30日"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('nationality = "国籍"', 'nationalty = "国籍"'), "nationalty: not a field"),
        (('nationality = "国籍"', 'nationality = "国"'), "no column for nationality = '国'"),
        (('sheet = "受入団体"', 'sheet = "Hosts"'), "has no sheet 'Hosts'"),
        (('into = "hosts"', 'into = "hostz"'), "into = 'hostz'"),
        (("[cohort]", "[cohort"), "not valid TOML"),
        (('cohort_id = "lgotp-2024"', 'cohortid = "x"'), "[cohort] cohortid: not a Cohort field"),
    ],
)
def test_a_mapping_that_does_not_fit_is_a_usage_error(
    theirs: Path, tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    mapping = tmp_path / "bad.toml"
    mapping.write_text(MAPPING.replace(*change, 1), encoding="utf-8")
    out = tmp_path / "cohort.xlsx"
    result = run_cli("import", str(theirs), "--mapping", str(mapping), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.startswith("kenshu: error: ")
    assert not out.exists()


def test_import_usage_errors(theirs: Path, mapping: Path, tmp_path: Path) -> None:
    assert run_cli("import", str(theirs), "--mapping", str(mapping)).exit_code == 2
    assert run_cli("import", str(theirs), "-o", str(tmp_path / "x.xlsx")).exit_code == 2
    both = run_cli("import", str(theirs), "--mapping", str(mapping), "--suggest")
    assert both.exit_code == 2
    same = run_cli("import", str(theirs), "--mapping", str(mapping), "-o", str(theirs))
    assert same.exit_code == 2 and "never overwrites its inputs" in same.stderr
    missing = run_cli("import", str(tmp_path / "no.xlsx"), "--suggest")
    assert missing.exit_code == 2 and "no.xlsx" in missing.stderr


def test_suggest_writes_a_mapping_that_parses_and_imports(theirs: Path, tmp_path: Path) -> None:
    suggested = tmp_path / "suggested.toml"
    result = run_cli(
        "import", str(theirs), "--suggest", "--programme", "lgotp", "-o", str(suggested)
    )
    assert result.exit_code == 0, result.output
    assert f"sheet '{ROSTER}' -> participants: header row 4" in result.stderr
    text = suggested.read_text(encoding="utf-8")
    parsed = tomllib.loads(text)
    assert parsed["cohort"] == {"programme": "lgotp"}
    (sheet,) = parsed["sheets"]  # the hosts sheet's headers match none of our labels
    assert (sheet["sheet"], sheet["into"], sheet["header_row"]) == (ROSTER, "participants", 4)
    assert sheet["columns"] == {
        "family_name": "姓",
        "given_name": "名",
        "gender": "性別",
        "nationality": "国籍",
        "date_of_birth": "生年月日",
        "notes": "備考",
    }
    # the comments say what was not matched and which values need a map
    assert '#   "番号"  (column A)' in text
    assert '#   "所属"  (column G)' in text
    assert '# "ラオス" = ""' in text and '# "大韓民国" = ""' in text
    assert '# "ベトナム"' not in text  # understood as it is
    assert "sheet '受入団体': no header row matches any of our sheets; left out" in result.stderr

    # filled in by a person: the cohort id, the id column and the two countries; 備考 is
    # left unmapped (its footnote row would otherwise be a participant without an id)
    filled = (
        text.replace('# cohort_id = ""', 'cohort_id = "lgotp-2024"  #')
        .replace('notes = "備考"\n', "")
        .replace("[sheets.columns]", '[sheets.columns]\nparticipant_id = "番号"', 1)
        .replace('# "ラオス" = ""', '"ラオス" = "LA"')
        .replace('# "大韓民国" = ""', '"大韓民国" = "KR"')
    )
    mapping = tmp_path / "filled.toml"
    mapping.write_text(filled, encoding="utf-8")
    out = tmp_path / "cohort.json"
    result = run_cli("import", str(theirs), "--mapping", str(mapping), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "3 unmapped column(s)" in result.stdout  # 所属, 推薦, 備考
    people = json.loads(out.read_text(encoding="utf-8"))["participants"]
    assert [(p["participant_id"], p["nationality"], p["gender"]) for p in people] == [
        ("P01", "VN", "F"),
        ("P02", "PH", "F"),
        ("P03", "LA", "M"),
        ("P04", "KR", "F"),
    ]


def test_suggest_matches_labels_in_any_language_case_spacing_and_width(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List"
    ws.append(["Our trainees"])
    ws.append(
        ["PARTICIPANT_ID", "ｆａｍｉｌｙ　ｎａｍｅ", "Date of Birth", "国籍", "score", "Phone"]
    )
    ws.append(["P01", "Nguyen", dt.datetime(1990, 4, 1), "VN", 60, "+84 1234"])
    wb.save(tmp_path / "list.xlsx")
    result = run_cli("import", str(tmp_path / "list.xlsx"), "--suggest")
    assert result.exit_code == 0, result.output
    parsed = tomllib.loads(result.stdout)
    assert parsed["cohort"] == {}  # no --programme: said in a comment
    (sheet,) = parsed["sheets"]
    assert sheet["header_row"] == 2
    assert sheet["columns"] == {
        "participant_id": "PARTICIPANT_ID",
        "family_name": "ｆａｍｉｌｙ　ｎａｍｅ",
        "date_of_birth": "Date of Birth",
        "nationality": "国籍",
    }
    assert '#   "score"  (column E)' in result.stdout  # a plugin field: needs --programme
    with_plugin = run_cli(
        "import", str(tmp_path / "list.xlsx"), "--suggest", "--programme", "lgotp"
    )
    assert '#   "Phone"  (column F)' in with_plugin.stdout


def test_imported_workbook_names_its_sheets_in_the_language_asked(
    theirs: Path, mapping: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cohort-ja.xlsx"
    result = run_cli(
        "import", str(theirs), "--mapping", str(mapping), "-o", str(out), "--lang", "ja"
    )
    assert result.exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["コホート", "参加者"]
    rows = sheet_records(out, "参加者")
    assert [r["参加者ID"] for r in rows] == ["P01", "P02", "P03", "P04"]


# ---------------------------------------------------------------------------
# The documentation of these commands


ROOT = Path(__file__).resolve().parent.parent


def test_the_documented_mapping_example_is_a_valid_mapping(theirs: Path, tmp_path: Path) -> None:
    """docs/import-mapping.md's format example parses and fits the LGOTP schema."""
    from kenshu.mapping import check_mapping, parse_mapping

    text = (ROOT / "docs" / "import-mapping.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"^```toml\n(.*?)^```$", text, re.S | re.M)
    mapping = parse_mapping(tomllib.loads(block))
    registry = PluginRegistry.discover()
    check_mapping(mapping, registry.schema(registry.programme(mapping.programme)))
    (sheet,) = mapping.sheets
    assert sheet.columns["nationality"].column == 5
    assert sheet.values["recommended"] == {"有": "yes", "無": "no"}
    # and it imports the test roster, whose header is a row lower than the documented one's
    # (so it is left to be found)
    path = tmp_path / "documented.toml"
    path.write_text(re.sub(r"^header_row = 3 .*$", "", block, flags=re.M), encoding="utf-8")
    out = tmp_path / "cohort.json"
    result = run_cli("import", str(theirs), "--mapping", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    people = json.loads(out.read_text(encoding="utf-8"))["participants"]
    assert [(p["nationality"], p["recommended"], p["home_country"]) for p in people] == [
        ("VN", True, "VN"),
        ("PH", True, "VN"),
        ("LA", False, "VN"),
        ("KR", True, "VN"),
    ]


@pytest.mark.parametrize("name", ["merge", "diff", "import"])
def test_exchange_commands_are_documented(name: str) -> None:
    """Every option of merge, diff and import is in docs/cli.md, and the command in the
    README's tour (tests/test_docs.py checks the commands of kenshu.cli.main)."""
    import click
    from kenshu.cli.exchange import diff, import_, merge

    command = {"merge": merge, "diff": diff, "import": import_}[name]
    cli_md = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"## kenshu {name}" in cli_md
    options = [o for p in command.params if isinstance(p, click.Option) for o in p.opts]
    assert len(options) >= 2
    assert [o for o in options if o not in cli_md] == []
    assert f"**{name}**" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_import_and_merge_finding_has_japanese() -> None:
    """Issue 9: every finding is available in Japanese; merge and import make findings too."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for name in ("core/merge.py", "core/mapping.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
                "Finding",
                "_finding",
            ):
                keywords = {k.arg for k in node.keywords}
                assert keywords & {"message_ja", "ja"}, (
                    f"{name}:{node.lineno} has no Japanese message"
                )
