"""The report in the programme's words: participants by province and centrally run city."""

from __future__ import annotations

from collections import Counter, defaultdict

from kenshu import CohortData, ReportSheet, Settings

from kenshu_leaders_vietnam import provinces
from kenshu_leaders_vietnam.eligibility import region_of


def units_of(data: CohortData, settings: Settings) -> tuple[dict, list[str]]:
    """Participants by the unit they count for ({Unit: [ids]}), and those with none."""
    by_unit: dict[provinces.Unit, list[str]] = defaultdict(list)
    unplaced = []
    for p in data.taking_part():
        match = region_of(data, p, settings)
        if match is not None and match.status in ("ok", "superseded") and match.unit:
            by_unit[match.unit].append(p.participant_id)
        else:
            unplaced.append(p.participant_id)
    return by_unit, unplaced


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def sentence(data: CohortData, settings: Settings, lang: str = "en") -> str:
    """'16 participants from 11 provinces and 3 central cities', in English or Japanese."""
    by_unit, unplaced = units_of(data, settings)
    kinds = Counter(unit.kind for unit in by_unit)
    total = len(data.taking_part())
    prov, city = kinds[provinces.PROVINCE], kinds[provinces.CENTRAL_CITY]
    if lang == "ja":
        text = f"参加者{total}人({prov}省・{city}中央直轄市から)"
        if unplaced:
            text += f"。うち{len(unplaced)}人は出身地域が省・中央直轄市として確認できません"
        return text + "。"
    text = (
        f"{_plural(total, 'participant')} from {_plural(prov, 'province')} "
        f"and {_plural(city, 'central city', 'central cities')}"
    )
    if unplaced:
        text += (
            f" ({len(unplaced)} whose home region is not a provincial-level unit: "
            f"{', '.join(unplaced)})"
        )
    return text + "."


def sheet(data: CohortData, settings: Settings, lang: str = "en") -> ReportSheet:
    """Counts by unit: central cities first, then provinces, by name; unplaced last."""
    by_unit, unplaced = units_of(data, settings)
    order = sorted(by_unit, key=lambda u: (u.kind != provinces.CENTRAL_CITY, u.name))
    rows = [(u.name, u.kind, u.code, len(by_unit[u]), "; ".join(by_unit[u])) for u in order]
    if unplaced:
        rows.append(
            ("(not a provincial-level unit)", None, None, len(unplaced), "; ".join(unplaced))
        )
    return ReportSheet(
        name="省・中央直轄市" if lang == "ja" else "Provinces",
        header=("unit", "kind", "gso_code", "participants", "participant_ids"),
        rows=rows,
        key="provinces",
    )
