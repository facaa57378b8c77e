"""Who pays: by default the Japanese implementing side pays international travel,
accommodation, the programme (with its travel in Japan) and the per diem in Japan; both the
payer and the items are settings, and every line says why."""

from __future__ import annotations

from collections.abc import Iterator

from kenshu import ChargedCost, CohortData, Finding, Settings


def charge(
    data: CohortData, settings: Settings, *, findings_only: bool = False
) -> Iterator[ChargedCost | Finding]:
    """A charged cost per Costs line (``findings_only``: only the warnings, for validation)."""
    payer, items = settings["payer"], settings["payer_items"]
    for line in data.costs:
        item = line.item or "other"
        assigned = item in items
        if not assigned:
            yield data.warning(
                "leaders_vietnam.cost-unassigned",
                f"no rule says who pays {item} (payer_items, borne by the {payer}: "
                f"{', '.join(items)})",
                ja=f"費目「{item}」の負担者を定めた規定がありません(payer_itemsとして"
                f"{payer}が負担する費目: {', '.join(items)})。負担者を決めてください",
                record=line,
                field="item",
            )
        if findings_only:
            continue
        whom = f"participant {line.participant_id}" if line.participant_id else "the whole cohort"
        if assigned:
            why = (
                f"{item} for {whom} is paid by the {payer.replace('_', ' ')}, which bears "
                f"{', '.join(items)} (setting payer_items)"
            )
        else:
            why = (
                f"{item} for {whom} is not among the items the {payer.replace('_', ' ')} bears "
                f"({', '.join(items)}); agree who pays it"
            )
        yield ChargedCost(
            item=item,
            payer=payer if assigned else "unassigned",
            amount=line.amount,
            currency=line.currency,
            participant_id=line.participant_id,
            host_id=line.host_id,
            explanation=why,
            cost_id=line.cost_id,
        )
