"""A cohort workbook as records: the object every rule and planner receives.

:class:`CohortData` holds the records of each sheet, the unknown sheets (kept verbatim),
the Settings-sheet overrides, and where each record came from, so that a rule can name the
cell it is talking about with ``data.finding(...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from operator import attrgetter
from typing import Any

from attrs import define, field
from kenshu.catalogue import SHEETS_BY_ID
from kenshu.model import (
    Activity,
    Attendance,
    Cohort,
    CostLine,
    Finding,
    FollowUp,
    HostBody,
    Participant,
    Phase,
)
from kenshu.workbook.cells import column_letter

#: Sheet id -> the attribute of CohortData that holds its records.
TABLE_SHEETS = (
    "participants",
    "hosts",
    "phases",
    "activities",
    "follow_ups",
    "attendance",
    "costs",
)


@define
class RawSheet:
    """A sheet kenshu does not know, kept cell for cell so that it is written back."""

    name: str
    rows: list[list[Any]] = field(factory=list)
    hidden: bool = False


@define
class SheetLayout:
    """Where a sheet was found: its name, header row and the column of each field."""

    name: str
    header_row: int | None = None  # 1-based; None for the form-layout Cohort sheet
    columns: dict[str, int] = field(factory=dict)  # field id -> 1-based column
    unknown: dict[str, int] = field(factory=dict)  # unknown column header -> 1-based column


@define
class CohortData:
    """The records of one cohort workbook (or JSON file)."""

    cohort: Cohort | None = None
    participants: list[Participant] = field(factory=list)
    hosts: list[HostBody] = field(factory=list)
    phases: list[Phase] = field(factory=list)
    activities: list[Activity] = field(factory=list)
    follow_ups: list[FollowUp] = field(factory=list)
    attendance: list[Attendance] = field(factory=list)
    costs: list[CostLine] = field(factory=list)
    settings: dict[str, Any] = field(factory=dict)  # overrides from the Settings sheet
    unknown_sheets: list[RawSheet] = field(factory=list)
    #: column headers of unknown columns per sheet id, in their original order
    unknown_columns: dict[str, list[str]] = field(factory=dict)
    #: rows that lack their id, by sheet id: {field id or header: value}; written back on export
    unkeyed_rows: dict[str, list[dict[str, Any]]] = field(factory=dict)
    #: the Cohort sheet's values when it lacks programme or cohort_id (so no Cohort record)
    cohort_fallback: dict[str, Any] = field(factory=dict)
    settings_rows: dict[str, int] = field(factory=dict)  # setting id -> row of the Settings sheet
    #: rows above a sheet's header (titles, notes), by sheet id: [(row number, cells)]
    preambles: dict[str, list[tuple[int, list[Any]]]] = field(factory=dict)
    path: str | None = None
    metadata: dict[str, Any] = field(factory=dict)  # the _kenshu sheet, when present
    layouts: dict[str, SheetLayout] = field(factory=dict)
    #: id(record) -> (sheet id, 1-based row); for the Cohort, field id -> row
    _rows: dict[int, tuple[str, int]] = field(factory=dict, repr=False)
    _cohort_rows: dict[str, int] = field(factory=dict, repr=False)
    _hosts_by_id: dict[str, HostBody] | None = field(default=None, repr=False)
    _participants_by_id: dict[str, Participant] | None = field(default=None, repr=False)
    #: the plugin whose hook is running (set by the plugin registry while it calls one):
    #: :meth:`finding` gives it as the ``source`` of findings left at ``"core"``
    answering: str = field(default="core", init=False, repr=False, eq=False)

    # -- look-ups -------------------------------------------------------------

    @property
    def programme_code(self) -> str | None:
        """The programme: from the metadata sheet, else the Cohort sheet."""
        return self.metadata.get("programme") or (self.cohort.programme if self.cohort else None)

    def records(self, sheet: str) -> list[Any]:
        """The records of a table sheet by its id (``"participants"``...)."""
        return getattr(self, sheet)

    def records_changed(self) -> None:
        """Say that participants or hosts were added, removed or replaced after a look-up,
        so that :meth:`host` and :meth:`participant` see the records as they are now."""
        self._hosts_by_id = None
        self._participants_by_id = None

    def host(self, host_id: str | None) -> HostBody | None:
        """The host with this id, or None."""
        if host_id is None:
            return None
        if self._hosts_by_id is None:
            self._hosts_by_id = {h.host_id: h for h in self.hosts}
        return self._hosts_by_id.get(host_id)

    def taking_part(self) -> list[Participant]:
        """The participants still in the programme (not withdrawn or rejected), in order."""
        return [p for p in self.participants if p.taking_part]

    def participant(self, participant_id: str | None) -> Participant | None:
        """The participant with this id, or None."""
        if participant_id is None:
            return None
        if self._participants_by_id is None:
            self._participants_by_id = {p.participant_id: p for p in self.participants}
        return self._participants_by_id.get(participant_id)

    def all_records(self) -> Iterator[tuple[str, Any]]:
        """Every table record with its sheet id."""
        for sheet in TABLE_SHEETS:
            for record in getattr(self, sheet):
                yield sheet, record

    # -- positions and findings ----------------------------------------------

    def remember_row(self, record: Any, sheet: str, row: int) -> None:
        """Record that ``record`` was read from ``row`` of ``sheet`` (used by readers)."""
        self._rows[id(record)] = (sheet, row)

    def remember_cohort_row(self, field_id: str, row: int) -> None:
        self._cohort_rows[field_id] = row

    def location(self, record: Any = None, field_id: str | None = None, sheet: str | None = None):
        """``(sheet name, row, column letter, cell)`` for a record's field, as far as known."""
        if record is not None and isinstance(record, Cohort):
            sheet = "cohort"
        elif record is not None and id(record) in self._rows:
            sheet = self._rows[id(record)][0]
        layout = self.layouts.get(sheet) if sheet else None
        sheet_name = layout.name if layout else _default_sheet_name(sheet)
        row: int | None = None
        column: str | None = None
        if sheet == "cohort":
            if field_id is not None and field_id in self._cohort_rows:
                row = self._cohort_rows[field_id]
                column = column_letter(layout.columns.get("value", 2)) if layout else "B"
        elif record is not None and id(record) in self._rows:
            row = self._rows[id(record)][1]
            if layout and field_id in layout.columns:
                column = column_letter(layout.columns[field_id])
        elif layout and field_id in layout.columns and layout.header_row:
            column = column_letter(layout.columns[field_id])
        cell = f"{column}{row}" if column and row else None
        return sheet_name, row, column, cell

    def finding(
        self,
        code: str,
        severity: str,
        message: str,
        *,
        record: Any = None,
        field: str | None = None,
        sheet: str | None = None,
        subject: str | None = None,
        source: str = "core",
        ja: str | None = None,
    ) -> Finding:
        """Build a :class:`Finding` that names the sheet, row, column and cell of ``field``.

        ``subject`` defaults to the record's own id (participant, host, phase...) or, for the
        Cohort, its ``cohort_id``. ``source`` left at ``"core"`` becomes the name of the plugin
        whose hook is running (:attr:`answering`).
        ``ja`` is the message in Japanese, shown with ``--lang ja`` (give one for every
        finding: the contract suite checks it).
        """
        sheet_name, row, column, cell = self.location(record, field, sheet)
        if subject is None and record is not None:
            subject = record_id(record)
        return Finding(
            code=code,
            severity=severity,
            message=message,
            sheet=sheet_name,
            row=row,
            column=column,
            cell=cell,
            subject=subject,
            source=self.answering if source == "core" else source,
            field_id=field,
            message_ja=ja,
        )

    def error(self, code: str, message: str, **where: Any) -> Finding:
        """Shorthand for ``finding(code, "error", message, ...)``."""
        return self.finding(code, "error", message, **where)

    def warning(self, code: str, message: str, **where: Any) -> Finding:
        """Shorthand for ``finding(code, "warning", message, ...)``."""
        return self.finding(code, "warning", message, **where)

    def info(self, code: str, message: str, **where: Any) -> Finding:
        """Shorthand for ``finding(code, "info", message, ...)``."""
        return self.finding(code, "info", message, **where)

    # -- convenience ----------------------------------------------------------

    def value(self, record: Any, field_id: str) -> Any:
        """A field's value, core or plugin-contributed (``extra``)."""
        if field_id in record.extra:
            return record.extra[field_id]
        return getattr(record, field_id, None)


_ID_FIELD_BY_TYPE: dict[type, str] = {
    Participant: "participant_id",
    HostBody: "host_id",
    Phase: "phase_id",
    Activity: "activity_id",
    FollowUp: "follow_up_id",
    CostLine: "cost_id",
    Attendance: "participant_id",
    Cohort: "cohort_id",
}


def record_key(sheet_id: str, record: Any) -> str:
    """The id that identifies a row of ``sheet_id``, within a file and across files: its
    key field, or for Attendance the event and the participant together."""
    return key_getter(sheet_id)(record)


@cache
def key_getter(sheet_id: str) -> Callable[[Any], str]:
    """:func:`record_key` for the rows of one sheet, to apply to each of many rows."""
    if sheet_id == "attendance":
        return attrgetter("attendance_id")
    return attrgetter(SHEETS_BY_ID[sheet_id].key)


def record_id(record: Any) -> str | None:
    """The id that identifies a record in findings (``subject``): its own key field."""
    name = _ID_FIELD_BY_TYPE.get(type(record))
    return getattr(record, name, None) if name else None


def _default_sheet_name(sheet: str | None) -> str | None:
    if sheet is None:
        return None
    spec = SHEETS_BY_ID.get(sheet)
    return spec.label if spec else sheet


def inclusive_days(start: dt.date, end: dt.date) -> int:
    """Days from ``start`` to ``end``, both counted: 12 May to 8 June is 28."""
    return (end - start).days + 1
