"""Carrying the accepted participants of a postponed tour over to the next tour.

Only forward in time: NEW must start after OLD (when both start dates are known).
Nobody is dropped: each accepted participant of OLD is added to NEW's Participants, with
``carried_from`` = ``OLD cohort id:old participant id``. A participant id NEW already uses
for someone else gets a new id (``jst-2021-P03``); a person already in NEW (same normalised
name and organisation, same id and name, or carried before) is not added twice.
"""

from __future__ import annotations

from attrs import define, evolve, field
from kenshu import CohortData, Participant, Settings

from kenshu_jst.names import normalise, person_name
from kenshu_jst.rules import carried_over


class CarryError(ValueError):
    """OLD cannot be carried over (it is not postponed, or NEW does not start after it);
    the message says why."""


@define
class Carried:
    old_id: str
    new_id: str
    name: str

    @property
    def renamed(self) -> bool:
        return self.old_id != self.new_id


@define
class CarryResult:
    carried: list[Carried] = field(factory=list)
    #: (old id, name, the id of the same person in NEW)
    already: list[tuple[str, str, str]] = field(factory=list)
    #: (old id, name, status) of OLD's participants who are not accepted
    not_accepted: list[tuple[str, str, str | None]] = field(factory=list)


def display(p: Participant) -> str:
    return " ".join(part for part in (p.given_name, p.family_name) if part) or p.participant_id


def carry_over(old: CohortData, settings: Settings, new: CohortData) -> CarryResult:
    """Add OLD's accepted participants to NEW (in place) and say what was done."""
    if old.cohort is None or new.cohort is None:
        raise CarryError("both tours need a Cohort sheet with a programme and a cohort id")
    if old.cohort.status != "postponed":
        raise CarryError(
            f"tour {old.cohort.cohort_id} has status {old.cohort.status or '(empty)'}, not "
            "postponed; only a postponed tour's participants are carried over"
        )
    if old.cohort.cohort_id == new.cohort.cohort_id:
        raise CarryError(f"OLD and NEW are the same tour ({old.cohort.cohort_id})")
    old_start, new_start = old.cohort.start_date, new.cohort.start_date
    if old_start is not None and new_start is not None and new_start <= old_start:
        raise CarryError(
            f"NEW tour {new.cohort.cohort_id} starts on {new_start.isoformat()}, not after "
            f"the postponed tour {old.cohort.cohort_id} ({old_start.isoformat()}); "
            "participants are carried over to a later tour (give OLD first, then NEW)"
        )
    result = CarryResult()
    accepted = carried_over(old, settings)
    chosen = {id(p) for p in accepted}
    for p in old.participants:
        if id(p) not in chosen:
            result.not_accepted.append((p.participant_id, display(p), p.status))
    ids = {p.participant_id for p in new.participants}
    by_key: dict[tuple[str, ...], str] = {}
    for p in new.participants:
        for key in _keys(p):
            by_key.setdefault(key, p.participant_id)
    origin = old.cohort.cohort_id
    columns = new.unknown_columns.setdefault("participants", [])
    for p in accepted:
        keys = [*_keys(p), ("from", f"{origin}:{p.participant_id}")]
        match = next((by_key[k] for k in keys if k in by_key), None)
        if match is not None:
            result.already.append((p.participant_id, display(p), match))
            continue
        new_id = p.participant_id
        if new_id in ids:
            new_id = _free(f"{origin}-{p.participant_id}", ids)
        ids.add(new_id)
        record = evolve(
            p,
            participant_id=new_id,
            extra={**p.extra, "carried_from": f"{origin}:{p.participant_id}"},
        )
        for header in p.unknown:
            if header not in columns:
                columns.append(header)
        new.participants.append(record)
        for key in _keys(record):
            by_key.setdefault(key, new_id)
        result.carried.append(Carried(p.participant_id, new_id, display(p)))
    if not columns:
        del new.unknown_columns["participants"]
    new.records_changed()  # look-ups must see the added records
    return result


def _keys(p: Participant) -> list[tuple[str, ...]]:
    name = person_name(p.family_name, p.given_name)
    keys: list[tuple[str, ...]] = []
    if name:
        keys.append(("id", p.participant_id, name))
        organisation = normalise(p.home_organisation)
        if organisation:
            keys.append(("org", name, organisation))
    carried = p.extra.get("carried_from")
    if carried:
        keys.append(("from", carried))
    return keys


def _free(candidate: str, taken: set[str]) -> str:
    if candidate not in taken:
        return candidate
    number = 2
    while f"{candidate}-{number}" in taken:
        number += 1
    return f"{candidate}-{number}"
