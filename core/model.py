"""The domain model: small frozen records, validated on construction.

Every record's attribute names are the stable field ids used in workbooks and JSON.
Each input record also carries three dictionaries that make round trips lossless:

* ``extra``: values of fields contributed by plugins (``{field_id: value}``), typed;
* ``unknown``: columns kenshu does not know (``{header text: cell value}``), kept verbatim;
* ``invalid``: values that could not be converted (``{field_id: raw value}``); they are
  reported as findings and written back unchanged on export.

Behaviour lives in functions that take these records, not in methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
from attrs import field, frozen

# ---------------------------------------------------------------------------
# Enumerations (stable values; labels live in kenshu.catalogue)

COHORT_STATUSES = (
    "planned",
    "open",
    "confirmed",
    "in_progress",
    "completed",
    "postponed",
    "cancelled",
)
#: Cohort statuses of a cohort that does not take place (yet): no schedule, no costs.
NOT_HELD = ("postponed", "cancelled")
GENDERS = ("F", "M", "X")
ORGANISATION_TYPES = (
    "local_government",
    "central_government",
    "public_body",
    "school",
    "company",
    "ngo",
    "individual",
)
POSITION_LEVELS = (
    "director_general",
    "deputy_director_general",
    "director",
    "senior_executive",
    "manager",
    "staff",
    "student",
    "citizen",
)
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
JLPT_LEVELS = ("N1", "N2", "N3", "N4", "N5")
PARTICIPANT_STATUSES = (
    "applicant",
    "nominated",
    "selected",
    "placed",
    "in_training",
    "completed",
    "withdrawn",
    "rejected",
)
#: Participant statuses of someone no longer taking part: rules and reports leave them out.
NOT_TAKING_PART = ("withdrawn", "rejected")
HOST_KINDS = (
    "prefecture",
    "designated_city",
    "core_city",
    "city",
    "town",
    "village",
    "special_ward",
    "national_body",
    "university",
    "training_institute",
    "company",
    "ngo",
    "school",
    "overseas_government",
)
COST_ITEMS = (
    "airfare",
    "accommodation",
    "training",
    "domestic_travel",
    "insurance",
    "living_allowance",
    "other",
)
SEVERITIES = ("error", "warning", "info")
DIRECTIONS = ("inbound", "outbound", "local")


# ---------------------------------------------------------------------------
# Validators


def _one_of(choices: tuple[str, ...]):
    def check(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
        if value is not None and value not in choices:
            raise ValueError(f"{attribute.name}: {value!r} is not one of {', '.join(choices)}")

    return check


def _optional(kind: type | tuple[type, ...]):
    def check(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"{attribute.name}: expected {kind}, got {type(value).__name__}")

    return check


def _required_text(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} is required")


def _date_not_datetime(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise TypeError(f"{attribute.name}: expected a date, got {type(value).__name__}")


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value)


def _as_dict(value: Mapping[str, Any] | None) -> dict[str, Any]:
    return dict(value) if value else {}


def _text():
    return field(default=None, validator=_optional(str))


def _date():
    return field(default=None, validator=_date_not_datetime)


def _int():
    return field(default=None, validator=_optional(int))


def _number():
    return field(default=None, validator=_optional((int, float)))


def _bool():
    return field(default=None, validator=_optional(bool))


def _enum(choices: tuple[str, ...]):
    return field(default=None, validator=_one_of(choices))


# ---------------------------------------------------------------------------
# Input records (one per workbook row; Cohort is one per workbook)


@frozen
class Record:
    """What every input record carries besides its fields (see the module docstring):
    plugin fields (``extra``), unknown columns (``unknown``) and unconvertible values
    (``invalid``). Keyword-only, so each record's own fields keep their positions."""

    extra: dict[str, Any] = field(factory=dict, converter=_as_dict, kw_only=True)
    unknown: dict[str, Any] = field(factory=dict, converter=_as_dict, kw_only=True)
    invalid: dict[str, Any] = field(factory=dict, converter=_as_dict, kw_only=True)


@frozen
class Cohort(Record):
    """One run of a programme: an edition, a yearly tour, a fiscal year's lectures."""

    programme: str = field(validator=_required_text)
    cohort_id: str = field(validator=_required_text)
    start_date: dt.date | None = _date()
    end_date: dt.date | None = _date()
    edition: int | None = _int()
    title: str | None = _text()
    theme: str | None = _text()
    status: str | None = _enum(COHORT_STATUSES)
    location: str | None = _text()
    funder: str | None = _text()
    notes: str | None = _text()
    #: outbound programmes: the country the participants go to (ISO 3166-1 alpha-2)
    destination_country: str | None = _text()

    @property
    def held(self) -> bool:
        """Does the cohort take place (it is not postponed or cancelled)?"""
        return self.status not in NOT_HELD


@frozen
class Participant(Record):
    """A person enrolled in a cohort (trainee, delegate, student)."""

    participant_id: str = field(validator=_required_text)
    family_name: str | None = _text()
    given_name: str | None = _text()
    native_name: str | None = _text()
    name_kanji: str | None = _text()
    name_kana: str | None = _text()
    gender: str | None = _enum(GENDERS)
    date_of_birth: dt.date | None = _date()
    nationality: str | None = _text()
    passport_number: str | None = _text()
    home_country: str | None = _text()
    home_region: str | None = _text()
    home_organisation: str | None = _text()
    organisation_type: str | None = _enum(ORGANISATION_TYPES)
    position: str | None = _text()
    position_level: str | None = _enum(POSITION_LEVELS)
    email: str | None = _text()
    english_level: str | None = _enum(CEFR_LEVELS)
    japanese_level: str | None = _enum(JLPT_LEVELS)
    host_id: str | None = _text()
    arrival_date: dt.date | None = _date()
    departure_date: dt.date | None = _date()
    status: str | None = _enum(PARTICIPANT_STATUSES)
    health_notes: str | None = _text()
    notes: str | None = _text()

    @property
    def taking_part(self) -> bool:
        """Is the participant still in the programme (not withdrawn or rejected)?"""
        return self.status not in NOT_TAKING_PART


@frozen
class HostBody(Record):
    """A body that hosts participants: a local government, a university, a company."""

    host_id: str = field(validator=_required_text)
    name: str | None = _text()
    name_ja: str | None = _text()
    kind: str | None = _enum(HOST_KINDS)
    prefecture: str | None = _text()
    country: str | None = _text()
    sister_cities: tuple[str, ...] = field(default=(), converter=_as_tuple)
    wishes: str | None = _text()
    wish_countries: tuple[str, ...] = field(default=(), converter=_as_tuple)
    wish_fields: tuple[str, ...] = field(default=(), converter=_as_tuple)
    capacity: int | None = _int()


@frozen
class Phase(Record):
    """A stretch of the programme (orientation, language training, placement).

    A phase without ``participant_id`` applies to everyone in the cohort.
    """

    phase_id: str = field(validator=_required_text)
    kind: str | None = _text()
    title: str | None = _text()
    start_date: dt.date | None = _date()
    end_date: dt.date | None = _date()
    location: str | None = _text()
    host_id: str | None = _text()
    participant_id: str | None = _text()


@frozen
class Activity(Record):
    """One session: a lecture, a site visit, a ceremony; ``attendance`` is a head count."""

    activity_id: str = field(validator=_required_text)
    kind: str | None = _text()
    date: dt.date | None = _date()
    title: str | None = _text()
    location: str | None = _text()
    lecturer: str | None = _text()
    attendance: int | None = _int()
    municipality: str | None = _text()
    theme: str | None = _text()


@frozen
class FollowUp(Record):
    """An event after the programme: a seminar, a feedback session, a reunion, a report due."""

    follow_up_id: str = field(validator=_required_text)
    kind: str | None = _text()
    date: dt.date | None = _date()
    location: str | None = _text()
    cohorts: tuple[str, ...] = field(default=(), converter=_as_tuple)


@frozen
class Attendance(Record):
    """Who took part in an activity or follow-up (one of the two ids is set)."""

    participant_id: str = field(validator=_required_text)
    activity_id: str | None = _text()
    follow_up_id: str | None = _text()
    attended: bool | None = _bool()
    reason: str | None = _text()
    report_submitted: bool | None = _bool()

    @property
    def attendance_id(self) -> str:
        """The row's identity: the event it records and the participant."""
        return f"{self.activity_id or self.follow_up_id or ''}/{self.participant_id}"


@frozen
class CostLine(Record):
    """An amount from the Costs sheet; who pays it is worked out by the programme."""

    cost_id: str = field(validator=_required_text)
    item: str | None = _enum(COST_ITEMS)
    amount: int | float | None = _number()
    currency: str | None = _text()
    participant_id: str | None = _text()
    host_id: str | None = _text()
    basis: str | None = _text()


# ---------------------------------------------------------------------------
# Results: what rules and planners produce


@frozen
class Finding:
    """One problem or observation, with where it is and whom it concerns.

    ``code`` is stable (``source.kebab-name``); ``message`` is for people and may change.
    ``message_ja`` is the same message in Japanese (``--lang ja``); without one, output in
    Japanese falls back to ``message``.
    """

    code: str
    severity: str = field(validator=_one_of(SEVERITIES))
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    subject: str | None = None
    source: str = "core"
    field_id: str | None = None
    message_ja: str | None = None

    def message_in(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en`` or ``ja``), falling back to English."""
        if lang == "ja" and self.message_ja:
            return self.message_ja
        return self.message

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON shape of ``kenshu validate --json``; ``message`` is in ``lang``."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message_in(lang),
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "subject": self.subject,
            "source": self.source,
        }


@frozen
class PlannedPhase:
    """A phase in the computed schedule; both ends inclusive; no participant = everyone."""

    phase_id: str
    kind: str
    start_date: dt.date
    end_date: dt.date
    participant_id: str | None = None
    location: str | None = None
    host_id: str | None = None
    title: str | None = None


def planned_from_given(phase: Phase) -> PlannedPhase:
    """A phase from the Phases sheet as it appears in the schedule (its dates must be set)."""
    return PlannedPhase(
        phase_id=phase.phase_id,
        kind=phase.kind or "phase",
        start_date=phase.start_date,
        end_date=phase.end_date,
        participant_id=phase.participant_id,
        location=phase.location,
        host_id=phase.host_id,
        title=phase.title,
    )


@frozen
class Group:
    """A set of participants put together by the programme (a language class)."""

    group_id: str
    kind: str
    participant_ids: tuple[str, ...] = field(converter=_as_tuple)
    explanation: str = ""


@frozen
class ChargedCost:
    """A cost line with who pays it, the reimbursement route and why."""

    item: str
    payer: str
    amount: int | float | None
    currency: str | None
    reimbursement: str | None = None
    participant_id: str | None = None
    host_id: str | None = None
    explanation: str = ""
    cost_id: str | None = None


@frozen
class PlannedFollowUp:
    """A follow-up, given or planned, with its due window and who is expected."""

    follow_up_id: str
    kind: str
    date: dt.date | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    location: str | None = None
    participant_ids: tuple[str, ...] = field(default=(), converter=_as_tuple)
    planned: bool = False


@frozen
class ReportSheet:
    """An extra sheet a plugin adds to the report: a title, a header and rows of values."""

    name: str
    header: tuple[str, ...] = field(converter=_as_tuple)
    rows: tuple[tuple[Any, ...], ...] = field(converter=lambda rows: tuple(tuple(r) for r in rows))
    key: str | None = None  # JSON key; defaults to a slug of the name


@frozen
class Programme:
    """A programme a plugin provides, registered through ``kenshu_register_programmes``.

    ``sheets`` lists the sheet ids the programme uses (the template writes them);
    ``required_sheets`` those it cannot do without (Cohort is always required);
    ``required_fields`` the optional core fields its rules need, as ``"sheet.field"``
    (``"participants.arrival_date"``): a missing value is then an error naming the cell.

    ``direction`` says where participants go: ``inbound`` (to Japan), ``outbound`` (from
    Japan to the Cohort's ``destination_country``; a participant's dates default to the
    cohort's, see :func:`kenshu.participants.participant_dates`) or ``local``.
    ``enrolled=False`` makes an *events* programme: its cohort is a series of events
    (Activities with a date, municipality, lecturer, theme and attendance) with an audience
    rather than enrolled participants, so the Participants sheet is neither written nor
    expected and the report totals events and attendance.
    """

    code: str = field(validator=_required_text)
    title: str = field(validator=_required_text)
    title_ja: str | None = None
    organiser: str | None = None
    direction: str = field(default="inbound", validator=_one_of(DIRECTIONS))
    description: str = ""
    sheets: tuple[str, ...] = field(
        default=("cohort", "participants", "hosts", "phases", "activities", "costs"),
        converter=_as_tuple,
    )
    required_sheets: tuple[str, ...] = field(default=("cohort",), converter=_as_tuple)
    required_fields: tuple[str, ...] = field(default=(), converter=_as_tuple)
    examples: tuple[str, ...] = field(default=(), converter=_as_tuple)
    plugin: str | None = None  # filled in by the plugin manager at registration
    enrolled: bool = field(default=True, validator=attrs.validators.instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.direction == "outbound":
            dated = {"participants.arrival_date", "participants.departure_date"}
            clash = sorted(dated & set(self.required_fields))
            if clash:
                raise ValueError(
                    f"programme {self.code}: an outbound programme cannot require {', '.join(clash)} "
                    "(a participant's dates default to the cohort's)"
                )
        if not self.enrolled:
            if "participants" in self.required_sheets:
                raise ValueError(
                    f"programme {self.code}: an events programme (enrolled=False) cannot "
                    "require the Participants sheet"
                )
            if any(f.startswith("participants.") for f in self.required_fields):
                raise ValueError(
                    f"programme {self.code}: an events programme (enrolled=False) cannot "
                    "require participant fields"
                )
