"""Placement: hosts' kinds, sister-city nominations, capacity and wishes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from kenshu import CohortData, Finding, HostBody, ReportSheet, Settings


def check(data: CohortData, settings: Settings) -> Iterator[Finding]:
    kinds = settings["host_kinds"]
    for host in data.hosts:
        if host.kind is not None and host.kind not in kinds:
            yield data.error(
                "lgotp.host-kind",
                f"host kind {host.kind!r} cannot host LGOTP trainees (rule: {', '.join(kinds)})",
                ja=f"受入団体の種別「{host.kind}」は研修員を受け入れられません"
                f"(要件: 受入団体の種別は {', '.join(kinds)} のいずれか)",
                record=host,
                field="kind",
            )
    placed = Counter(p.host_id for p in data.participants if p.host_id and p.taking_part)
    # the hosts placed over capacity, worked out once per host rather than per participant
    over: dict[str, HostBody] = {}
    for host_id in {p.host_id for p in data.participants if p.host_id is not None}:
        host = data.host(host_id)
        if host is not None and host.capacity is not None and placed[host.host_id] > host.capacity:
            over[host_id] = host
    for p in data.participants:
        nominator = p.extra.get("nominated_by_host")
        if nominator and p.host_id and nominator != p.host_id:
            yield data.warning(
                "lgotp.placed-away-from-nominator",
                f"nominated by host {nominator} but placed with {p.host_id}",
                ja=f"受入団体{nominator}の指名ですが、{p.host_id}に配属されています",
                record=p,
                field="host_id",
            )
        host = over.get(p.host_id) if p.host_id is not None else None
        if host is not None:
            yield data.warning(
                "lgotp.host-over-capacity",
                f"host {host.host_id} takes {placed[host.host_id]} trainees, over its capacity of {host.capacity}",
                ja=f"受入団体{host.host_id}の研修員が{placed[host.host_id]}人となり、"
                f"受入可能人数({host.capacity}人)を超えています",
                record=p,
                field="host_id",
            )


def wishes_sheet(data: CohortData) -> ReportSheet:
    """Which placements honour a host's wish (nomination, country, field)."""
    rows = []
    for p in data.participants:
        if not p.taking_part:
            continue
        host = data.host(p.host_id)
        if host is None:
            continue
        nominated = p.extra.get("nominated_by_host")
        country = p.home_country or p.nationality
        field = p.extra.get("field_of_training")
        honoured = []
        if nominated == host.host_id:
            honoured.append("nomination")
        if host.wish_countries and country in host.wish_countries:
            honoured.append("country")
        if (
            host.wish_fields
            and field
            and any(field.casefold() == w.casefold() for w in host.wish_fields)
        ):
            honoured.append("field")
        rows.append(
            (
                p.participant_id,
                host.host_id,
                host.name,
                nominated,
                country,
                field,
                "; ".join(honoured) or "none",
            )
        )
    return ReportSheet(
        name="Placements",
        header=(
            "participant_id",
            "host_id",
            "host",
            "nominated_by_host",
            "country",
            "field_of_training",
            "wishes_honoured",
        ),
        rows=rows,
        key="placements",
    )
