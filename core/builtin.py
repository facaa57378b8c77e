"""kenshu's own structure checks, registered as the plugin ``core`` through the same hooks
as every other plugin (it owns no programme, so it answers for all of them).

All checks here are linear in the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from typing import Any

import pluggy
from kenshu.catalogue import SHEETS_BY_ID
from kenshu.dataset import TABLE_SHEETS, CohortData, key_getter
from kenshu.hookspecs import PROJECT
from kenshu.model import Finding, Participant, Programme
from kenshu.participants import is_outbound, participant_dates
from kenshu.settings import Settings

hookimpl = pluggy.HookimplMarker(PROJECT)

#: (sheet, field) -> the sheet its value must be an id of.
REFERENCES = (
    ("participants", "host_id", "hosts"),
    ("phases", "host_id", "hosts"),
    ("phases", "participant_id", "participants"),
    ("costs", "participant_id", "participants"),
    ("costs", "host_id", "hosts"),
    ("attendance", "participant_id", "participants"),
    ("attendance", "activity_id", "activities"),
    ("attendance", "follow_up_id", "follow_ups"),
)
DATE_RANGES = (
    ("participants", "arrival_date", "departure_date"),
    ("phases", "start_date", "end_date"),
)
_LABELS_JA = {
    "arrival_date": "到着日",
    "departure_date": "出発日",
    "start_date": "開始日",
    "end_date": "終了日",
}


@hookimpl
def kenshu_check_cohort(
    programme: Programme | None, data: CohortData, settings: Settings
) -> Iterator[Finding]:
    yield from _programme_known(programme, data)
    yield from _cohort_dates(data)
    yield from _required_sheets(programme, data)
    yield from _duplicate_ids(data)
    yield from _references(data)
    yield from _date_ranges(data, programme)
    yield from _outbound(programme, data)
    yield from _events(programme, data)


@hookimpl
def kenshu_check_participant(participant: Participant, data: CohortData) -> None:
    """Nothing of one participant alone: core's checks are of the whole cohort (None is
    the quickest answer to give, once per participant)."""
    return None


def _programme_known(programme: Programme | None, data: CohortData) -> Iterator[Finding]:
    code = data.programme_code
    if code and programme is None:
        yield data.error(
            "core.unknown-programme",
            f"no installed plugin provides programme {code!r}; see `kenshu programmes` and "
            f"install its plugin (e.g. pip install kenshu-{code.replace('_', '-')}); only the "
            "core checks ran",
            ja=f"プログラム「{code}」を提供するプラグインがインストールされていません。"
            f"`kenshu programmes` で確認し、プラグインをインストールしてください"
            f"(例: pip install kenshu-{code.replace('_', '-')})。今回は共通のチェックのみ行いました",
            record=data.cohort,
            field="programme",
        )


def _cohort_dates(data: CohortData) -> Iterator[Finding]:
    cohort = data.cohort
    if cohort is None:
        return
    for field_id in ("start_date", "end_date"):
        if getattr(cohort, field_id) is None and field_id not in cohort.invalid:
            label = "Start date" if field_id == "start_date" else "End date"
            label_ja = "開始日" if field_id == "start_date" else "終了日"
            yield data.error(
                "core.missing-required",
                f"the Cohort's {label} ({field_id}) is required",
                ja=f"コホートの{label_ja}({field_id})は必須項目です。入力してください",
                record=cohort,
                field=field_id,
            )
    if cohort.start_date and cohort.end_date and cohort.end_date < cohort.start_date:
        yield data.error(
            "core.dates-reversed",
            f"the Cohort ends ({cohort.end_date}) before it starts ({cohort.start_date})",
            ja=f"コホートの終了日({cohort.end_date})が開始日({cohort.start_date})より前になっています",
            record=cohort,
            field="end_date",
        )


def _required_sheets(programme: Programme | None, data: CohortData) -> Iterator[Finding]:
    if programme is None:
        return
    for sheet_id in programme.required_sheets:
        if sheet_id == "cohort" or sheet_id in data.layouts:
            continue
        if data.records(sheet_id):
            continue  # from JSON: no layout, but records
        spec = SHEETS_BY_ID[sheet_id]
        yield data.error(
            "core.missing-sheet",
            f"programme {programme.code} needs a {spec.label} sheet ({spec.label_ja})",
            ja=f"プログラム{programme.code}には「{spec.label_ja}」シート({spec.label})が必要です",
            sheet=sheet_id,
        )


def required_fields(data: CohortData, schema: Any) -> Iterator[Finding]:
    """Missing values of required fields (core ids and those the programme requires)."""
    for sheet_id in TABLE_SHEETS:
        records = data.records(sheet_id)
        if not records:
            continue
        key = SHEETS_BY_ID[sheet_id].key
        wanted = [
            f for f in schema.fields[sheet_id] if f.id != key and schema.required(sheet_id, f.id)
        ]
        if sheet_id == "attendance":
            wanted = [f for f in wanted if f.id != "participant_id"]
        for f in wanted:
            core = f.source == "core"
            for record in records:
                value = getattr(record, f.id, None) if core else record.extra.get(f.id)
                if value is None and f.id not in record.invalid:
                    yield data.error(
                        "core.missing-required",
                        f"{f.label} ({f.id}) is required",
                        ja=f"{f.label_ja or f.label}({f.id})は必須項目です。入力してください",
                        record=record,
                        field=f.id,
                    )


def _duplicate_ids(data: CohortData) -> Iterator[Finding]:
    for sheet_id in TABLE_SHEETS:
        records = data.records(sheet_id)
        ident_of = key_getter(sheet_id)  # record_key(sheet_id, ...), looked up once
        idents = list(map(ident_of, records))
        given = len(idents) - idents.count(None)
        if len(set(idents)) - (given < len(idents)) == given:
            continue  # every id once (the usual case): no need to look at each record
        seen: dict[str, Any] = {}
        key = SHEETS_BY_ID[sheet_id].key
        for record, ident in zip(records, idents, strict=True):
            if ident is None:
                continue
            if ident in seen:
                first = data.location(seen[ident], key)
                where = f"row {first[1]}" if first[1] else "an earlier record"
                where_ja = f"{first[1]}行目" if first[1] else "前のデータ"
                yield data.error(
                    "core.duplicate-id",
                    f"{SHEETS_BY_ID[sheet_id].label}: id {ident!r} appears again (first at {where})",
                    ja=f"{SHEETS_BY_ID[sheet_id].label_ja}: ID「{ident}」が重複しています"
                    f"(最初は{where_ja})",
                    record=record,
                    field=key or "participant_id",
                )
            else:
                seen[ident] = record


def _references(data: CohortData) -> Iterator[Finding]:
    known = {
        "hosts": {h.host_id for h in data.hosts},
        "participants": {p.participant_id for p in data.participants},
        "activities": {a.activity_id for a in data.activities},
        "follow_ups": {f.follow_up_id for f in data.follow_ups},
    }
    for sheet_id, field_id, target in REFERENCES:
        records = data.records(sheet_id)
        values = list(map(attrgetter(field_id), records))
        unknown = set(values) - known[target]
        unknown.discard(None)
        if not unknown:
            continue  # every reference known (the usual case): no need to look at each
        target_label = SHEETS_BY_ID[target].label
        target_label_ja = SHEETS_BY_ID[target].label_ja
        for record, value in zip(records, values, strict=True):
            if value in unknown:
                yield data.error(
                    "core.unknown-reference",
                    f"{field_id} {value!r} is not on the {target_label} sheet",
                    ja=f"{field_id}「{value}」が「{target_label_ja}」シートにありません",
                    record=record,
                    field=field_id,
                    subject=value if target == "participants" else None,
                )


def _date_ranges(data: CohortData, programme: Programme | None = None) -> Iterator[Finding]:
    for sheet_id, start_field, end_field in DATE_RANGES:
        for record in data.records(sheet_id):
            start, end = getattr(record, start_field), getattr(record, end_field)
            if sheet_id == "participants" and (start is None) != (end is None):
                # one date given: compare what the rules will use (for an outbound
                # programme the other is the cohort's)
                dates = participant_dates(programme, data, record)
                start, end = dates.start, dates.end
            if start is not None and end is not None and end < start:
                yield data.error(
                    "core.dates-reversed",
                    f"{end_field} {end} is before {start_field} {start}",
                    ja=f"{_LABELS_JA.get(end_field, end_field)}({end})が"
                    f"{_LABELS_JA.get(start_field, start_field)}({start})より前になっています",
                    record=record,
                    field=end_field,
                )


def _outbound(programme: Programme | None, data: CohortData) -> Iterator[Finding]:
    """An outbound programme's cohort says where participants go."""
    cohort = data.cohort
    if not is_outbound(programme) or cohort is None:
        return
    if cohort.destination_country is None and "destination_country" not in cohort.invalid:
        yield data.error(
            "core.missing-destination",
            f"programme {programme.code} sends participants abroad: the Cohort's Destination "
            "country (destination_country) is required",
            ja=f"プログラム{programme.code}は海外派遣型です。コホートの派遣先国"
            "(destination_country)を入力してください",
            record=cohort,
            field="destination_country",
        )


def _events(programme: Programme | None, data: CohortData) -> Iterator[Finding]:
    """An events programme (``enrolled=False``) has an audience, not participants; its
    events fall within the cohort's period."""
    if programme is None or programme.enrolled or data.cohort is None:
        return
    if data.participants:
        yield data.warning(
            "core.participants-not-enrolled",
            f"programme {programme.code} is a series of events with an audience, not enrolled "
            f"participants: the {len(data.participants)} row(s) of the Participants sheet are "
            "kept but not checked or reported",
            ja=f"プログラム{programme.code}は参加者を登録しない催し型です。参加者シートの"
            f"{len(data.participants)}行は保持しますが、チェックや報告の対象になりません",
            sheet="participants",
        )
    cohort = data.cohort
    if cohort.start_date is None or cohort.end_date is None:
        return
    for activity in data.activities:
        day = activity.date
        if day is not None and not cohort.start_date <= day <= cohort.end_date:
            yield data.warning(
                "core.event-outside-cohort",
                f"the event on {day} falls outside the cohort's period "
                f"{cohort.start_date} to {cohort.end_date}",
                ja=f"{day}の催しがコホートの期間({cohort.start_date}〜{cohort.end_date})の外に"
                "あります",
                record=activity,
                field="date",
            )
