"""A participant's effective dates and age, the same way for every rule and plugin.

A participant's ``arrival_date`` and ``departure_date`` are the first and last day they
are in the programme. What "first day" means depends on the programme's direction:

* ``inbound`` and ``local``: the dates as given; a missing one stays missing (a programme
  that needs them lists them in ``Programme.required_fields``);
* ``outbound``: the first day is the day the participant leaves Japan and the last the day
  they come back. Participants of an outbound programme usually travel together, so a
  missing date defaults to the cohort's (departure from Japan = the Cohort's
  ``start_date``, return = its ``end_date``) and is not an error.

The **reference date** is the first day (arrival in Japan, or departure from Japan): ages
are taken on it. Use :func:`participant_dates` and :func:`age_on_reference` rather than
reading the fields, so that every rule sees the same dates.
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen
from kenshu.dataset import CohortData
from kenshu.model import Participant, Programme


@frozen
class ParticipantDates:
    """A participant's first and last day in the programme (both inclusive) and where they
    came from: ``"participant"`` (given on the row), ``"cohort"`` (defaulted to the
    cohort's, outbound only) or ``None`` (unknown)."""

    start: dt.date | None
    end: dt.date | None
    start_from: str | None = None
    end_from: str | None = None

    @property
    def reference(self) -> dt.date | None:
        """The date ages are taken on: the first day."""
        return self.start


def is_outbound(programme: Programme | None) -> bool:
    """Whether ``programme`` sends participants from Japan abroad."""
    return programme is not None and programme.direction == "outbound"


def participant_dates(
    programme: Programme | None, data: CohortData, participant: Participant
) -> ParticipantDates:
    """The participant's effective first and last day (see the module docstring)."""
    start, end = participant.arrival_date, participant.departure_date
    start_from = "participant" if start is not None else None
    end_from = "participant" if end is not None else None
    cohort = data.cohort
    if is_outbound(programme) and cohort is not None:
        if start is None and "arrival_date" not in participant.invalid and cohort.start_date:
            start, start_from = cohort.start_date, "cohort"
        if end is None and "departure_date" not in participant.invalid and cohort.end_date:
            end, end_from = cohort.end_date, "cohort"
    return ParticipantDates(start, end, start_from, end_from)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` (someone born on 29 February turns a year older on
    1 March in common years, as Japanese law counts ages)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def age_on_reference(
    programme: Programme | None, data: CohortData, participant: Participant
) -> int | None:
    """The participant's age on their reference date (arrival in Japan for inbound
    programmes, departure from Japan for outbound ones), or None when either is unknown."""
    reference = participant_dates(programme, data, participant).reference
    if participant.date_of_birth is None or reference is None:
        return None
    return age_on(participant.date_of_birth, reference)
