"""Fuzzing the readers (hypothesis): any input reads, or raises kenshu's ReadError.

Never another exception, never a hang. The workbook reader gets random bytes under every
workbook extension, byte-level mutations of a valid workbook, and structure-aware
mutations of its XML parts (odd cell references, values, types, entities-free markup)
zipped properly so that they reach the parsers; the JSON reader gets arbitrary JSON and
mutations of a valid cohort's JSON. The run is bounded (a fixed number of examples, about
20 seconds in all; ``KENSHU_FUZZ_SCALE=N`` runs N times as many), and each example has a
time limit: a hang fails the test.

Every crash found is kept as a regression case in ``tests/regressions/fuzz_cases.py`` and run
here on every test run (``test_regressions``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry
from kenshu.workbook.engines import ReadError

sys.path.insert(0, str(Path(__file__).parent / "regressions"))
from fuzz_cases import CASES

REGISTRY = PluginRegistry.discover()
SUFFIXES = [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".json"]
SECONDS_PER_EXAMPLE = 20
#: KENSHU_FUZZ_SCALE=50 fuzzes fifty times longer (locally, to hunt for new crashes)
SCALE = int(os.environ.get("KENSHU_FUZZ_SCALE", "1"))
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,  # the examples are kept in tests/regressions, not in a local database
)


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (TimeoutError) instead of hanging."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"reading took more than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read(path: Path, write: bool = False) -> str:
    """Read ``path`` as every reading command does; 'read' or 'refused', else raise.

    With ``write``, what was read is also written back, as JSON and as a workbook
    (``convert``): a file that reads must not crash the writers either."""
    with time_limit(SECONDS_PER_EXAMPLE):
        try:
            data, _, schema = load_cohort(path, REGISTRY)
            if write:
                from kenshu.serial import cohort_to_json, dumps
                from kenshu.workbook.export import write_cohort_workbook

                dumps(cohort_to_json(data)).encode("utf-8")
                write_cohort_workbook(path.with_suffix(".out.xlsx"), data, schema)
        except ReadError as exc:
            assert "\n" not in exc.reason, exc.reason
            assert str(path) in str(exc)
            note(f"refused: {exc.code}")
            return "refused"
    note("read")
    return "read"


def note(outcome: str) -> None:
    """Count outcomes in ``--hypothesis-show-statistics`` (inside a fuzz test)."""
    from hypothesis.control import currently_in_test_context

    if currently_in_test_context():
        event(outcome)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def valid(folder: Path) -> dict[str, Any]:
    """A small valid cohort as workbook bytes, its zip entries, and its JSON."""
    from helpers import make_cohort, run_cli

    book = make_cohort(folder / "base")
    target = folder / "base.json"
    assert run_cli("convert", str(book), str(target)).exit_code == 0
    with zipfile.ZipFile(book) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    return {
        "bytes": book.read_bytes(),
        "entries": entries,
        "json": json.loads(target.read_text(encoding="utf-8")),
    }


def write(folder: Path, data: bytes, suffix: str) -> Path:
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    return path


def rezip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Regressions: every crash the fuzzers ever found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_regressions(case: Any, folder: Path, valid: dict[str, Any]) -> None:
    data = case.build(valid)
    outcome = read(write(folder, data, case.suffix), write=True)
    assert outcome in case.outcomes, outcome


# ---------------------------------------------------------------------------
# The workbook reader


@settings(FUZZ, max_examples=60 * SCALE)
@given(data=st.binary(max_size=600), suffix=st.sampled_from(SUFFIXES[:-1]))
def test_random_bytes(data: bytes, suffix: str, folder: Path) -> None:
    assert read(write(folder, data, suffix)) == "refused"


@settings(FUZZ, max_examples=60 * SCALE)
@given(
    cuts=st.lists(
        st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=8)), min_size=1, max_size=4
    ),
    truncate=st.one_of(st.none(), st.floats(0, 1)),
)
def test_mutated_workbook_bytes(
    cuts: list[tuple[float, bytes]], truncate: float | None, folder: Path, valid: dict[str, Any]
) -> None:
    data = bytearray(valid["bytes"])
    for where, replacement in cuts:
        at = int(where * (len(data) - 1))
        data[at : at + len(replacement)] = replacement
    if truncate is not None:
        data = data[: int(truncate * len(data))]
    read(write(folder, bytes(data), ".xlsx"))


TOKENS = [
    '<row r="0">',
    '<row r="1048577">',
    '<row r="-3">',
    '<row r="x">',
    '<c r="A0">',
    '<c r="ZZZZ1">',
    '<c r="A1" t="s"><v>99999</v></c>',
    '<c r="B2" t="d"><v>2024-13-45</v></c>',
    '<c r="B2" t="n"><v>1e400</v></c>',
    '<c r="B2" t="n"><v>-1e308</v></c>',
    '<c r="B2" t="n"><v>NaN</v></c>',
    '<c r="B2" t="b"><v>2</v></c>',
    '<c r="B2" t="e"><v>#REF!</v></c>',
    '<c r="B2" s="9999"><v>45000</v></c>',
    '<c r="C3"><f>1/0</f></c>',
    '<c r="C3" t="inlineStr"><is><r><t>rich</t></r><r><t>text</t></r></is></c>',
    "<![CDATA[<row>]]>",
    "<!-- comment -->",
    "<?pi data?>",
    "&amp;&lt;&#0;&#xFFFE;&#x1F600;",
    "_x0000__xD800__x005F_",
    "\U0001f600\u202e\ufeff",
    '<sheet name="" sheetId="99" r:id="rId99"/>',
    '<sheet name="Participants" sheetId="98" r:id="rId2"/>',
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="text/plain"/>',
    '<Relationship Id="rId1" Type="x" Target="../../../../etc/passwd"/>',
    "</sheetData><sheetData>",
    "</worksheet>",
    "",
]


@settings(FUZZ, max_examples=120 * SCALE)
@given(
    part=st.sampled_from(
        [
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
            "xl/worksheets/sheet3.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
            "xl/styles.xml",
            "xl/worksheets/sheet9.xml",
        ]
    ),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(0, 40),
            st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)),
        ),
        min_size=1,
        max_size=5,
    ),
    drop=st.one_of(st.none(), st.sampled_from(["xl/workbook.xml", "xl/styles.xml", "_rels/.rels"])),
)
def test_mutated_workbook_xml(
    part: str,
    edits: list[tuple[float, int, str]],
    drop: str | None,
    folder: Path,
    valid: dict[str, Any],
) -> None:
    entries = dict(valid["entries"])
    text = entries[part].decode("utf-8")
    for where, length, token in edits:
        at = int(where * len(text))
        text = text[:at] + token + text[at + length :]
    entries[part] = text.encode("utf-8", "surrogatepass")
    if drop:
        entries.pop(drop, None)
    read(write(folder, rezip(entries), ".xlsx"))


@settings(FUZZ, max_examples=40 * SCALE)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(1, 3),
            st.lists(
                st.tuples(
                    st.sampled_from(["string", "float", "date", "boolean", "percentage", ""]),
                    st.text(max_size=6),
                    st.integers(1, 4),
                ),
                max_size=4,
            ),
        ),
        max_size=5,
    )
)
def test_odd_opendocument(rows: list, folder: Path) -> None:
    from test_hostile_files import ods

    xml = ""
    for repeat, cells in rows:
        xml += f'<table:table-row table:number-rows-repeated="{repeat}">'
        for kind, text, columns in cells:
            escaped = text.replace("&", "&amp;").replace("<", "&lt;")
            value = f' office:value-type="{kind}" office:value="{escaped}"' if kind else ""
            xml += (
                f'<table:table-cell table:number-columns-repeated="{columns}"{value}>'
                f"<text:p>{escaped}</text:p></table:table-cell>"
            )
        xml += "</table:table-row>"
    read(write(folder, ods(xml), ".ods"))


# ---------------------------------------------------------------------------
# The JSON reader

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(FUZZ, max_examples=80 * SCALE)
@given(payload=JSON)
def test_arbitrary_json(payload: Any, folder: Path) -> None:
    path = folder / "input.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    read(path, write=True)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@settings(FUZZ, max_examples=120 * SCALE)
@given(choices=st.lists(st.tuples(st.floats(0, 1), JSON), min_size=1, max_size=4))
def test_mutated_cohort_json(
    choices: list[tuple[float, Any]], folder: Path, valid: dict[str, Any]
) -> None:
    payload = json.loads(json.dumps(valid["json"]))
    for where, replacement in choices:
        paths = _paths(payload)
        path = paths[int(where * (len(paths) - 1))]
        if not path:
            payload = replacement
            continue
        holder = payload
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = replacement
    target = folder / "input.json"
    target.write_text(json.dumps(payload), encoding="utf-8")
    read(target, write=True)


@settings(FUZZ, max_examples=40 * SCALE)
@given(text=st.text(max_size=200))
def test_json_text(text: str, folder: Path) -> None:
    target = folder / "input.json"
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    read(target, write=True)
