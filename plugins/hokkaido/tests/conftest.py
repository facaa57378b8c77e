"""Builders for the hokkaido plugin's tests: cohorts of each programme, runs through the
public API, templates filled with openpyxl and the command line (in-process and as a
subprocess).

Every builder starts from a cohort that passes, so a test changes only what it is about.
Shared through the ``hk`` fixture (a namespace), not ``from conftest import``, which breaks
when another ``conftest`` module is imported first.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

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
)
from kenshu.validate import validate
from kenshu_hokkaido import programmes as P

D = dt.date
EXAMPLES = P.EXAMPLES

#: The FY2024 exchange mission leaves on 20 November 2024 and is back on the 27th.
DEPARTURE = D(2024, 11, 20)
RETURN = D(2024, 11, 27)
#: The FY2024 high-school field training: 31 July to 7 August 2024 (8 days).
FIELD_START = D(2024, 7, 31)
FIELD_END = D(2024, 8, 7)
#: Technical trainees arrive on 20 August 2024.
ARRIVAL = D(2024, 8, 20)


# ---------------------------------------------------------------------------
# Cohorts of each programme (kenshu.testing.make_cohort)


def events(code: str = P.LECTURES, activities: Iterable[Mapping[str, Any]] = (), **kw):
    """A FY2024 cohort (1 April 2024 to 31 March 2025) of an events programme."""
    return make_cohort(
        code,
        cohort_id=kw.pop("cohort_id", f"{code}-fy2024"),
        start_date=kw.pop("start_date", D(2024, 4, 1)),
        end_date=kw.pop("end_date", D(2025, 3, 31)),
        activities=list(activities),
        **kw,
    )


def lecture(aid: str = "L1", **changes: Any) -> dict[str, Any]:
    row = {
        "activity_id": aid,
        "date": D(2024, 5, 18),
        "municipality": "Obihiro",
        "theme": "international exchange",
        "lecturer": "Sato Yuki",
        "attendance": 50,
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def member(pid: str = "M1", **changes: Any) -> dict[str, Any]:
    """A Hokkaido resident aged 25 on the exchange mission's departure."""
    row = {
        "participant_id": pid,
        "family_name": "Sato",
        "given_name": pid,
        "date_of_birth": D(1999, 5, 1),
        "home_region": "Hokkaido",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def exchange_mission(participants: Iterable[Mapping[str, Any]] = (), *, phases=None, **kw):
    """The FY2024 exchange mission to China, with its selection, pre-departure and report."""
    if phases is None:
        phases = [
            {
                "phase_id": "SEL",
                "kind": "selection",
                "start_date": D(2024, 8, 1),
                "end_date": D(2024, 9, 13),
            },
            {
                "phase_id": "PRE",
                "kind": "pre_departure_training",
                "start_date": D(2024, 10, 19),
                "end_date": D(2024, 10, 20),
            },
        ]
    cohort = {"destination_country": "CN", **kw.pop("cohort", {})}
    return make_cohort(
        P.EXCHANGE_MISSION,
        cohort_id="mission-fy2024",
        start_date=kw.pop("start_date", DEPARTURE),
        end_date=kw.pop("end_date", RETURN),
        cohort=cohort,
        participants=list(participants),
        phases=list(phases),
        **kw,
    )


def student(pid: str = "H1", **changes: Any) -> dict[str, Any]:
    row = {
        "participant_id": pid,
        "family_name": "Kimura",
        "given_name": pid,
        "home_region": "北海道",
        "home_organisation": "Sapporo Minami High School",
        "organisation_type": "school",
        "high_school_grade": 2,
        "enrolled_at_school": True,
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def highschool_mission(
    participants: Iterable[Mapping[str, Any]] = (),
    *,
    sessions: Iterable[tuple[str, Any, Iterable[str]]] = (),
    phases: Iterable[Mapping[str, Any]] = (),
    **kw,
):
    """The FY2024 field training in the Philippines; ``sessions`` are report sessions as
    ``(follow_up_id, date, [participant ids who gave it])``."""
    follow_ups, attendance = [], []
    for fid, day, pids in sessions:
        follow_ups.append({"follow_up_id": fid, "kind": "report_session", "date": day})
        attendance += [{"follow_up_id": fid, "participant_id": p, "attended": True} for p in pids]
    cohort = {"destination_country": "PH", **kw.pop("cohort", {})}
    return make_cohort(
        P.HIGHSCHOOL_MISSION,
        cohort_id="highschool-fy2024",
        start_date=kw.pop("start_date", FIELD_START),
        end_date=kw.pop("end_date", FIELD_END),
        cohort=cohort,
        participants=list(participants),
        follow_ups=follow_ups,
        attendance=attendance,
        phases=list(phases),
        **kw,
    )


def trainee(pid: str = "T1", **changes: Any) -> dict[str, Any]:
    """A Brazilian trainee, 20 August 2024 to 10 March 2025, placed with host H1."""
    row = {
        "participant_id": pid,
        "family_name": "Silva",
        "given_name": pid,
        "nationality": "BR",
        "arrival_date": ARRIVAL,
        "departure_date": D(2025, 3, 10),
        "host_id": "H1",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def technical_trainees(participants: Iterable[Mapping[str, Any]] = (), **kw):
    hosts = kw.pop(
        "hosts", [{"host_id": "H1", "name": "Obihiro Higher Technical School", "kind": "school"}]
    )
    return make_cohort(
        P.TECHNICAL_TRAINEES,
        cohort_id="trainees-fy2024",
        start_date=kw.pop("start_date", ARRIVAL),
        end_date=kw.pop("end_date", D(2025, 3, 10)),
        participants=list(participants),
        hosts=hosts,
        **kw,
    )


# ---------------------------------------------------------------------------
# Runs through the public API


@pytest.fixture(scope="session")
def registry() -> PluginRegistry:
    """The installed plugins, as the command line finds them."""
    found = PluginRegistry.discover()
    missing = [code for code in P.CODES if code not in found.programmes]
    assert not missing, f"the hokkaido plugin is not installed: {missing}"
    return found


def codes(findings: Iterable[Any], prefix: tuple[str, ...] = ("hokkaido.", "core.")) -> list[str]:
    """The sorted codes of findings (objects or JSON) starting with ``prefix``."""
    return sorted(finding_codes(findings, prefix))


#: The single finding with a code; fails when there are none or several.
only = only_finding


@pytest.fixture
def check(registry):
    """``check(data, **overrides)``: validate as ``kenshu validate`` would."""

    def run(data, **overrides: Any):
        schema = registry.schema(registry.programme(data.programme_code))
        return validate(data, registry, schema, overrides={k: str(v) for k, v in overrides.items()})

    return run


@pytest.fixture
def report(registry, check):
    """``report(data, **overrides)``: the report ``kenshu report`` would build."""

    def run(data, lang: str = "en", **overrides: Any):
        return build_report(check(data, **overrides), registry, lang=lang)

    return run


# ---------------------------------------------------------------------------
# The command line and real workbooks


# invoke(*args) and invoke_json(*args, exit_code=...): kenshu.testing's, the command line
# in-process, plugin commands included (a fresh registry)


def run_kenshu(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m kenshu ARGS`` as a real subprocess of this interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENSHU_")}
    return subprocess.run(
        [sys.executable, "-m", "kenshu", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


@pytest.fixture
def workbook(tmp_path: Path):
    """``workbook(code, cohort={...}, participants=[...], ...)``: a template written by
    ``kenshu template CODE``, filled with openpyxl, saved under tmp_path; returns its path."""
    count = 0

    def build(code: str, *, lang: str = "en", cohort: Mapping[str, Any] | None = None, **sheets):
        nonlocal count
        count += 1
        template = tmp_path / f"{code}-{count}-template.xlsx"
        result = invoke("template", code, "-o", str(template), "--lang", lang)
        assert result.exit_code == 0, result.output
        return fill_template(
            template,
            tmp_path / f"{code}-{count}.xlsx",
            cohort={"programme": code, **(cohort or {})},
            **sheets,
        )

    return build


@pytest.fixture(scope="session")
def hk() -> SimpleNamespace:
    """The builders above in one namespace."""
    return SimpleNamespace(
        D=D,
        EXAMPLES=EXAMPLES,
        DEPARTURE=DEPARTURE,
        RETURN=RETURN,
        FIELD_START=FIELD_START,
        FIELD_END=FIELD_END,
        ARRIVAL=ARRIVAL,
        events=events,
        lecture=lecture,
        member=member,
        exchange_mission=exchange_mission,
        student=student,
        highschool_mission=highschool_mission,
        trainee=trainee,
        technical_trainees=technical_trainees,
        codes=codes,
        only=only,
        invoke=invoke,
        invoke_json=invoke_json,
        run_kenshu=run_kenshu,
        report_json=report_json,
    )
