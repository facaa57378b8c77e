"""Reading a cohort's JSON a record at a time (``kenshu.serial.read_cohort_json``): the
same records, findings and refusals as reading the whole text first, in any key order and
whatever the size of the pieces read, and the same line and column for broken JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from helpers import make_cohort, participant, run_cli, run_kenshu
from kenshu import jsonstream, serial
from kenshu.io import load_cohort
from kenshu.jsonstream import JsonSurrogateError, JsonSyntaxError
from kenshu.plugins import PluginRegistry
from kenshu.serial import JsonInputError, cohort_from_json, read_cohort_json
from kenshu.workbook.export import write_cohort_workbook


@pytest.fixture(scope="module")
def registry() -> PluginRegistry:
    return PluginRegistry.discover()


@pytest.fixture(scope="module")
def cohort_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A cohort's JSON as kenshu writes it, then edited: a value that does not fit its
    field and a participant without an id."""
    folder = tmp_path_factory.mktemp("streaming")
    book = make_cohort(
        folder,
        participants=[
            participant("P01"),
            participant("P02"),
            participant("P03", native_name="グエン・ヴァン・アン"),
        ],
    )
    target = folder / "cohort.json"
    result = run_cli("convert", str(book), str(target))
    assert result.exit_code == 0, result.output
    payload = json.loads(target.read_text(encoding="utf-8"))
    payload["participants"][1]["date_of_birth"] = "not a date"
    payload["participants"].append({"family_name": "Nguyen"})
    return payload


def outcome(result: tuple[Any, list[Any], Any]) -> tuple[str, list[dict[str, Any]], str]:
    """What reading gave, comparable: the cohort written back, the findings, the schema."""
    data, findings, schema = result
    return (
        serial.dumps(serial.cohort_to_json(data)),
        [f.as_dict("en") for f in findings],
        repr(sorted(schema.fields)),
    )


def streamed(text: str, registry: PluginRegistry) -> tuple[Any, list[Any], Any]:
    return read_cohort_json(io.StringIO(text), registry, "cohort.json")


def whole(text: str, registry: PluginRegistry) -> tuple[Any, list[Any], Any]:
    return cohort_from_json(json.loads(text), registry, "cohort.json")


@pytest.fixture(params=[1 << 20, 7, 1], ids=["large-pieces", "pieces-of-7", "pieces-of-1"])
def pieces(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Read the text in pieces of this many characters (values cut across pieces)."""
    monkeypatch.setattr(jsonstream, "_READ_CHARS", request.param)
    return request.param


def reorder(payload: dict[str, Any], first: list[str]) -> dict[str, Any]:
    return {**{k: payload[k] for k in first if k in payload}, **payload}


@pytest.mark.parametrize(
    "shape",
    ["as-written", "compact", "records-first", "programme-last", "no-programme-key", "crlf"],
)
def test_the_same_cohort_as_reading_the_whole_text(
    cohort_json: dict[str, Any], registry: PluginRegistry, pieces: int, shape: str
) -> None:
    payload = dict(cohort_json)
    if shape == "records-first":
        payload = reorder(payload, ["participants", "costs", "hosts"])
    elif shape == "programme-last":
        payload = {**{k: v for k, v in payload.items() if k != "programme"}}
        payload["programme"] = cohort_json["programme"]
    elif shape == "no-programme-key":
        payload.pop("programme")
    text = json.dumps(payload, ensure_ascii=False, indent=None if shape == "compact" else 2)
    if shape == "crlf":
        text = text.replace("\n", "\r\n")
    assert outcome(streamed(text, registry)) == outcome(whole(text, registry))
    data, findings, _ = streamed(text, registry)
    assert [p.participant_id for p in data.records("participants")] == ["P01", "P02", "P03"]
    assert {"core.invalid-value", "core.missing-id"} <= {f.code for f in findings}


BROKEN = [
    '{"format": "kenshu-cohort/1", "cohort": {"programme": "lgotp"',  # cut short
    '{"cohort": {}, "participants": [{"participant_id": "P01"} {"participant_id": "P02"}]}',
    '{"cohort": {}, "participants": [{"participant_id": "P01"},]}',  # a trailing comma
    '{"cohort": {}}\n{"cohort": {}}',  # extra data
    '{"cohort": {}, "participants": [tru]}',
    '{"cohort": {}\n  "hosts": []}',
    '{"cohort": {}, "settings": {"a": 1,\n\n   "b": nul}}',
    '{"cohort": {}, "participants": [{"participant_id": "P01", "age": 12',
    '{"cohort": {}, "participants": [1, 23',  # a number cut by the end of the text
    "[1, 2,",
    "",
    "   \n  ",
    '{"cohort" {}}',
    "{'cohort': {}}",
    '{"cohort": {}, }',
]


@pytest.mark.parametrize("text", BROKEN)
def test_broken_json_is_refused_where_json_says(
    text: str, registry: PluginRegistry, pieces: int
) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(JsonSyntaxError) as got:
        streamed(text, registry)
    assert (got.value.lineno, got.value.colno) == (expected.value.lineno, expected.value.colno)


@pytest.mark.parametrize(
    "payload",
    [
        [],
        5,
        "cohort",
        {},
        {"cohort": []},
        {"participants": [{"participant_id": "P01"}]},
        {"cohort": {"programme": "lgotp"}, "participants": {"P01": {}}},
        {"cohort": {"programme": "lgotp"}, "participants": ["P01"]},
        {"cohort": {"programme": "lgotp"}, "settings": [1]},
        {"cohort": {"programme": "lgotp"}, "unknown_sheets": [{"name": 5}]},
    ],
)
def test_json_that_is_not_a_cohort_is_refused_alike(
    payload: Any, registry: PluginRegistry, pieces: int
) -> None:
    text = json.dumps(payload)
    with pytest.raises(JsonInputError) as expected:
        whole(text, registry)
    with pytest.raises(JsonInputError) as got:
        streamed(text, registry)
    assert str(got.value) == str(expected.value)


def test_a_key_given_twice_is_refused(registry: PluginRegistry) -> None:
    text = '{"cohort": {"programme": "lgotp"}, "participants": [], "participants": []}'
    with pytest.raises(JsonInputError, match='"participants" appears twice'):
        streamed(text, registry)


def test_a_lone_surrogate_is_refused_before_anything_else(
    cohort_json: dict[str, Any], registry: PluginRegistry, pieces: int
) -> None:
    text = json.dumps(cohort_json).replace('"P03"', '"P03\\ud800"', 1)
    with pytest.raises(JsonSurrogateError):
        streamed(text, registry)
    # a pair is text
    paired = json.dumps(cohort_json).replace('"P03"', '"P03\\ud83d\\ude00"', 1)
    assert outcome(streamed(paired, registry)) == outcome(whole(paired, registry))


def test_the_commands_name_the_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "cohort": {},\n  "participants": [\n    {"a": 1}\n    {"b": 2}\n]}\n')
    for command in (
        ["validate", str(broken)],
        ["convert", str(broken), str(tmp_path / "out.xlsx")],
    ):
        result = run_cli(*command)
        assert result.exit_code == 2, result.output
        assert "not valid JSON (line 5, column 5: Expecting ',' delimiter)" in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "out.xlsx").exists()
    process = run_kenshu("convert", str(broken), str(tmp_path / "out.xlsx"))
    assert process.returncode == 2
    assert "line 5, column 5" in process.stderr and "Traceback" not in process.stderr


def test_json_to_workbook_and_back_in_a_real_process(
    cohort_json: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "cohort.json"
    source.write_text(json.dumps(cohort_json, ensure_ascii=False), encoding="utf-8-sig")
    book, back = tmp_path / "cohort.xlsx", tmp_path / "back.json"
    assert run_kenshu("convert", str(source), str(book)).returncode == 0
    assert run_kenshu("convert", str(book), str(back)).returncode == 0
    expected = json.loads(
        serial.dumps(
            serial.cohort_to_json(
                whole(source.read_text(encoding="utf-8-sig"), PluginRegistry.discover())[0]
            )
        )
    )
    assert json.loads(back.read_text(encoding="utf-8")) == expected


# ---------------------------------------------------------------------------
# JSON to a workbook through temporary files (memory flat in the cohort's size)


def test_spilled_records_come_back_in_order_each_time(
    cohort_json: dict[str, Any], registry: PluginRegistry
) -> None:
    data, _, _ = whole(json.dumps(cohort_json), registry)
    spilled = serial.SpilledRecords()
    assert not spilled and len(spilled) == 0 and list(spilled) == []
    first, second = data.participants[0], data.participants[1]
    first = attrs.evolve(first, unknown={"Memo": "a", "Room": 12})
    second = attrs.evolve(second, unknown={"Badge": dt.date(2024, 5, 1), "Memo": "b"})
    for record in (first, second, first):
        spilled.append(record)
    assert len(spilled) == 3 and spilled
    assert list(spilled) == [first, second, first]
    assert list(spilled) == [first, second, first]  # again, from the start
    assert spilled.unknown_headers == ["Memo", "Room", "Badge"]
    # more after reading, across several blocks, and a record of another kind as it is
    host = data.hosts[0]
    many = [attrs.evolve(second, participant_id=f"Q{n:04d}") for n in range(600)]
    for record in [*many, host]:
        spilled.append(record)
    assert len(spilled) == 604
    assert list(spilled) == [first, second, first, *many, host]
    spilled.close()


def test_spilled_records_leave_no_file_behind(
    cohort_json: dict[str, Any], registry: PluginRegistry
) -> None:
    import tempfile

    data, _, _ = whole(json.dumps(cohort_json), registry)
    before = set(Path(tempfile.gettempdir()).glob("kenshu-records-*"))
    spilled = serial.SpilledRecords()
    for record in data.participants * 300:
        spilled.append(record)
    assert len(list(spilled)) == len(data.participants) * 300
    assert set(Path(tempfile.gettempdir()).glob("kenshu-records-*")) == before


def test_json_to_a_workbook_through_temporary_files_writes_the_same_workbook(
    cohort_json: dict[str, Any], registry: PluginRegistry, tmp_path: Path
) -> None:
    payload = json.loads(json.dumps(cohort_json))
    payload["participants"][0]["_unknown"] = {"Memo": "first", "Room": 12}
    payload["participants"][2]["_unknown"] = {"Badge": {"$date": "2024-05-01"}, "Memo": "x"}
    source = tmp_path / "cohort.json"
    source.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    data, _, _ = load_cohort(source, registry, spill=True)
    assert isinstance(data.participants, serial.SpilledRecords)
    assert [p.participant_id for p in data.participants] == ["P01", "P02", "P03"]
    in_memory, _, schema = load_cohort(source, registry)
    assert isinstance(in_memory.participants, list)
    expected = tmp_path / "expected.xlsx"
    versions = registry.versions_for(schema.programme)
    write_cohort_workbook(expected, in_memory, schema, plugin_versions=versions)
    written = tmp_path / "written.xlsx"
    result = run_cli("convert", str(source), str(written))  # spills
    assert result.exit_code == 0, result.output
    assert _cells(written) == _cells(expected)
    assert _cells(written)["Participants"][0][-3:] == ["Memo", "Room", "Badge"]
    process = run_kenshu("convert", str(source), str(tmp_path / "process.xlsx"))
    assert process.returncode == 0, process.stderr
    assert _cells(tmp_path / "process.xlsx") == _cells(expected)


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book}
    finally:
        book.close()
