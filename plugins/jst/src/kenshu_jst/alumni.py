"""The alumni register across tours, and the invitation list of a feedback session.

Participant ids are unique only within a tour, so people are matched by their normalised
name and organisation (:mod:`kenshu_jst.names`), and by id where the same id recurs with the
same name (someone who changed organisation between tours). Namesakes in different
organisations with different ids stay two people.

The register is a workbook of three sheets, each with one header row of field ids:

* ``Alumni`` (first): one row per person, with the tours they joined;
* ``Tours``: one row per tour read, in date order (postponed tours too, without alumni);
* ``Events``: the tours' follow-up events (their FollowUps sheets, and the feedback session
  planned for a tour that gives none), which ``kenshu jst invite`` reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from attrs import define, field
from kenshu import CohortData, Settings

from kenshu_jst import followup
from kenshu_jst.names import normalise, person_name
from kenshu_jst.rules import is_held

ALUMNI_SHEET, TOURS_SHEET, EVENTS_SHEET = "Alumni", "Tours", "Events"
ALUMNI_HEADER = (
    "alumnus_id",
    "family_name",
    "given_name",
    "home_organisation",
    "home_country",
    "position",
    "email",
    "tours",
    "tour_count",
    "first_tour",
    "last_tour",
    "participant_ids",
)
TOURS_HEADER = (
    "cohort_id",
    "title",
    "theme",
    "start_date",
    "end_date",
    "host_city",
    "status",
    "alumni",
    "file",
)
EVENTS_HEADER = (
    "event_id",
    "kind",
    "date",
    "location",
    "cohort_id",
    "planned",
    "due_from",
    "due_to",
)
_DETAILS = ("family_name", "given_name", "home_organisation", "home_country", "position", "email")


class RegisterError(ValueError):
    """A register that cannot be built or read; the message says why."""


@define
class Tour:
    cohort_id: str
    title: str | None = None
    theme: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    host_city: str | None = None
    status: str | None = None
    alumni: int = 0
    file: str | None = None


@define
class Alumnus:
    alumnus_id: str
    family_name: str | None = None
    given_name: str | None = None
    home_organisation: str | None = None
    home_country: str | None = None
    position: str | None = None
    email: str | None = None
    tours: list[str] = field(factory=list)
    #: ``cohort_id:participant_id`` of each time the person took part
    participant_ids: list[str] = field(factory=list)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


@define
class Event:
    event_id: str
    kind: str | None = None
    date: dt.date | None = None
    location: str | None = None
    cohort_id: str | None = None
    planned: bool = False
    due_from: dt.date | None = None
    due_to: dt.date | None = None


@define
class Register:
    alumni: list[Alumnus] = field(factory=list)
    tours: list[Tour] = field(factory=list)
    events: list[Event] = field(factory=list)
    #: what a person should know about the merge: repeat participants, namesakes, skipped tours
    notes: list[str] = field(factory=list)

    def tour(self, cohort_id: str | None) -> Tour | None:
        return next((t for t in self.tours if t.cohort_id == cohort_id), None)


# ---------------------------------------------------------------------------
# Building


class _Sets:
    """Union-find over participations."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _order(tour: Tour) -> tuple[Any, ...]:
    return (tour.start_date or dt.date.max, tour.cohort_id)


def build_register(sources: Sequence[tuple[str, CohortData, Settings]]) -> Register:
    """The register of the tours in ``sources`` (``(file, cohort, resolved settings)``)."""
    register = Register()
    seen: dict[str, str] = {}
    held: list[tuple[Tour, CohortData, Settings]] = []
    for path, data, settings in sources:
        cohort = data.cohort
        if cohort is None:
            raise RegisterError(f"{path}: the Cohort sheet has no programme or cohort id")
        if cohort.cohort_id in seen:
            raise RegisterError(
                f"{path}: tour {cohort.cohort_id} is also in {seen[cohort.cohort_id]}; give "
                "each tour once (merge two lists of one tour first with `kenshu merge`)"
            )
        seen[cohort.cohort_id] = path
        tour = Tour(
            cohort_id=cohort.cohort_id,
            title=cohort.title,
            theme=cohort.theme,
            start_date=cohort.start_date,
            end_date=cohort.end_date,
            host_city=cohort.extra.get("host_city"),
            status=cohort.status,
            file=Path(path).name,
        )
        register.tours.append(tour)
        if is_held(data):
            held.append((tour, data, settings))
        else:
            register.notes.append(
                f"{cohort.cohort_id} is {cohort.status}: its participants are not alumni (yet)"
            )
    register.tours.sort(key=_order)
    held.sort(key=lambda item: _order(item[0]))
    order = {t.cohort_id: i for i, t in enumerate(register.tours)}

    people = [(tour, p) for tour, data, _ in held for p in data.participants]
    people = [(tour, p) for tour, p in people if p.taking_part]
    sets = _Sets(len(people))
    first_by_key: dict[tuple[str, ...], int] = {}
    for index, (_, p) in enumerate(people):
        name = person_name(p.family_name, p.given_name)
        keys = [("id", p.participant_id, name)] if name else []
        organisation = normalise(p.home_organisation)
        if name and organisation:
            keys.append(("org", name, organisation))
        for key in keys:
            if key in first_by_key:
                sets.union(first_by_key[key], index)
            else:
                first_by_key[key] = index
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(people)):
        groups[sets.find(index)].append(index)

    alumni = []
    for members in groups.values():
        members.sort(key=lambda i: (order[people[i][0].cohort_id], people[i][1].participant_id))
        person = Alumnus(alumnus_id="")
        for i in members:  # the latest tour's details win; earlier ones fill gaps
            tour, p = people[i]
            for name in _DETAILS:
                value = getattr(p, name)
                if value:
                    setattr(person, name, value)
            if tour.cohort_id not in person.tours:
                person.tours.append(tour.cohort_id)
            person.participant_ids.append(f"{tour.cohort_id}:{p.participant_id}")
        alumni.append(person)
    alumni.sort(
        key=lambda a: (
            order[a.tours[0]],
            normalise(a.family_name),
            normalise(a.given_name),
            a.participant_ids[0],
        )
    )
    width = max(4, len(str(len(alumni))))
    for number, person in enumerate(alumni, start=1):
        person.alumnus_id = f"A{number:0{width}d}"
    for tour in register.tours:
        tour.alumni = sum(tour.cohort_id in a.tours for a in alumni)
    register.alumni = alumni
    register.events = _events(held)
    register.notes.extend(_merge_notes(alumni))
    return register


def _events(held: Iterable[tuple[Tour, CohortData, Settings]]) -> list[Event]:
    events: list[Event] = []
    taken: set[str] = set()
    for tour, data, settings in held:
        for item in followup.follow_ups(data, settings):
            event_id = item.follow_up_id
            if event_id in taken:  # ids are only unique within a tour
                event_id = f"{tour.cohort_id}:{event_id}"
            taken.add(event_id)
            events.append(
                Event(
                    event_id=event_id,
                    kind=item.kind,
                    date=item.date,
                    location=item.location,
                    cohort_id=tour.cohort_id,
                    planned=item.planned,
                    due_from=item.due_from,
                    due_to=item.due_to,
                )
            )
    return events


def _merge_notes(alumni: list[Alumnus]) -> list[str]:
    notes = [
        f"{a.alumnus_id} {a.name} joined {len(a.tours)} tours ({', '.join(a.tours)}): one alumnus"
        for a in alumni
        if len(a.tours) > 1
    ]
    by_name: dict[str, list[Alumnus]] = defaultdict(list)
    for a in alumni:
        name = person_name(a.family_name, a.given_name)
        if name:
            by_name[name].append(a)
    for namesakes in by_name.values():
        if len(namesakes) > 1:
            who = ", ".join(f"{a.alumnus_id} of {a.home_organisation or '?'}" for a in namesakes)
            notes.append(
                f"{len(namesakes)} different people named {namesakes[0].name} "
                f"(different organisations and ids): {who}"
            )
    return notes


# ---------------------------------------------------------------------------
# Writing and reading


def write_register(path: str | Path, register: Register) -> None:
    """Write the register workbook atomically."""
    sheets = (
        (
            ALUMNI_SHEET,
            ALUMNI_HEADER,
            [
                (
                    a.alumnus_id,
                    *(getattr(a, name) for name in _DETAILS),
                    "; ".join(a.tours),
                    len(a.tours),
                    a.tours[0],
                    a.tours[-1],
                    "; ".join(a.participant_ids),
                )
                for a in register.alumni
            ],
        ),
        (
            TOURS_SHEET,
            TOURS_HEADER,
            [tuple(getattr(t, name) for name in TOURS_HEADER) for t in register.tours],
        ),
        (
            EVENTS_SHEET,
            EVENTS_HEADER,
            [
                tuple(
                    ("yes" if e.planned else "no") if name == "planned" else getattr(e, name)
                    for name in EVENTS_HEADER
                )
                for e in register.events
            ],
        ),
    )
    write_sheets(path, sheets)


def write_sheets(
    path: str | Path, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> None:
    """Write ``(title, header, rows)`` sheets, each with a frozen header row, atomically."""
    from kenshu.workbook.xlsxwrite import xlsx_workbook

    with xlsx_workbook(path) as book:
        for title, header, rows in sheets:
            ws = book.sheet(title)
            ws.freeze(1)
            ws.append(header)
            for row in rows:
                ws.append(row)


def read_register(path: str | Path) -> Register:
    """Read a register written by :func:`write_register` (and perhaps edited in Excel).

    Raises ``kenshu.io.ReadError`` for a file that is no workbook, and :class:`RegisterError`
    for a workbook that is no register.
    """
    from kenshu.workbook.engines import open_workbook
    from kenshu.workbook.safety import check_file

    scan = check_file(path)
    book = open_workbook(path, scan=scan)
    try:
        names = {info.name.strip().casefold(): info.name for info in book.sheets()}
        tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        columns: dict[str, dict[str, int]] = {}
        for title, header in (
            (ALUMNI_SHEET, ALUMNI_HEADER),
            (TOURS_SHEET, TOURS_HEADER),
            (EVENTS_SHEET, EVENTS_HEADER),
        ):
            name = names.get(title.casefold())
            if name is None:
                raise RegisterError(
                    f"{path}: no {title} sheet; is this an alumni register written by "
                    "`kenshu jst alumni`?"
                )
            tables[title], columns[title] = _table(path, name, book.rows(name), header)
    finally:
        book.close()
    register = Register()
    for row_number, row in tables[TOURS_SHEET]:
        register.tours.append(
            Tour(
                cohort_id=_text(row["cohort_id"]),
                title=_text(row["title"]),
                theme=_text(row["theme"]),
                start_date=_date(path, TOURS_SHEET, row_number, "start_date", row, columns),
                end_date=_date(path, TOURS_SHEET, row_number, "end_date", row, columns),
                host_city=_text(row["host_city"]),
                status=_text(row["status"]),
                file=_text(row["file"]),
            )
        )
    for _, row in tables[ALUMNI_SHEET]:
        register.alumni.append(
            Alumnus(
                alumnus_id=_text(row["alumnus_id"]),
                **{name: _text(row[name]) for name in _DETAILS},
                tours=_list(row["tours"]),
                participant_ids=_list(row["participant_ids"]),
            )
        )
    for row_number, row in tables[EVENTS_SHEET]:
        register.events.append(
            Event(
                event_id=_text(row["event_id"]),
                kind=_text(row["kind"]),
                date=_date(path, EVENTS_SHEET, row_number, "date", row, columns),
                location=_text(row["location"]),
                cohort_id=_text(row["cohort_id"]),
                planned=str(row["planned"] or "").strip().casefold() in ("yes", "true", "1"),
                due_from=_date(path, EVENTS_SHEET, row_number, "due_from", row, columns),
                due_to=_date(path, EVENTS_SHEET, row_number, "due_to", row, columns),
            )
        )
    return register


def _table(
    path, sheet: str, rows, header: Sequence[str]
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, int]]:
    """The rows of a sheet with one header row of field ids, as dictionaries, and the
    (0-based) column of each field."""
    rows = iter(rows)
    head = next(rows, None)
    if head is None:
        raise RegisterError(f"{path}: sheet {sheet} is empty (expected the header row)")
    _, cells = head
    columns = {str(c).strip(): i for i, c in enumerate(cells) if c is not None}
    missing = [name for name in header if name not in columns]
    if missing:
        raise RegisterError(f"{path}: sheet {sheet} row 1 lacks the column(s) {', '.join(missing)}")
    out = []
    key = columns[header[0]]
    for number, cells in rows:
        if key >= len(cells) or cells[key] is None:
            continue
        out.append(
            (
                number,
                {
                    name: (cells[columns[name]] if columns[name] < len(cells) else None)
                    for name in header
                },
            )
        )
    return out, columns


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _list(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def _date(
    path,
    sheet: str,
    row: int,
    name: str,
    values: dict[str, Any],
    columns: dict[str, dict[str, int]],
) -> dt.date | None:
    """The date in column ``name`` of a register row (``values``); ``columns`` are the
    0-based columns of each sheet's fields, for the message."""
    value = values[name]
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        from kenshu.workbook.cells import column_letter

        column = column_letter(columns[sheet][name] + 1)
        raise RegisterError(
            f"{path}: {sheet}!{column}{row}: {name} {value!r} is not a date (YYYY-MM-DD)"
        ) from None


# ---------------------------------------------------------------------------
# Invitations


@define
class Invitation:
    alumnus: Alumnus
    reason: str


def invitations(register: Register, event_id: str) -> tuple[Event, list[Invitation]]:
    """Who is invited to ``event_id``: the participants of the tour it follows, then the
    alumni of every earlier tour. Raises :class:`RegisterError` for an unknown event."""
    event = next((e for e in register.events if e.event_id == event_id), None)
    if event is None:
        known = ", ".join(e.event_id for e in register.events) or "none"
        raise RegisterError(f"unknown event {event_id!r} (events in the register: {known})")
    tour = register.tour(event.cohort_id)
    if tour is None:
        raise RegisterError(
            f"event {event_id} follows tour {event.cohort_id!r}, which is not on the Tours sheet"
        )
    earlier = {
        t.cohort_id
        for t in register.tours
        if t.start_date and tour.start_date and t.start_date < tour.start_date
    }
    joined, alumni = [], []
    for person in register.alumni:
        before = [c for c in person.tours if c in earlier]
        if tour.cohort_id in person.tours:
            reason = f"participant of {tour.cohort_id}"
            if before:
                reason += f" (also alumnus of {', '.join(before)})"
            joined.append(Invitation(person, reason))
        elif before:
            alumni.append(Invitation(person, f"alumnus of {', '.join(before)}"))
    return event, joined + alumni


INVITE_HEADER = (
    "alumnus_id",
    "family_name",
    "given_name",
    "home_organisation",
    "home_country",
    "email",
    "tours",
    "reason",
)


def invitation_rows(invited: Iterable[Invitation]) -> list[tuple[Any, ...]]:
    return [
        (
            i.alumnus.alumnus_id,
            i.alumnus.family_name,
            i.alumnus.given_name,
            i.alumnus.home_organisation,
            i.alumnus.home_country,
            i.alumnus.email,
            "; ".join(i.alumnus.tours),
            i.reason,
        )
        for i in invited
    ]
