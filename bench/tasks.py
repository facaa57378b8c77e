"""The floors and peers the benchmark compares kenshu with; each runs as its own process.

    python bench/tasks.py calamine FILE          # iterate every row of every sheet
    python bench/tasks.py openpyxl-read FILE     # the same with openpyxl's read-only mode
    python bench/tasks.py openpyxl-write FILE OUT   # write FILE's cells, openpyxl write-only
    python bench/tasks.py xlsxwriter-write FILE OUT # the same with XlsxWriter constant_memory
    python bench/tasks.py pandas FILE            # pandas.read_excel, openpyxl engine, all sheets
    python bench/tasks.py frictionless-schema FILE OUT.json  # the equivalent Data Package

Each prints one JSON line: what it counted and, for the writers, how long preparing the
cells took (read with python-calamine before the timed write; the harness subtracts it).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

#: The sheets the frictionless peer validates: the tables of the generated cohort.
PEER_SHEETS = ("participants", "hosts", "costs")


def calamine_rows(path: str) -> int:
    """The floor of reading: python-calamine, every row of every sheet, nothing else."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(path)
    rows = 0
    for name in book.sheet_names:
        for _ in book.get_sheet_by_name(name).iter_rows():
            rows += 1
    return rows


def openpyxl_rows(path: str) -> int:
    """openpyxl's read-only mode, every row of every sheet."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = 0
    for ws in book.worksheets:
        for _ in ws.iter_rows(values_only=True):
            rows += 1
    book.close()
    return rows


def sheet_cells(path: str) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's cells as written: empty cells None, whole numbers as int."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(path)
    sheets = []
    for name in book.sheet_names:
        rows = [
            [
                None
                if value == ""
                else int(value)
                if type(value) is float and value.is_integer()
                else value
                for value in row
            ]
            for row in book.get_sheet_by_name(name).iter_rows()
        ]
        sheets.append((name, rows))
    return sheets


def openpyxl_write(sheets: list[tuple[str, list[list[Any]]]], target: str) -> int:
    """The floor of writing: openpyxl write-only, ``ws.append`` of plain values."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    cells = 0
    for name, rows in sheets:
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
            cells += len(row) - row.count(None)
    book.save(target)
    return cells


def xlsxwriter_write(sheets: list[tuple[str, list[list[Any]]]], target: str) -> int:
    """XlsxWriter in constant-memory mode, for the choice of writer (not a floor)."""
    import datetime as dt

    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    cells = 0
    for name, rows in sheets:
        ws = book.add_worksheet(name)
        for number, row in enumerate(rows):
            for col, value in enumerate(row):
                if value is None:
                    continue
                cells += 1
                if isinstance(value, str):
                    ws.write_string(number, col, value)
                elif isinstance(value, dt.date):
                    ws.write_datetime(number, col, value, day)
                else:
                    ws.write(number, col, value)
    book.close()
    return cells


def pandas_rows(path: str) -> int:
    """The peer of reading: ``pandas.read_excel`` with openpyxl, every sheet."""
    import pandas

    frames = pandas.read_excel(path, sheet_name=None, engine="openpyxl")
    return sum(len(frame) for frame in frames.values())


def frictionless_package(path: str, target: str) -> dict[str, Any]:
    """A Data Package for ``frictionless validate`` that checks what kenshu's core checks
    on the same sheets: types, choices, bounds, required values, unique ids, references."""
    from kenshu.catalogue import SHEETS_BY_ID
    from kenshu.plugins import PluginRegistry

    registry = PluginRegistry.discover()
    schema = registry.schema(registry.programme("lgotp"))
    resources = []
    labels: dict[str, dict[str, str]] = {}
    for sheet_id in PEER_SHEETS:
        fields = []
        labels[sheet_id] = {f.id: f.label for f in schema.fields[sheet_id]}
        for f in schema.fields[sheet_id]:
            field: dict[str, Any] = {"name": f.label, "type": "string"}
            constraints: dict[str, Any] = {}
            if f.type == "date":
                field["type"] = "date"
                field["format"] = "any"
            elif f.type == "integer":
                field["type"] = "integer"
            elif f.type == "number":
                field["type"] = "number"
            elif f.type == "yes_no":
                field.update(type="boolean", trueValues=["yes"], falseValues=["no"])
            elif f.type == "email":
                field["format"] = "email"
            elif f.type == "choice":
                constraints["enum"] = list(f.choices)
            if f.minimum is not None:
                constraints["minimum"] = f.minimum
            if f.maximum is not None:
                constraints["maximum"] = f.maximum
            if schema.required(sheet_id, f.id):
                constraints["required"] = True
            if constraints:
                field["constraints"] = constraints
            fields.append(field)
        key = SHEETS_BY_ID[sheet_id].key
        resource_schema: dict[str, Any] = {"fields": fields, "primaryKey": [labels[sheet_id][key]]}
        resources.append(
            {
                "name": sheet_id,
                "path": Path(path).name,
                "format": "xlsx",
                "dialect": {"excel": {"sheet": SHEETS_BY_ID[sheet_id].label}},
                "schema": resource_schema,
            }
        )
    references = {
        "participants": [("host_id", "hosts")],
        "costs": [("participant_id", "participants")],
    }
    for resource in resources:
        keys = []
        for field_id, other in references.get(resource["name"], ()):
            keys.append(
                {
                    "fields": [labels[resource["name"]][field_id]],
                    "reference": {"resource": other, "fields": [labels[other][field_id]]},
                }
            )
        if keys:
            resource["schema"]["foreignKeys"] = keys
    package = {"name": "cohort", "resources": resources}
    Path(target).write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return {"resources": len(resources)}


def main(argv: list[str]) -> None:
    task, *args = argv
    started = time.perf_counter()
    if task == "calamine":
        result: dict[str, Any] = {"rows": calamine_rows(args[0])}
    elif task == "openpyxl-read":
        result = {"rows": openpyxl_rows(args[0])}
    elif task in ("openpyxl-write", "xlsxwriter-write"):
        sheets = sheet_cells(args[0])
        prepared = time.perf_counter()
        write = openpyxl_write if task == "openpyxl-write" else xlsxwriter_write
        result = {"cells": write(sheets, args[1]), "prepare": prepared - started}
    elif task == "pandas":
        result = {"rows": pandas_rows(args[0])}
    elif task == "frictionless-schema":
        result = frictionless_package(args[0], args[1])
    else:
        raise SystemExit(f"unknown task {task!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
