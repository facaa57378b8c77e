"""Both reading engines over the workbooks kenshu's paths produce: python-calamine (the
default) and openpyxl must give the same findings and the same records.

The corpus is made the ways the other tests make workbooks: templates, filled templates
(valid and with every kind of mistake), annotated copies, JSON converted to workbooks,
reports, workbooks built by hand with odd layouts, the benchmark's generated cohorts, and
the LGOTP examples. Each is validated and converted through the command line with
``KENSHU_READER=calamine`` and with ``KENSHU_READER=openpyxl``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from helpers import build_workbook, cohort_values, host, make_cohort, participant, run_cli
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from kenshu_lgotp.plugin import EXAMPLES

BENCH = Path(__file__).resolve().parents[1] / "bench"

MISTAKES = {
    "arrival_date": "next spring",
    "departure_date": "2024-02-30",
    "date_of_birth": "令和2年13月1日",
    "placement_test_score": 172,
    "english_level": "fluent",
    "email": "not-an-address",
    "nationality": "Atlantis",
    "recommended": "maybe",
    "gender": "unknown",
}
ODD_BUT_READABLE = {
    "arrival_date": dt.datetime(2024, 5, 20, 0, 0),
    "departure_date": 45645,  # an Excel day number
    "date_of_birth": "1990/01/02",
    "placement_test_score": "７２",  # full-width digits
    "english_level": "b2",
    "gender": "女",
    "nationality": "Viet Nam",
    "recommended": "はい",
    "position": "=Head of division",  # text that looks like a formula
    "home_region": "   ",  # spaces only: empty
    "notes": "line one\nline two",
}

CORPUS = (
    "example-en",
    "example-ja",
    "template-en",
    "template-ja",
    "filled",
    "filled-ja",
    "mistakes",
    "odd-values",
    "annotated",
    "from-json",
    "report",
    "hand-built",
    "generated-kenshu",
    "generated-excel",
)


def _generated(folder: Path, writer: str) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_generate", generate)
    spec.loader.exec_module(generate)
    path = folder / f"generated-{writer}.xlsx"
    generate.write(300, path, writer=writer)  # 300: mistakes, repeated ids, rows without id
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    books: dict[str, Path] = {
        "example-en": EXAMPLES / "lgotp-fy2024.xlsx",
        "example-ja": EXAMPLES / "lgotp-fy2024-ja.xlsx",
    }
    for lang in ("en", "ja"):
        path = folder / f"template-{lang}.xlsx"
        assert run_cli("template", "lgotp", "-o", str(path), "--lang", lang).exit_code == 0
        books[f"template-{lang}"] = path
    books["filled"] = make_cohort(folder, "filled.xlsx")
    books["filled-ja"] = make_cohort(folder, "filled-ja.xlsx", lang="ja")
    books["mistakes"] = make_cohort(
        folder,
        "mistakes.xlsx",
        participants=[participant("P01"), participant("P02", host_id="H02", **MISTAKES)],
        hosts=[host("H01"), host("H02", kind="ngo", capacity="many")],
    )
    books["odd-values"] = make_cohort(
        folder,
        "odd-values.xlsx",
        participants=[participant("P01"), participant("P02", **ODD_BUT_READABLE)],
    )
    annotated = folder / "annotated.xlsx"
    run = run_cli("validate", str(books["mistakes"]), "--annotate", str(annotated))
    assert run.exit_code == 1, run.output
    books["annotated"] = annotated
    from_json = folder / "from-json.xlsx"
    run = run_cli("convert", str(EXAMPLES / "lgotp-fy2024.json"), str(from_json))
    assert run.exit_code == 0, run.output
    books["from-json"] = from_json
    report = folder / "report.xlsx"
    assert run_cli("report", str(books["filled"]), "-o", str(report)).exit_code == 0
    books["report"] = report
    books["hand-built"] = build_workbook(
        folder / "hand-built.xlsx",
        [(label, value) for label, value in cohort_values().items()],
        {
            "Trainees": [  # renamed: found by content
                ["LGOTP trainees, FY2024"],  # a title above the header
                [],
                ["participant_id", "family_name", "arrival_date", "Memo", None, "gender"],
                ["P01", "Tran", dt.datetime(2024, 5, 21), "vegetarian", None, "F"],
                [None, "Le", dt.date(2024, 5, 22), None, "stray", "M"],  # no id
                ["P01", "Pham", "2024-05-23", None, None, "x"],  # repeated id
                [],
                ["P03", 12345, 45432.0, None, None, "m"],
            ],
            "Hosts": [["host_id", "name", "capacity"], ["H01", "Yokohama", 2.0]],
            "Notes": [["kept as it is"], [None, 3.5, dt.date(2024, 1, 1)]],
        },
    )
    books["generated-kenshu"] = _generated(folder, "kenshu")
    books["generated-excel"] = _generated(folder, "excel")
    return books


def _through_the_cli(book: Path, folder: Path, engine: str) -> dict[str, Any]:
    """What ``validate --json`` and ``convert`` give with one engine."""
    env = {"KENSHU_READER": engine}
    validated = run_cli("validate", "--json", str(book), env=env)
    assert validated.exit_code in (0, 1, 2), validated.output
    (entry,) = json.loads(validated.stdout)["files"]
    entry.pop("path")
    target = folder / f"{book.stem}-{engine}.json"
    converted = run_cli("convert", str(book), str(target), env=env)
    records = json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
    return {"validate": entry, "convert_exit": converted.exit_code, "records": records}


@pytest.mark.parametrize("name", CORPUS)
def test_both_engines_give_the_same_findings_and_records(
    corpus: dict[str, Path], tmp_path: Path, name: str
) -> None:
    book = corpus[name]
    calamine = _through_the_cli(book, tmp_path, "calamine")
    openpyxl = _through_the_cli(book, tmp_path, "openpyxl")
    assert calamine["validate"]["findings"] == openpyxl["validate"]["findings"]
    assert calamine == openpyxl
    if name not in ("template-en", "template-ja", "report"):
        assert calamine["records"]["participants"], name  # the comparison saw records


@pytest.mark.parametrize("name", ["mistakes", "odd-values", "hand-built", "generated-kenshu"])
def test_records_read_pass_every_model_check(corpus: dict[str, Path], name: str) -> None:
    """The reader builds records without re-running attrs' validators (the field
    converters type every value first): each must still pass them, and equal the record
    attrs builds from the same values."""
    registry = PluginRegistry.discover()
    for engine in ("calamine", "openpyxl"):
        data, _, _ = load_cohort(corpus[name], registry, engine=engine)
        records = [record for _, record in data.all_records()]
        assert records
        for record in records:
            attrs.validate(record)
            values = {a.name: getattr(record, a.name) for a in attrs.fields(type(record))}
            rebuilt = type(record)(**values)
            assert rebuilt == record and repr(rebuilt) == repr(record)
