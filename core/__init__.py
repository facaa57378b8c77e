"""kenshu: a framework for international training and exchange programmes for local government.

The public API for plugins is re-exported here; everything else is internal. Imports are
lazy so that ``kenshu --help`` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

__version__ = "0.1.0"

#: Marker for hook implementations: ``@kenshu.hookimpl def kenshu_fields(programme): ...``
hookimpl = pluggy.HookimplMarker("kenshu")

_PUBLIC = {
    "PLUGIN_API_VERSION": "kenshu.plugins",
    "Activity": "kenshu.model",
    "Attendance": "kenshu.model",
    "ChargedCost": "kenshu.model",
    "Cohort": "kenshu.model",
    "CohortData": "kenshu.dataset",
    "CostLine": "kenshu.model",
    "Field": "kenshu.fields",
    "Finding": "kenshu.model",
    "FollowUp": "kenshu.model",
    "Group": "kenshu.model",
    "HostBody": "kenshu.model",
    "NOT_HELD": "kenshu.model",
    "NOT_TAKING_PART": "kenshu.model",
    "Participant": "kenshu.model",
    "Phase": "kenshu.model",
    "PlannedFollowUp": "kenshu.model",
    "ParticipantDates": "kenshu.participants",
    "PlannedPhase": "kenshu.model",
    "Programme": "kenshu.model",
    "ReportSheet": "kenshu.model",
    "Setting": "kenshu.settings",
    "Settings": "kenshu.settings",
    "inclusive_days": "kenshu.dataset",
    "planned_from_given": "kenshu.model",
    "add_months": "kenshu.dates",
    "age_on": "kenshu.participants",
    "age_on_reference": "kenshu.participants",
    "participant_dates": "kenshu.participants",
    "months_between_inclusive": "kenshu.dates",
}

__all__ = ["__version__", "hookimpl", *sorted(_PUBLIC)]

if TYPE_CHECKING:
    from kenshu.dataset import CohortData, inclusive_days
    from kenshu.dates import add_months, months_between_inclusive
    from kenshu.fields import Field
    from kenshu.model import (
        NOT_HELD,
        NOT_TAKING_PART,
        Activity,
        Attendance,
        ChargedCost,
        Cohort,
        CostLine,
        Finding,
        FollowUp,
        Group,
        HostBody,
        Participant,
        Phase,
        PlannedFollowUp,
        PlannedPhase,
        Programme,
        ReportSheet,
        planned_from_given,
    )
    from kenshu.participants import (
        ParticipantDates,
        age_on,
        age_on_reference,
        participant_dates,
    )
    from kenshu.plugins import PLUGIN_API_VERSION
    from kenshu.settings import Setting, Settings


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'kenshu' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
