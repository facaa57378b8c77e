"""``kenshu new-plugin``: write an installable plugin project with worked examples.

The project it writes installs with pip and passes its own tests straight away: a
programme, one extra field, one setting, one eligibility rule, one cost rule and one
follow-up, each tested, plus the contract suite, a README and a CI script.
"""

from __future__ import annotations

import re
from pathlib import Path

from kenshu import __version__
from kenshu.plugins import PLUGIN_API_VERSION

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*[a-z0-9]$")


class ScaffoldError(ValueError):
    """The name is unusable or the folder already holds a project."""


def names(name: str, programme: str | None = None) -> dict[str, str]:
    """The names derived from a plugin NAME: package, distribution, programme code."""
    if not NAME_PATTERN.match(name):
        raise ScaffoldError(
            f"{name!r} is not a usable plugin name: use lower-case letters, digits, '_' or '-', "
            "starting with a letter (e.g. osaka_exchange)"
        )
    snake = name.replace("-", "_")
    code = programme or name.replace("_", "-")
    if not NAME_PATTERN.match(code):
        raise ScaffoldError(
            f"{code!r} is not a usable programme code (lower-case, digits, '-', '_')"
        )
    major, minor = (int(x) for x in __version__.split(".")[:2])
    api_major = int(PLUGIN_API_VERSION.split(".")[0])
    return {
        "name": snake,
        "package": f"kenshu_{snake}",
        "distribution": f"kenshu-{snake.replace('_', '-')}",
        "code": code,
        "title": snake.replace("_", " ").title(),
        "kenshu_range": f">={major}.{minor},<{major}.{minor + 1}"
        if major == 0
        else f">={major}.{minor},<{major + 1}",
        "api_range": f">={PLUGIN_API_VERSION},<{api_major + 1}",
    }


def write_project(target: Path, name: str, programme: str | None = None) -> list[Path]:
    """Write the project into ``target`` (created if missing); returns the files written.

    Refuses to write over an existing ``pyproject.toml``.
    """
    values = names(name, programme)
    target = Path(target)
    if (target / "pyproject.toml").exists():
        raise ScaffoldError(
            f"{target} already holds a project (pyproject.toml); choose an empty folder"
        )
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        ".ci/run": CI,
        ".gitignore": GITIGNORE,
        f"src/{values['package']}/__init__.py": INIT,
        f"src/{values['package']}/plugin.py": PLUGIN,
        "tests/test_rules.py": TESTS,
        "tests/test_contract.py": CONTRACT,
        "tests/test_readme.py": README_TESTS,
    }
    written = []
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(**values), encoding="utf-8")
        written.append(path)
    (target / ".ci/run").chmod(0o755)
    return written


PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{distribution}"
version = "0.1.0"
description = "kenshu plugin for the {title} programme"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["kenshu{kenshu_range}"]

[project.optional-dependencies]
test = ["pytest>=8"]

# kenshu finds plugins through this entry-point group
[project.entry-points.kenshu]
{name} = "{package}.plugin"

[tool.setuptools.packages.find]
where = ["src"]
"""

README = """\
# {distribution}

A [kenshu](https://pypi.org/project/kenshu/) plugin for the **{title}** programme
(programme code `{code}`).

## Install and try

```
pip install .
kenshu programmes                       # lists {code}
kenshu template {code} -o cohort.xlsx   # a workbook to fill in
kenshu validate cohort.xlsx
kenshu report cohort.xlsx -o report.xlsx
```

## What it does (worked examples to adapt)

| piece | hook | what it does |
|---|---|---|
| the programme | `kenshu_register_programmes` | registers `{code}` |
| an extra field | `kenshu_fields` | `motivation` (text) on the Participants sheet |
| a setting | `kenshu_settings` | `max_age` (default 45), `report_due_days` (default 60) |
| an eligibility rule | `kenshu_check_participant` | older than `max_age` on the start date is an error |
| a cost rule | `kenshu_cost_lines` | every cost line is paid by the participant's host |
| a follow-up | `kenshu_follow_ups` | a final report due `report_due_days` after the end |

Every number a rule uses is a setting: override it in the workbook's Settings sheet or with
`kenshu validate --set max_age=50`.

## Settings

| Setting | Default | Type | Meaning | Source | Basis |
|---|---|---|---|---|---|
| `max_age` | `45` | integer | Oldest age on the start date. | default | worked example: state the programme's source |
| `report_due_days` | `60` | integer | Days after the end by which the final report is due. | default | worked example: state the programme's source |

## Develop

```
pip install -e ".[test]"
pytest
```

`tests/test_contract.py` runs kenshu's contract suite against the plugin: a misspelt hook,
a field without labels or help, a finding without a stable code or an answer for another
programme's cohort fails it. `tests/test_readme.py` keeps the settings table above true to
`kenshu schema {code} --json` (`kenshu.testing.readme`). `.ci/run` is the CI script (fresh
venv, install, tests).
"""

CI = """\
#!/usr/bin/env bash
# CI: a fresh virtual environment, this plugin with its test extras, then the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet ".[test]"
.venv/bin/python -m pytest -q
"""

GITIGNORE = """\
.venv/
__pycache__/
*.egg-info/
build/
"""

INIT = '''\
"""kenshu plugin for the {title} programme."""

__version__ = "0.1.0"
'''

PLUGIN = '''\
"""Hook implementations for the {title} programme (kenshu plugin API {api_range})."""

from __future__ import annotations

import datetime as dt

from kenshu import ChargedCost, Field, PlannedFollowUp, Programme, Setting, hookimpl

#: The kenshu plugin-API versions this plugin works with.
KENSHU_PLUGIN_API = "{api_range}"
CODE = "{code}"


@hookimpl
def kenshu_register_programmes(register):
    register(
        Programme(
            code=CODE,
            title="{title}",
            direction="inbound",
            description="Describe the programme here.",
            required_fields=("participants.date_of_birth", "participants.host_id"),
        )
    )


@hookimpl
def kenshu_fields(programme):
    return [
        Field(
            id="motivation",
            type="text",
            label="Motivation",
            label_ja="志望動機",
            help="Why the participant applied, in a few sentences.",
            help_ja="応募の動機",
            sheet="participants",
        )
    ]


@hookimpl
def kenshu_settings(programme):
    return [
        Setting("max_age", 45, "Oldest age on the start date.", source="default"),
        Setting("report_due_days", 60, "Days after the end by which the final report is due.", source="default"),
    ]


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@hookimpl
def kenshu_check_participant(data, participant, settings):
    cohort = data.cohort
    born = participant.date_of_birth
    if born is None or cohort.start_date is None:
        return []  # a missing date of birth is reported as a required field
    age = age_on(born, cohort.start_date)
    if age > settings["max_age"]:
        return [
            data.error(
                "{name}.too-old",
                f"{{age}} years old on {{cohort.start_date}} (rule: at most {{settings['max_age']}})",
                ja=f"{{cohort.start_date}}時点で{{age}}歳です(要件: {{settings['max_age']}}歳以下)",
                record=participant,
                field="date_of_birth",
            )
        ]
    return []


@hookimpl
def kenshu_cost_lines(data, settings):
    for line in data.costs:
        trainee = data.participant(line.participant_id)
        host_id = line.host_id or (trainee.host_id if trainee else None)
        yield ChargedCost(
            item=line.item or "other",
            payer=host_id or "unassigned",
            amount=line.amount,
            currency=line.currency,
            participant_id=line.participant_id,
            host_id=host_id,
            cost_id=line.cost_id,
            explanation="the participant's host pays every cost of this programme",
        )


@hookimpl
def kenshu_follow_ups(data, settings):
    end = data.cohort.end_date
    due = end + dt.timedelta(days=settings["report_due_days"])
    yield PlannedFollowUp(
        follow_up_id="final-report",
        kind="final_report",
        due_from=end,
        due_to=due,
        participant_ids=tuple(p.participant_id for p in data.participants),
        planned=True,
    )
'''

TESTS = '''\
"""Tests of the {title} rules, with kenshu's test kit (kenshu.testing)."""

from kenshu.testing import isolated_registry, make_cohort, report_cohort, validate_cohort

PLUGIN = "{package}.plugin"


def cohort(**participant):
    return make_cohort(
        "{code}",
        start_date="2025-04-01",
        end_date="2025-09-30",
        participants=[{{"participant_id": "P1", "host_id": "H1", **participant}}],
        hosts=[{{"host_id": "H1", "name": "Host city", "kind": "city"}}],
        costs=[{{"cost_id": "C1", "item": "airfare", "amount": 100000, "currency": "JPY", "participant_id": "P1"}}],
    )


def codes(outcome):
    return {{(f.code, f.subject) for f in outcome.findings}}


def test_age_limit_is_inclusive():
    registry = isolated_registry(PLUGIN)
    assert ("{name}.too-old", "P1") not in codes(validate_cohort(cohort(date_of_birth="1980-04-01"), registry))
    assert ("{name}.too-old", "P1") in codes(validate_cohort(cohort(date_of_birth="1979-04-01"), registry))


def test_age_limit_is_a_setting():
    registry = isolated_registry(PLUGIN)
    outcome = validate_cohort(cohort(date_of_birth="1979-04-01"), registry, {{"max_age": "46"}})
    assert ("{name}.too-old", "P1") not in codes(outcome)


def test_missing_date_of_birth_is_a_required_field():
    registry = isolated_registry(PLUGIN)
    assert ("core.missing-required", "P1") in codes(validate_cohort(cohort(), registry))


def test_the_host_pays_and_says_why():
    report = report_cohort(cohort(date_of_birth="1990-01-01"), isolated_registry(PLUGIN))
    (line,) = report.costs
    assert (line.payer, line.amount, line.explanation) == ("H1", 100000, "the participant's host pays every cost of this programme")


def test_final_report_is_due_after_the_end():
    report = report_cohort(cohort(date_of_birth="1990-01-01"), isolated_registry(PLUGIN))
    (follow_up,) = report.follow_ups
    assert (follow_up.kind, follow_up.due_to.isoformat()) == ("final_report", "2025-11-29")
'''

README_TESTS = '''\
"""The README documents every setting of the plugin, as ``kenshu schema {code}`` has it."""

from pathlib import Path

from kenshu.testing.readme import settings_problems

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_in_the_readme_table():
    # default, type, meaning, source and a basis for each setting; nothing it does not have
    assert settings_problems(README, "{code}", owners={{"{name}"}}) == []
'''

CONTRACT = '''\
"""The plugin honours kenshu's plugin contract."""

from kenshu.testing.contract import contract_suite

TestContract = contract_suite("{package}.plugin")
'''
