"""Builders for the JST plugin's tests: records, cohorts, runs and real workbooks.

Two ways in, as a user would come: through the public API (``kenshu.CohortData`` built with
:func:`kenshu.testing.make_cohort`, validated and reported as ``kenshu validate`` and
``kenshu report`` do), and through the command line on a template written by
``kenshu template jst`` and filled with openpyxl (:func:`kenshu.testing.fill_template`).

Every builder starts from an eligible participant of a valid seven-day tour, so a test
changes only what it is about. The builders are handed out by the ``jst`` fixture (a
fixture rather than ``from conftest import ...``, which breaks when another ``conftest``
module is imported first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import kenshu
import pytest
from kenshu.plugins import PluginRegistry
from kenshu.report import build_report, report_json
from kenshu.testing import (
    fill_template,
    finding_codes,
    invoke,
    invoke_json,
    make_cohort,
    only_finding,
    sheet_dicts,
    sheet_rows,
)
from kenshu.validate import validate

#: JST 2020: 19-25 January 2020, deadline 30 September 2019.
START = dt.date(2020, 1, 19)
END = dt.date(2020, 1, 25)


def person(pid: str = "P01", **changes: Any) -> dict[str, Any]:
    """An eligible participant as field id -> value (plugin fields included)."""
    row: dict[str, Any] = {
        "participant_id": pid,
        "family_name": "Walsh",
        "given_name": f"Aoife {pid}",
        "home_country": "IE",
        "nationality": "IE",
        "home_organisation": "Galway City Council",
        "organisation_type": "local_government",
        "position": "Director of Services",
        "position_level": "director",
        "status": "selected",
        "application_date": dt.date(2019, 9, 1),
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def people(count: int, **changes: Any) -> list[dict[str, Any]]:
    """``count`` eligible participants P01, P02..."""
    return [person(f"P{i:02d}", **changes) for i in range(1, count + 1)]


def tour(
    participants: Iterable[Mapping[str, Any]] | None = None,
    *,
    start: dt.date = START,
    end: dt.date = END,
    cohort_id: str = "jst-2020",
    cohort: Mapping[str, Any] | None = None,
    **sheets: Iterable[Mapping[str, Any]],
) -> kenshu.CohortData:
    """A JST tour (Tsu City) with eight eligible participants unless others are given."""
    values = {"host_city": "Tsu City, Mie", "status": "confirmed", **(cohort or {})}
    values = {k: v for k, v in values.items() if v is not None}
    return make_cohort(
        "jst",
        cohort_id=cohort_id,
        start_date=start,
        end_date=end,
        cohort=values,
        participants=list(people(8) if participants is None else participants),
        **sheets,
    )


def codes(findings: Iterable[Any], prefix: str = "jst.") -> list[str]:
    """The codes of findings (objects or their JSON) that start with ``prefix``."""
    return finding_codes(findings, prefix)


#: The single finding with a code; fails when there are none or several.
only = only_finding
# invoke(*args) and invoke_json(*args, exit_code=...): kenshu.testing's, the command line
# in-process, with the installed plugins and their commands


@pytest.fixture(scope="session")
def registry() -> PluginRegistry:
    """The installed plugins, as the command line finds them."""
    found = PluginRegistry.discover()
    assert "jst" in found.programmes, "the jst plugin is not installed"
    return found


@pytest.fixture
def check(registry):
    """``check(data, **overrides)``: validate as ``kenshu validate`` does."""

    def run(data: kenshu.CohortData, **overrides: Any):
        schema = registry.schema(registry.programme("jst"))
        return validate(data, registry, schema, [], {k: str(v) for k, v in overrides.items()})

    return run


@pytest.fixture
def report(registry, check):
    """``report(data, **overrides)``: the report ``kenshu report`` builds."""

    def run(data: kenshu.CohortData, **overrides: Any):
        return build_report(check(data, **overrides), registry)

    return run


@pytest.fixture
def report_as_json(report):
    def run(data: kenshu.CohortData, **overrides: Any) -> dict[str, Any]:
        return report_json(report(data, **overrides))

    return run


@pytest.fixture
def write_tour(tmp_path: Path):
    """``write_tour(name, cohort=..., participants=[...], follow_ups=..., ...)``: a real
    workbook, from ``kenshu template jst`` filled by field id with openpyxl."""
    template = tmp_path / "jst-template.xlsx"
    result = invoke("template", "jst", "-o", template)
    assert result.exit_code == 0, result.output

    def write(
        name: str,
        *,
        cohort: Mapping[str, Any] | None = None,
        start: dt.date = START,
        end: dt.date = END,
        cohort_id: str = "jst-2020",
        **sheets: Iterable[Mapping[str, Any]],
    ) -> Path:
        values = {
            "programme": "jst",
            "cohort_id": cohort_id,
            "start_date": start,
            "end_date": end,
            "host_city": "Tsu City, Mie",
            "status": "confirmed",
            **(cohort or {}),
        }
        cells = {
            sheet: [
                {k: ("; ".join(v) if isinstance(v, tuple | list) else v) for k, v in row.items()}
                for row in rows
            ]
            for sheet, rows in sheets.items()
        }
        return fill_template(
            template,
            tmp_path / name,
            cohort={k: v for k, v in values.items() if v is not None},
            **cells,
        )

    return write


@pytest.fixture(scope="session")
def jst() -> SimpleNamespace:
    """The builders above in one namespace: ``jst.person(...)``, ``jst.tour(...)``."""
    return SimpleNamespace(
        START=START,
        END=END,
        person=person,
        people=people,
        tour=tour,
        codes=codes,
        only=only,
        invoke=invoke,
        invoke_json=invoke_json,
        sheet_rows=sheet_rows,
        sheet_dicts=sheet_dicts,
    )
