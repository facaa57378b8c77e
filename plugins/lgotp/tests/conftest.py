"""Builders for the LGOTP plugin's tests: records, cohorts, runs and real workbooks.

Two ways in, as a user would come: through the public API (``kenshu.CohortData`` with
``kenshu.Participant`` and friends, validated with :func:`kenshu.validate.validate` and
reported with :func:`kenshu.report.build_report`), and through the command line on a
template written by ``kenshu template lgotp`` and filled with openpyxl.

Every builder starts from an eligible trainee, so a test changes only what it is about.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import hypothesis
import kenshu
import kenshu.testing
import openpyxl
import pytest
from click.testing import Result
from kenshu.plugins import PluginRegistry
from kenshu.report import Report, build_report, report_json
from kenshu.validate import Validation, validate

# On CI, hypothesis runs derandomized: a landing must be reproducible, not depend on the
# examples one run happens to draw. Locally it explores new examples each run (and
# `KENSHU_FUZZ_SCALE=20 pytest tests/test_fuzz.py` explores more); a failure found that
# way is kept as a regression case.
if os.environ.get("CI"):
    hypothesis.settings.register_profile("ci", derandomize=True, database=None)
    hypothesis.settings.load_profile("ci")

#: A mid-May arrival and a stay comfortably inside 6-12 months.
ARRIVAL = dt.date(2024, 5, 15)
DEPARTURE = dt.date(2025, 3, 31)
COHORT_START = dt.date(2024, 5, 15)
COHORT_END = dt.date(2025, 5, 14)


# ---------------------------------------------------------------------------
# Records


def participant(pid: str = "P01", **changes: Any) -> kenshu.Participant:
    """An eligible LGOTP trainee; ``changes`` override core fields or, by their plugin
    field id (``recommended``, ``placement_test_score``...), the ``extra`` values.
    A plugin field set to None is left out, as an empty cell would be."""
    extra: dict[str, Any] = {
        "recommended": True,
        "leadership_evidence": "Leads the city's tourism promotion team",
        "field_of_training": "tourism",
        "placement_test_score": 50,
    }
    for key in list(changes):
        if key in extra or key == "nominated_by_host":
            extra[key] = changes.pop(key)
    core: dict[str, Any] = {
        "family_name": "Santos",
        "given_name": pid,
        "nationality": "PH",
        "home_country": "PH",
        "home_organisation": "Cebu City Government",
        "organisation_type": "local_government",
        "english_level": "B2",
        "host_id": "H1",
        "arrival_date": ARRIVAL,
        "departure_date": DEPARTURE,
        "status": "placed",
    }
    core.update(changes)
    return kenshu.Participant(
        participant_id=pid, **core, extra={k: v for k, v in extra.items() if v is not None}
    )


def host(hid: str = "H1", kind: str | None = "prefecture", **changes: Any) -> kenshu.HostBody:
    """A host local government (a prefecture unless ``kind`` says otherwise)."""
    values: dict[str, Any] = {"name": f"Host {hid}", "prefecture": "Iwate", "country": "JP"}
    values.update(changes)
    return kenshu.HostBody(host_id=hid, kind=kind, **values)


def cost(cid: str, item: str | None, amount: float, **changes: Any) -> kenshu.CostLine:
    """A cost line in yen for participant P01 unless ``changes`` say otherwise."""
    values: dict[str, Any] = {"currency": "JPY", "participant_id": "P01"}
    values.update(changes)
    return kenshu.CostLine(cost_id=cid, item=item, amount=amount, **values)


def phase(
    phid: str, kind: str, start: dt.date, end: dt.date, pid: str | None = "P01"
) -> kenshu.Phase:
    """A phase given on the Phases sheet (for ``pid``, or everyone when None)."""
    return kenshu.Phase(
        phase_id=phid, kind=kind, start_date=start, end_date=end, participant_id=pid
    )


def cohort_data(
    participants: Iterable[kenshu.Participant] = (),
    hosts: Iterable[kenshu.HostBody] | None = None,
    *,
    costs: Iterable[kenshu.CostLine] = (),
    phases: Iterable[kenshu.Phase] = (),
    start: dt.date = COHORT_START,
    end: dt.date = COHORT_END,
) -> kenshu.CohortData:
    """An LGOTP cohort; one prefecture host ``H1`` unless ``hosts`` are given."""
    return kenshu.CohortData(
        cohort=kenshu.Cohort(
            programme="lgotp", cohort_id="LGOTP-2024", start_date=start, end_date=end
        ),
        participants=list(participants),
        hosts=list(hosts) if hosts is not None else [host()],
        costs=list(costs),
        phases=list(phases),
    )


def trainees(count: int, **changes: Any) -> list[kenshu.Participant]:
    """``count`` eligible trainees P01, P02... with distinct placement scores (P01 highest)."""
    return [
        participant(f"P{i:02d}", **{"placement_test_score": 100 - i, **changes})
        for i in range(1, count + 1)
    ]


# ---------------------------------------------------------------------------
# Runs through the public API


@pytest.fixture(scope="session")
def registry() -> PluginRegistry:
    """The installed plugins, as the command line finds them."""
    found = PluginRegistry.discover()
    assert "lgotp" in found.programmes, "the lgotp plugin is not installed"
    return found


@pytest.fixture
def check(registry: PluginRegistry) -> Callable[..., Validation]:
    """``check(data, **overrides)``: validate a cohort as ``kenshu validate`` would."""

    def run(data: kenshu.CohortData, **overrides: Any) -> Validation:
        schema = registry.schema(registry.programme("lgotp"))
        return validate(data, registry, schema, overrides={k: str(v) for k, v in overrides.items()})

    return run


@pytest.fixture
def report(registry: PluginRegistry, check) -> Callable[..., Report]:
    """``report(data, **overrides)``: the report ``kenshu report`` would build."""

    def run(data: kenshu.CohortData, **overrides: Any) -> Report:
        return build_report(check(data, **overrides), registry)

    return run


@pytest.fixture
def report_as_json(report) -> Callable[..., dict[str, Any]]:
    """``report_as_json(data, **overrides)``: the ``kenshu report --json`` document."""

    def run(data: kenshu.CohortData, **overrides: Any) -> dict[str, Any]:
        return report_json(report(data, **overrides))

    return run


def codes(findings: Iterable[Any], prefix: str = "lgotp.") -> list[str]:
    """The codes of findings (``Finding`` objects or their JSON) starting with ``prefix``."""
    return kenshu.testing.finding_codes(findings, prefix)


#: The single finding with a code; fails when there are none or several.
only = kenshu.testing.only_finding


# ---------------------------------------------------------------------------
# Real workbooks and the command line


def invoke(*args: Any) -> Result:
    """Run ``kenshu ARGS`` in-process with a fresh plugin registry."""
    return kenshu.testing.invoke(*args, catch_exceptions=False)


def invoke_json(*args: Any, exit_code: int | None = None) -> dict[str, Any]:
    """Run a ``--json`` command and parse what it printed (stdout only)."""
    return kenshu.testing.invoke_json(*args, exit_code=exit_code, catch_exceptions=False)


class Workbook:
    """A workbook from ``kenshu template lgotp``, filled by field id with openpyxl."""

    def __init__(self, path: Path, registry: PluginRegistry) -> None:
        self.path = path
        self.schema = registry.schema(registry.programme("lgotp"))

    def labels(self, sheet_id: str) -> dict[str, str]:
        """Field id -> its English header on ``sheet_id``."""
        return {f.id: f.label for f in self.schema.fields[sheet_id]}

    def fill(
        self,
        *,
        cohort: Mapping[str, Any] | None = None,
        participants: Iterable[Mapping[str, Any]] = (),
        hosts: Iterable[Mapping[str, Any]] = (),
        costs: Iterable[Mapping[str, Any]] = (),
        phases: Iterable[Mapping[str, Any]] = (),
        settings: Mapping[str, Any] | None = None,
    ) -> Path:
        """Write the values (dicts of field id -> cell value) under the template's headers."""
        wb = openpyxl.load_workbook(self.path)
        cohort_values = {
            "cohort_id": "LGOTP-2024",
            "start_date": COHORT_START,
            "end_date": COHORT_END,
            **(cohort or {}),
        }
        ws = wb["Cohort"]
        rows = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
        for field_id, value in cohort_values.items():
            ws.cell(row=rows[self.labels("cohort")[field_id]], column=2, value=value)
        for sheet_id, name, records in (
            ("participants", "Participants", participants),
            ("hosts", "Hosts", hosts),
            ("costs", "Costs", costs),
            ("phases", "Phases", phases),
        ):
            ws = wb[name]
            header = {cell.value: cell.column for cell in ws[1]}
            labels = self.labels(sheet_id)
            for record in records:
                row = ws.max_row + 1
                for field_id, value in record.items():
                    ws.cell(row=row, column=header[labels[field_id]], value=value)
        ws = wb["Settings"]
        for key, value in (settings or {}).items():
            ws.append([key, value])
        wb.save(self.path)
        return self.path

    def column_of(self, sheet: str, letter: str) -> str:
        """The header text above column ``letter`` of ``sheet``."""
        wb = openpyxl.load_workbook(self.path, read_only=True)
        try:
            return wb[sheet][f"{letter}1"].value
        finally:
            wb.close()


@pytest.fixture
def workbook(tmp_path: Path, registry: PluginRegistry) -> Workbook:
    """A fresh LGOTP template written by ``kenshu template lgotp``, ready to fill."""
    path = tmp_path / "cohort.xlsx"
    result = invoke("template", "lgotp", "-o", str(path))
    assert result.exit_code == 0, result.output
    return Workbook(path, registry)


def trainee_row(pid: str = "P01", **changes: Any) -> dict[str, Any]:
    """A Participants row (field id -> cell value) for an eligible trainee."""
    row: dict[str, Any] = {
        "participant_id": pid,
        "family_name": "Nguyen",
        "given_name": pid,
        "nationality": "VN",
        "home_country": "VN",
        "organisation_type": "local_government",
        "english_level": "B2",
        "host_id": "H1",
        "arrival_date": ARRIVAL,
        "departure_date": DEPARTURE,
        "status": "placed",
        "placement_test_score": 50,
        "recommended": "yes",
        "field_of_training": "tourism",
        "leadership_evidence": "Heads the provincial tourism section",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def trainee_rows(count: int, **changes: Any) -> list[dict[str, Any]]:
    """``count`` Participants rows, P01 with the highest score."""
    return [
        trainee_row(f"P{i:02d}", **{"placement_test_score": 100 - i, **changes})
        for i in range(1, count + 1)
    ]


def host_row(hid: str = "H1", kind: str = "prefecture", **changes: Any) -> dict[str, Any]:
    """A Hosts row for a host local government."""
    row = {"host_id": hid, "name": f"Host {hid}", "kind": kind, "prefecture": "Iwate"}
    row.update(changes)
    return row


@pytest.fixture(scope="session")
def lg() -> SimpleNamespace:
    """The builders above in one namespace: ``lg.participant(...)``, ``lg.cohort_data(...)``.

    A fixture rather than ``from conftest import ...``, which breaks when another
    ``conftest`` module (the repository's own tests) is imported first.
    """
    return SimpleNamespace(
        ARRIVAL=ARRIVAL,
        DEPARTURE=DEPARTURE,
        participant=participant,
        host=host,
        cost=cost,
        phase=phase,
        cohort_data=cohort_data,
        trainees=trainees,
        codes=codes,
        only=only,
        invoke=invoke,
        invoke_json=invoke_json,
        trainee_row=trainee_row,
        trainee_rows=trainee_rows,
        host_row=host_row,
    )
