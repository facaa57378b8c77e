"""Regression cases for the fuzz tests: every input a fuzzer ever crashed kenshu with.

Each case is generated from the small valid cohort of ``tests/test_fuzz.py`` (its workbook
bytes, zip entries and JSON), so that no binary file is committed. ``outcomes`` says what
reading it may give: ``read`` (records and findings) or ``refused`` (a ReadError, exit 2);
anything else (another exception, a hang) fails ``test_fuzz.py::test_regressions``.
Add a case here whenever a fuzzer finds a crash, before fixing it.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from attrs import frozen


@frozen
class Case:
    name: str
    suffix: str
    build: Callable[[dict[str, Any]], bytes]
    outcomes: tuple[str, ...] = ("read", "refused")


def _rezip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _edit(part: str, old: bytes, new: bytes) -> Callable[[dict[str, Any]], bytes]:
    def build(valid: dict[str, Any]) -> bytes:
        entries = dict(valid["entries"])
        assert old in entries[part], (part, old)
        entries[part] = entries[part].replace(old, new, 1)
        return _rezip(entries)

    return build


def _json(change: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], bytes]:
    def build(valid: dict[str, Any]) -> bytes:
        payload = json.loads(json.dumps(valid["json"]))
        payload = change(payload) or payload
        return json.dumps(payload).encode()

    return build


def _set(path: tuple, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        holder = payload
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = value

    return change


CASES: list[Case] = [
    # a million-entry directory must be refused from the end record, before zipfile
    # builds an object per entry
    Case("empty-zip", ".xlsx", lambda v: b"PK\x05\x06" + b"\x00" * 18, ("refused",)),
    Case("only-a-local-header", ".xlsx", lambda v: v["bytes"][:40], ("refused",)),
    # found by test_mutated_cohort_json: an unknown sheet named by a number crashed the
    # workbook writer (TypeError in openpyxl)
    Case(
        "json-unknown-sheet-named-by-a-number",
        ".json",
        _json(_set(("unknown_sheets",), [{"name": 5, "rows": [[1, ["x"]]]}])),
        ("refused",),
    ),
    # a \ud800 escape without its pair: a lone surrogate crashed every writer and printer
    Case(
        "json-lone-surrogate",
        ".json",
        lambda v: (
            json.dumps(v["json"])
            .replace('"participant_id": "', '"participant_id": "\\ud800', 1)
            .encode()
        ),
        ("refused",),
    ),
    # an unknown column holding an object (not a cell value) is kept, as JSON text
    Case(
        "json-object-in-unknown-column",
        ".json",
        _json(lambda p: p["participants"][0].update({"_unknown": {"Memo": {"a": [1, 2]}}})),
        ("read",),
    ),
]
