"""``kenshu hokkaido annual``'s summary in proper English (one workbook, two workbooks; none)
and in Japanese with ``--lang ja``: the summary, sheet names, headers and the reasons in
Excluded; the JSON keeps its English keys."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from kenshu.testing import write_cohort
from kenshu_hokkaido import programmes as P

D = dt.date
EN = "hokkaido-lectures-fy2024.xlsx"
JA = "hokkaido-lectures-fy2024-ja.xlsx"
LGOTP = "lgotp-fy2024.xlsx"
SHEETS_JA = [
    "概要",
    "ワークブック",
    "催し",
    "市町村別の催し",
    "テーマ別の催し",
    "事業別の催し",
    "派遣団",
    "派遣団員",
    "技術研修員",
    "国別の技術研修員",
    "受入団体別の技術研修員",
    "除外",
]


@pytest.fixture
def shipped(hk, tmp_path) -> list[Path]:
    """From ``kenshu examples -o DIR``: the six English workbooks, then the Japanese copy of
    the lectures and the lgotp example (not the centre's)."""
    folder = tmp_path / "examples"
    assert hk.invoke("examples", "-o", folder).exit_code == 0
    return [folder / f"{code}-fy2024.xlsx" for code in P.CODES] + [folder / JA, folder / LGOTP]


def sheet_rows(path: Path, title: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[title].values]
    finally:
        wb.close()


def no_makeshift_plurals(lines: list[str]) -> None:
    for line in lines:
        assert not re.search(r"\((s|ies)\)|\b0 \(none\)", line), line


def test_one_of_each_is_singular(hk, tmp_path, registry):
    lectures = write_cohort(
        tmp_path / "lectures.xlsx", hk.events(P.LECTURES, [hk.lecture("L1")]), registry
    )
    trainees = write_cohort(
        tmp_path / "trainees.xlsx", hk.technical_trainees([hk.trainee("T1")]), registry
    )
    payload = hk.invoke_json("hokkaido", "annual", lectures, trainees, "--json", exit_code=0)
    lines = [row["summary"] for row in payload["sheets"]["summary"]]
    assert lines[1:] == [
        "2 of 2 workbooks included.",
        "Events: 1, total attendance 50, in 1 municipality.",
        "Missions: none.",
        "Technical trainees: 1 from 1 country, with 1 host.",
    ]
    alone = hk.invoke_json(
        "hokkaido", "annual", lectures, "--fiscal-year", "2023", "--json", exit_code=1
    )
    summary = [row["summary"] for row in alone["sheets"]["summary"]]
    assert summary[1:] == [
        "0 of 1 workbook included; 1 item left out, see Excluded.",
        "Events: none.",
        "Missions: none.",
        "Technical trainees: none.",
    ]
    no_makeshift_plurals(lines + summary)


def test_a_trainee_without_a_host_and_a_mission_of_one(hk, tmp_path, registry):
    trainees = write_cohort(
        tmp_path / "trainees.xlsx",
        hk.technical_trainees([hk.trainee("T1", host_id=None), hk.trainee("T2", host_id=None)]),
        registry,
    )
    mission = write_cohort(
        tmp_path / "mission.xlsx", hk.exchange_mission([hk.member("M1")]), registry
    )
    payload = hk.invoke_json("hokkaido", "annual", trainees, mission, "--json")
    lines = [row["summary"] for row in payload["sheets"]["summary"]]
    assert lines[2:] == [
        "Events: none.",
        "Missions: 1 (CN), 1 member.",
        "Technical trainees: 2 from 1 country, with no host yet; 2 not yet placed.",
    ]
    ja = hk.invoke_json("hokkaido", "annual", trainees, mission, "--json", "--lang", "ja")
    assert [row["summary"] for row in ja["sheets"]["summary"]][2:] == [
        "催し: なし。",
        "派遣団1件(CN)、団員1人。",
        "技術研修員2人(1か国)、受入団体は未定、うち2人は未配属。",
    ]


def test_the_examples_in_english_say_it_properly(hk, shipped, tmp_path):
    result = hk.invoke("hokkaido", "annual", *shipped, "-o", tmp_path / "annual.xlsx")
    assert result.exit_code == 1, result.output  # the lgotp workbook is not the centre's
    lines = result.stdout.splitlines()
    assert lines[1:5] == [
        "6 of 8 workbooks included; 2 items left out, see Excluded.",
        "Events: 13, total attendance 526, in 9 municipalities.",
        "Missions: 2 (CN, PH), 7 members.",
        "Technical trainees: 4 from 4 countries, with 2 hosts; 1 not yet placed.",
    ]
    no_makeshift_plurals(lines)


def test_the_report_in_japanese(hk, shipped, tmp_path):
    out = tmp_path / "annual.xlsx"
    result = hk.invoke("hokkaido", "annual", *shipped, "-o", out, "--lang", "ja")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "HIECC 活動報告、2024年度(2024-04-01〜2025-03-31)。"
        "年度: ワークブックから判定(8件中7件がこの年度)。"
    )
    assert lines[1:5] == [
        "ワークブック8件中6件を集計、2件を除外(「除外」シート参照)。",
        "催し13件、参加者数の合計526人、9市町村で開催。",
        "派遣団2件(CN, PH)、団員7人。",
        "技術研修員4人(4か国)、受入団体2団体、うち1人は未配属。",
    ]
    copy_ja = (
        f"{EN} と同じコホート(hokkaido-lectures、lectures-fy2024)で、そちらを集計済み。"
        "内容も同じため、重複して数えません"
    )
    assert f"  除外: {JA}: ワークブック: {copy_ja}" in lines
    assert lines[-1] == f"{out} を書き出しました"
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == SHEETS_JA
    wb.close()
    assert sheet_rows(out, "概要")[0] == ("概要",)
    assert [r[0] for r in sheet_rows(out, "概要")[1:]] == lines[:5]
    workbooks = sheet_rows(out, "ワークブック")
    assert workbooks[0] == ("ファイル", "事業", "コホートID", "年度", "エラー", "警告", "集計")
    assert {r[0]: r[-1] for r in workbooks[1:]}[JA] == "いいえ"
    assert {r[0]: r[-1] for r in workbooks[1:]}[EN] == "はい"
    assert sheet_rows(out, "事業別の催し")[0] == ("事業", "催し数", "参加者数")
    assert sheet_rows(out, "除外") == [
        ("ファイル", "対象", "理由"),
        (JA, "ワークブック", copy_ja),
        (
            LGOTP,
            "ワークブック",
            "事業「lgotp」はセンターの事業(hokkaido-lectures、hokkaido-course、"
            "hokkaido-seminars、hokkaido-exchange-mission、hokkaido-highschool-mission、"
            "hokkaido-technical-trainees)ではありません",
        ),
    ]


def test_japanese_reasons_for_events_and_copies_that_differ(hk, tmp_path, registry):
    first = hk.events(P.LECTURES, [hk.lecture("L1"), hk.lecture("L2", date=D(2025, 4, 1))])
    later = hk.events(P.LECTURES, [hk.lecture("L1", attendance=49)])
    a = write_cohort(tmp_path / "a.xlsx", first, registry)
    b = write_cohort(tmp_path / "b.xlsx", later, registry)
    payload = hk.invoke_json("hokkaido", "annual", a, b, "--json", "--lang", "ja", exit_code=1)
    assert payload["sheets"]["excluded"] == [
        {
            "file": "a.xlsx",
            "what": "催し L2",
            "reason": "2025-04-01の催しで、2024年度の外です",
        },
        {
            "file": "b.xlsx",
            "what": "ワークブック",
            "reason": "a.xlsx と同じコホート(hokkaido-lectures、hokkaido-lectures-fy2024)で、"
            "そちらを集計済み。内容が異なります(催し L1 の内容が異なる。催し L2 は a.xlsx に"
            "だけある)。どちらが正しいか確認してください",
        },
    ]


def test_json_keys_stay_english_in_japanese(hk, shipped):
    en = hk.invoke_json("hokkaido", "annual", *shipped, "--json", exit_code=1)
    ja = hk.invoke_json("hokkaido", "annual", *shipped, "--json", "--lang", "ja", exit_code=1)
    assert ja.keys() == en.keys()
    assert ja["sheets"].keys() == en["sheets"].keys()
    for name, rows in en["sheets"].items():
        assert [r.keys() for r in ja["sheets"][name]] == [r.keys() for r in rows], name
    # the same figures; only the texts differ
    assert ja["sheets"]["events"] == en["sheets"]["events"]
    assert ja["sheets"]["workbooks"] == en["sheets"]["workbooks"]  # included stays yes/no
    assert ja["sheets"]["summary"][2]["summary"] == "催し13件、参加者数の合計526人、9市町村で開催。"
    assert [x["what"] for x in ja["sheets"]["excluded"]] == ["ワークブック", "ワークブック"]


def test_japanese_as_a_subprocess_and_a_wrong_language(hk, shipped, tmp_path):
    out = tmp_path / "annual.xlsx"
    done = hk.run_kenshu("hokkaido", "annual", *shipped[:6], "-o", out, "--lang", "ja")
    assert done.returncode == 0, done.stderr
    assert "ワークブック6件中6件を集計。" in done.stdout
    assert openpyxl.load_workbook(out, read_only=True).sheetnames == SHEETS_JA
    wrong = hk.invoke("hokkaido", "annual", *shipped[:1], "--json", "--lang", "fr")
    assert wrong.exit_code == 2
    assert "Traceback" not in wrong.output
