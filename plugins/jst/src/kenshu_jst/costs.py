"""Who pays: the participant (or their employer) pays international travel; CLAIR pays the
costs of staying in Japan. Each charged line says why."""

from __future__ import annotations

from collections.abc import Iterator

from kenshu import ChargedCost, CohortData, Finding, Settings

PARTICIPANT, CLAIR, UNASSIGNED = "participant", "CLAIR", "unassigned"


def charge(
    data: CohortData, settings: Settings, *, findings_only: bool = False
) -> Iterator[ChargedCost | Finding]:
    own, clair = settings["participant_paid_items"], settings["clair_paid_items"]
    for line in data.costs:
        item = line.item or "other"
        person = data.participant(line.participant_id)
        employer = person.home_organisation if person and person.home_organisation else None
        if item in own:
            payer = PARTICIPANT
            why = (
                f"{item} is international travel, which the participant "
                + (f"(or their employer, {employer}) " if employer else "(or their employer) ")
                + "pays (setting participant_paid_items)"
            )
        elif item in clair:
            payer = CLAIR
            why = (
                f"{item} is a cost of staying in Japan, which CLAIR pays (setting clair_paid_items)"
            )
        else:
            payer = UNASSIGNED
            why = f"{item} is neither international travel nor a cost of staying in Japan"
            yield data.warning(
                "jst.cost-unassigned",
                f"cost {line.cost_id}: no rule says who pays {item} (participants pay "
                f"{', '.join(own)}; CLAIR pays {', '.join(clair)})",
                ja=f"費用{line.cost_id}: {item}の負担者を決める規則がありません(参加者負担: "
                f"{'、'.join(own)}、CLAIR負担: {'、'.join(clair)})",
                record=line,
                field="item",
            )
        if findings_only:
            continue
        yield ChargedCost(
            item=item,
            payer=payer,
            amount=line.amount,
            currency=line.currency,
            participant_id=line.participant_id,
            host_id=line.host_id,
            explanation=why,
            cost_id=line.cost_id,
        )
