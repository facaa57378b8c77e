"""Loading a cohort from any supported file: a workbook (.xlsx, .xlsm, .xls, .xlsb, .ods)
or kenshu's JSON."""

from __future__ import annotations

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


def load_cohort(
    path: str | Path,
    registry: PluginRegistry,
    *,
    engine: str | None = None,
    limits: Limits | None = None,
    spill: bool = False,
) -> tuple[CohortData, list[Finding], Schema]:
    """Read a cohort; raises :class:`ReadError` for a file that cannot be read at all.

    ``spill``: a JSON cohort's records are kept in temporary files, not in memory
    (:class:`kenshu.serial.SpilledRecords`), for a caller that only writes them out.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _load_json(path, registry, spill)
    from kenshu.workbook.load import read_workbook

    return read_workbook(path, registry, engine=engine, limits=limits)


def _load_json(path: Path, registry: PluginRegistry, spill: bool = False):
    from kenshu.jsonstream import JsonSurrogateError, JsonSyntaxError
    from kenshu.serial import JsonInputError, read_cohort_json
    from kenshu.workbook.load import paused_gc

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError(path, "no such file", "file.missing") from None
    if size > MAX_JSON_MIB * 1024 * 1024:
        raise ReadError(path, f"JSON file over {MAX_JSON_MIB} MiB", "limit.file-size")
    try:
        # a record at a time: memory holds the records, not the text and all its values
        with paused_gc(), open(path, encoding="utf-8-sig", newline="") as handle:
            return read_cohort_json(handle, registry, str(path), spill=spill)
    except UnicodeDecodeError:
        raise ReadError(path, "not UTF-8 text", "file.not-json") from None
    except JsonSyntaxError as exc:
        raise ReadError(
            path,
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "file.not-json",
        ) from None
    except RecursionError:
        raise ReadError(path, "JSON nested too deeply", "file.not-json") from None
    except JsonSurrogateError:
        raise ReadError(
            path,
            "holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), "
            "which is not text",
            "file.not-json",
        ) from None
    except JsonInputError as exc:
        raise ReadError(path, str(exc), "file.not-a-cohort") from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ReadError(path, f"not a kenshu cohort ({exc})", "file.not-a-cohort") from None
