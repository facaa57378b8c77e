"""Builders for the leaders-vietnam plugin's tests: rows, real workbooks and CLI runs.

Tests come in as a user would: ``kenshu template leaders-vietnam`` writes the workbook,
openpyxl fills it (``kenshu.testing.fill_template``), and the command line validates and
reports it (in-process with click's runner, and once as a subprocess). Every builder starts
from an eligible cohort that validates clean, so a test changes only what it is about.

The helpers are handed out through the ``lv`` fixture rather than imported, since another
``conftest`` module (the repository's or another plugin's) may be imported first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import kenshu.testing
import pytest
from click.testing import Result
from kenshu.testing import fill_template

CODE = "leaders-vietnam"
D = dt.date
#: the 4th programme: 12 May - 8 June 2024, 28 days
START, END = D(2024, 5, 12), D(2024, 6, 8)
#: home regions of an eligible cohort: 3 provinces and 2 central cities (pre-2025 names)
REGIONS = ("Quảng Ninh", "Nghệ An", "Hà Nội", "Lâm Đồng", "Cần Thơ")


def participant_row(pid: str = "P01", **changes: Any) -> dict[str, Any]:
    """A Participants row (field id -> cell value) for an eligible participant."""
    row: dict[str, Any] = {
        "participant_id": pid,
        "family_name": "Nguyen",
        "given_name": pid,
        "nationality": "VN",
        "home_region": "Quảng Ninh",
        "home_organisation": "Provincial People's Committee",
        "organisation_type": "local_government",
        "position_level": "director",
        "status": "selected",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def participant_rows(count: int = 5, **changes: Any) -> list[dict[str, Any]]:
    """``count`` eligible participants P01, P02... from :data:`REGIONS` in turn."""
    return [
        participant_row(f"P{i:02d}", **{"home_region": REGIONS[(i - 1) % len(REGIONS)], **changes})
        for i in range(1, count + 1)
    ]


def cohort_values(**changes: Any) -> dict[str, Any]:
    """The Cohort sheet of the 4th edition (``changes`` override field ids)."""
    values: dict[str, Any] = {
        "programme": CODE,
        "cohort_id": "leaders-vietnam-4",
        "edition": 4,
        "start_date": START,
        "end_date": END,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def invoke(*args: Any) -> Result:
    """``kenshu ARGS`` in-process with the installed plugins."""
    return kenshu.testing.invoke(*args, catch_exceptions=False)


def invoke_json(*args: Any, exit_code: int | None = None) -> dict[str, Any]:
    """Run a ``--json`` command and parse what it printed (stdout only)."""
    return kenshu.testing.invoke_json(*args, exit_code=exit_code, catch_exceptions=False)


class Builder:
    """Writes filled workbooks of this programme into a test's temporary folder."""

    def __init__(self, folder: Path, template: Path) -> None:
        self.folder = folder
        self.template = template
        self.count = 0

    def workbook(
        self,
        *,
        cohort: Mapping[str, Any] | None = None,
        participants: Iterable[Mapping[str, Any]] | None = None,
        **sheets: Iterable[Mapping[str, Any]],
    ) -> Path:
        """A filled workbook: the 4th edition's Cohort sheet, five eligible participants
        unless given, and any other sheets (``activities=[...]``, ``settings=[...]``)."""
        self.count += 1
        rows = list(participants) if participants is not None else participant_rows()
        return fill_template(
            self.template,
            self.folder / f"cohort-{self.count}.xlsx",
            cohort=cohort_values(**(cohort or {})),
            participants=rows,
            **{k: list(v) for k, v in sheets.items()},
        )

    def validate(self, path: Path, *args: str, exit_code: int | None = None) -> dict[str, Any]:
        """The one file result of ``kenshu validate --json PATH ARGS``."""
        (result,) = invoke_json("validate", "--json", path, *args, exit_code=exit_code)["files"]
        return result

    def report(self, path: Path, *args: str, exit_code: int | None = None) -> dict[str, Any]:
        """The ``kenshu report --json PATH ARGS`` document."""
        return invoke_json("report", "--json", path, *args, exit_code=exit_code)


@pytest.fixture(scope="session")
def lv_template(tmp_path_factory) -> Path:
    """``kenshu template leaders-vietnam``, written once per session (never modified)."""
    path = tmp_path_factory.mktemp("lv-template") / "template.xlsx"
    result = invoke("template", CODE, "-o", path)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def books(tmp_path: Path, lv_template: Path) -> Builder:
    """Fill templates of this programme: ``books.workbook(...)``, then validate or report."""
    return Builder(tmp_path, lv_template)


def codes(findings: Iterable[Mapping[str, Any]], prefix: str = "leaders_vietnam.") -> list[str]:
    """The codes of JSON findings that start with ``prefix``."""
    return kenshu.testing.finding_codes(findings, prefix)


#: The single finding with a code; fails when there are none or several.
only = kenshu.testing.only_finding


@pytest.fixture(scope="session")
def lv() -> SimpleNamespace:
    """The builders above in one namespace: ``lv.participant_row(...)``, ``lv.only(...)``."""
    return SimpleNamespace(
        CODE=CODE,
        START=START,
        END=END,
        REGIONS=REGIONS,
        participant_row=participant_row,
        participant_rows=participant_rows,
        cohort_values=cohort_values,
        invoke=invoke,
        invoke_json=invoke_json,
        codes=codes,
        only=only,
    )
