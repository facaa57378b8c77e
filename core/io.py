"""Loading a cohort from any supported file: a workbook (.xlsx, .xlsm, .xls, .xlsb, .ods)
or kenshu's JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from kenshu.dataset import CohortData
from kenshu.model import Finding
from kenshu.workbook.engines import ReadError
from kenshu.workbook.safety import Limits

if TYPE_CHECKING:
    from kenshu.plugins import PluginRegistry
    from kenshu.schema import Schema

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
MAX_JSON_MIB = 512
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def load_cohort(
    path: str | Path,
    registry: PluginRegistry,
    *,
    engine: str | None = None,
    limits: Limits | None = None,
) -> tuple[CohortData, list[Finding], Schema]:
    """Read a cohort; raises :class:`ReadError` for a file that cannot be read at all."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _load_json(path, registry)
    from kenshu.workbook.load import read_workbook

    return read_workbook(path, registry, engine=engine, limits=limits)


def _load_json(path: Path, registry: PluginRegistry):
    from kenshu.serial import JsonInputError, cohort_from_json
    from kenshu.workbook.load import paused_gc

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError(path, "no such file", "file.missing") from None
    if size > MAX_JSON_MIB * 1024 * 1024:
        raise ReadError(path, f"JSON file over {MAX_JSON_MIB} MiB", "limit.file-size")
    try:
        with paused_gc():  # many small objects and no cycles (see paused_gc)
            text = path.read_bytes().decode("utf-8-sig")  # read_text: 3x slower
            payload = json.loads(text)
    except UnicodeDecodeError:
        raise ReadError(path, "not UTF-8 text", "file.not-json") from None
    except json.JSONDecodeError as exc:
        raise ReadError(
            path,
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "file.not-json",
        ) from None
    except RecursionError:
        raise ReadError(path, "JSON nested too deeply", "file.not-json") from None
    if _SURROGATE_ESCAPE.search(text):
        try:  # a \ud800 escape without its pair decodes to a lone surrogate: not text
            json.dumps(payload, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ReadError(
                path,
                "holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), "
                "which is not text",
                "file.not-json",
            ) from None
    try:
        with paused_gc():
            return cohort_from_json(payload, registry, str(path))
    except JsonInputError as exc:
        raise ReadError(path, str(exc), "file.not-a-cohort") from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ReadError(path, f"not a kenshu cohort ({exc})", "file.not-a-cohort") from None
