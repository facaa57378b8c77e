"""Who pays: the host bears the trainee's costs and is reimbursed through the local
allocation tax, ordinary for prefectures and special for designated cities and
municipalities."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kenshu import ChargedCost, CohortData, CostLine, Finding, Settings

ORDINARY = "ordinary_local_allocation_tax"
SPECIAL = "special_local_allocation_tax"


def route_for(kind: str | None, settings: Settings) -> str | None:
    """The reimbursement route for a host kind, or None when no rule covers it."""
    if kind in settings["ordinary_lat_host_kinds"]:
        return ORDINARY
    if kind in settings["special_lat_host_kinds"]:
        return SPECIAL
    return None


def _host_id(data: CohortData, line: CostLine) -> str | None:
    """The host of a cost line: its own, else its participant's."""
    if line.host_id:
        return line.host_id
    trainee = data.participant(line.participant_id)
    return trainee.host_id if trainee else None


def _base(line: CostLine, host_id: str | None) -> dict[str, Any]:
    """What a cost line's :class:`ChargedCost` repeats of the line."""
    return {
        "item": line.item or "other",
        "amount": line.amount,
        "currency": line.currency,
        "participant_id": line.participant_id,
        "host_id": host_id,
        "cost_id": line.cost_id,
    }


def charge(
    data: CohortData, settings: Settings, *, findings_only: bool = False
) -> Iterator[ChargedCost | Finding]:
    """Who pays each cost line, and warnings for the lines no rule assigns
    (``findings_only``: only the warnings, as validation needs, without the costs)."""
    borne = settings["host_borne_items"]
    borne_text = ", ".join(borne)
    if findings_only:  # what data.host and data.participant say, looked up in line
        known_hosts = {h.host_id for h in data.hosts}
        host_of_trainee = {p.participant_id: p.host_id for p in data.participants}
    for line in data.costs:
        if findings_only and line.item in borne:  # the commonest line: is a host known?
            host_id = line.host_id or (
                None if line.participant_id is None else host_of_trainee.get(line.participant_id)
            )
            if host_id is not None and host_id in known_hosts:
                continue
        item = line.item or "other"
        if line.item not in borne:
            if not findings_only:
                yield ChargedCost(
                    payer="unassigned",
                    explanation=f"{item} is not among the costs LGOTP hosts bear "
                    f"({borne_text}); agree who pays it",
                    **_base(line, _host_id(data, line)),
                )
            yield data.warning(
                "lgotp.cost-unassigned",
                f"no LGOTP rule says who pays {item} (host_borne_items: {borne_text})",
                ja=f"費目「{item}」の負担者を定めた規定がありません"
                f"(受入団体の負担となる費目: {borne_text})。負担者を決めてください",
                record=line,
                field="item",
            )
            continue
        host_id = _host_id(data, line)
        host = data.host(host_id)
        if host is None:
            if not findings_only:
                yield ChargedCost(
                    payer="unassigned",
                    explanation="the host bears this cost, but no host is known for the line "
                    "(give host_id, or a participant placed with a host)",
                    **_base(line, host_id),
                )
            yield data.warning(
                "lgotp.cost-without-host",
                f"cost {line.cost_id}: no host to bear it",
                ja=f"費用{line.cost_id}: 負担する受入団体がわかりません(受入団体IDか、"
                "受入団体に配属された参加者を指定してください)",
                record=line,
                field="host_id",
            )
            continue
        if findings_only:
            continue
        base = _base(line, host_id)
        route = route_for(host.kind, settings)
        name = host.name or host.host_id
        if route is None:
            why = f"{host.kind or 'unknown kind'} has no reimbursement route under LGOTP"
        elif route == ORDINARY:
            why = "prefectures are reimbursed through the ordinary local allocation tax"
        else:
            why = "designated cities and municipalities are reimbursed through the special local allocation tax"
        yield ChargedCost(
            payer=host.host_id,
            reimbursement=route,
            explanation=f"{base['item']} is borne by the host, {name} ({host.kind or 'kind not given'}), "
            f"as LGOTP hosts bear {borne_text}; {why}",
            **base,
        )
