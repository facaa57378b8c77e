"""Events programmes in the core (``Programme(enrolled=False)``): a series of events with an
audience rather than enrolled participants. No Participants sheet is written or expected,
participant rules do not run, and the report totals events and attendance by municipality
and by theme."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import openpyxl
import pytest
from helpers import json_output, run_cli
from kenshu import Programme, hookimpl
from kenshu.cli.main import State
from kenshu.testing import (
    fill_template,
    isolated_registry,
    make_cohort,
    read_cohort,
    report_cohort,
    validate_cohort,
)

D = dt.date
CODE = "test-lectures"


class EventsPlugin:
    calls: ClassVar[list[str]] = []

    @hookimpl
    def kenshu_register_programmes(self, register) -> None:
        register(
            Programme(
                code=CODE,
                title="Lectures",
                direction="local",
                enrolled=False,
                sheets=("cohort", "activities", "settings"),
                required_sheets=("cohort", "activities"),
            )
        )

    @hookimpl
    def kenshu_check_participant(self, participant):
        self.calls.append(participant.participant_id)
        return []


@pytest.fixture
def registry():
    EventsPlugin.calls = []
    return isolated_registry(EventsPlugin())


EVENTS = [
    {
        "activity_id": "E1",
        "date": "2024-05-18",
        "municipality": "Obihiro",
        "theme": "exchange",
        "attendance": 60,
    },
    {
        "activity_id": "E2",
        "date": "2024-07-06",
        "municipality": "Nayoro",
        "theme": "cooperation",
        "attendance": 40,
    },
    {
        "activity_id": "E3",
        "date": "2025-01-25",
        "municipality": "Obihiro",
        "theme": "cooperation",
        "attendance": 25,
    },
    {"activity_id": "E4", "date": "2025-03-31", "municipality": "Kushiro", "theme": "exchange"},
]


def lectures(**kw):
    return make_cohort(CODE, start_date="2024-04-01", end_date="2025-03-31", **kw)


def test_an_events_programme_cannot_require_participants():
    with pytest.raises(ValueError, match="events programme"):
        Programme(code="x", title="x", enrolled=False, required_sheets=("cohort", "participants"))
    with pytest.raises(ValueError, match="events programme"):
        Programme(code="x", title="x", enrolled=False, required_fields=("participants.gender",))


def test_totals_by_municipality_and_theme(registry):
    report = report_cohort(lectures(activities=EVENTS), registry)
    assert [f.code for f in report.findings] == []
    totals = report.event_totals()
    assert (totals["events"], totals["attendance"], totals["without_attendance"]) == (
        4,
        125,
        ["E4"],
    )
    assert totals["by_municipality"] == [
        {"municipality": "Kushiro", "events": 1, "attendance": 0},
        {"municipality": "Nayoro", "events": 1, "attendance": 40},
        {"municipality": "Obihiro", "events": 2, "attendance": 85},
    ]
    assert totals["by_theme"] == [
        {"theme": "cooperation", "events": 2, "attendance": 65},
        {"theme": "exchange", "events": 2, "attendance": 60},
    ]
    assert (
        "4 event(s), total attendance 125, in 3 municipalities (1 without a head count)."
        in report.summary
    )
    assert not any("participant" in line for line in report.summary)


def test_participants_are_not_checked_but_reported(registry):
    data = lectures(activities=EVENTS[:1], participants=[{"participant_id": "P1"}])
    findings = validate_cohort(data, registry).findings
    assert [(f.code, f.severity) for f in findings] == [
        ("core.participants-not-enrolled", "warning")
    ]
    assert EventsPlugin.calls == []


def test_an_event_outside_the_cohort_is_a_warning(registry):
    data = lectures(activities=[{**EVENTS[0], "date": "2025-04-01"}])
    (finding,) = validate_cohort(data, registry).findings
    assert (finding.code, finding.field_id, finding.subject) == (
        "core.event-outside-cohort",
        "date",
        "E1",
    )


def test_template_report_workbook_and_json(registry, tmp_path):
    state = State()
    state._registry = registry
    template = tmp_path / "template.xlsx"
    assert run_cli("template", CODE, "-o", str(template), state=state).exit_code == 0
    names = openpyxl.load_workbook(template, read_only=True).sheetnames
    assert "Participants" not in names and "Activities" in names
    rows = [{k: (D.fromisoformat(v) if k == "date" else v) for k, v in e.items()} for e in EVENTS]
    filled = fill_template(
        template,
        tmp_path / "filled.xlsx",
        cohort={
            "programme": CODE,
            "cohort_id": "fy2024",
            "start_date": D(2024, 4, 1),
            "end_date": D(2025, 3, 31),
        },
        activities=rows,
    )
    data, _, _ = read_cohort(filled, registry)
    assert [(a.municipality, a.theme) for a in data.activities] == [
        (e["municipality"], e["theme"]) for e in EVENTS
    ]
    result = run_cli("validate", str(filled), state=state)
    assert result.exit_code == 0, result.output
    out = tmp_path / "report.xlsx"
    result = run_cli("report", str(filled), "-o", str(out), state=state)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out, read_only=True)
    assert "Participants" not in wb.sheetnames
    assert list(wb["Attendance by municipality"].values) == [
        ("municipality", "events", "attendance"),
        ("Kushiro", 1, 0),
        ("Nayoro", 1, 40),
        ("Obihiro", 2, 85),
        ("(total)", 4, 125),
    ]
    assert [r[0] for r in wb["Events"].values] == ["activity_id", "E1", "E2", "E3", "E4"]
    wb.close()
    payload = json_output(run_cli("report", str(filled), "--json", state=state))
    assert payload["events"]["attendance"] == 125
    assert payload["events"]["by_theme"][0] == {
        "theme": "cooperation",
        "events": 2,
        "attendance": 65,
    }


def test_programmes_say_which_are_events(registry):
    """``kenshu programmes`` tells an events programme from one with enrolled participants."""
    state = State()
    state._registry = registry
    result = run_cli("programmes", state=state)
    assert f"{CODE}: " in result.stdout
    (line,) = [line for line in result.stdout.splitlines() if line.startswith(f"{CODE}: ")]
    assert ", events; plugin " in line
    state = State()
    state._registry = registry
    (entry,) = json_output(run_cli("programmes", "--json", state=state))["programmes"]
    assert (entry["code"], entry["enrolled"]) == (CODE, False)
