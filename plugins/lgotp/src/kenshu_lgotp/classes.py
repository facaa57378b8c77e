"""JIAM Japanese classes: by placement-test score, 6-8 people a class.

Rule: the fewest classes with every size within the bounds, sizes as even as possible;
where no such split exists, the split with the least total distance outside the bounds,
ties to fewer classes, with a warning. Larger classes come first (highest scores).
"""

from __future__ import annotations

from collections.abc import Iterator

from kenshu import CohortData, Finding, Group, Participant, Settings


def even_sizes(total: int, classes: int) -> list[int]:
    """``total`` split into ``classes`` sizes as even as possible, larger first."""
    base, extra = divmod(total, classes)
    return [base + 1] * extra + [base] * (classes - extra)


def distance(sizes: list[int], low: int, high: int) -> int:
    """How far the sizes fall outside ``low``..``high``, all classes together."""
    return sum(max(low - s, 0) + max(s - high, 0) for s in sizes)


def _even_distance(total: int, classes: int, low: int, high: int) -> int:
    """``distance(even_sizes(total, classes))`` in constant time."""
    base, extra = divmod(total, classes)

    def outside(size: int) -> int:
        return max(low - size, 0) + max(size - high, 0)

    return extra * outside(base + 1) + (classes - extra) * outside(base)


def split_sizes(total: int, low: int = 6, high: int = 8) -> tuple[list[int], bool]:
    """Class sizes for ``total`` people, and whether every size is within the bounds.

    Linear in ``total / low`` (each candidate number of classes costs constant time).
    """
    if total <= 0:
        return [], True
    best_classes, best_distance = 1, _even_distance(total, 1, low, high)
    classes = 1
    while best_distance and classes < total:
        classes += 1
        gap = _even_distance(total, classes, low, high)
        if gap < best_distance:
            best_classes, best_distance = classes, gap
        if classes * low > total:
            # from here every class is below the minimum; more classes only add distance
            break
    return even_sizes(total, best_classes), best_distance == 0


def ranked(participants: list[Participant]) -> list[Participant]:
    """Highest score first; ties broken by participant id (deterministic)."""
    scored = [p for p in participants if p.extra.get("placement_test_score") is not None]
    return sorted(scored, key=lambda p: (-p.extra["placement_test_score"], p.participant_id))


def group(
    data: CohortData, settings: Settings, *, findings_only: bool = False
) -> Iterator[Group | Finding]:
    """The JIAM classes, and warnings for trainees without a score and for classes out of
    bounds (``findings_only``: only the warnings, as validation needs, without ranking)."""
    low, high = settings["class_min_size"], settings["class_max_size"]
    active = data.taking_part()
    scored = 0  # the trainees with a score, who are placed in classes
    for p in active:
        if p.extra.get("placement_test_score") is None:
            yield data.warning(
                "lgotp.no-placement-score",
                "no placement test score: not placed in a JIAM class",
                ja="日本語クラス分けテストの得点がないため、JIAMのクラスに割り当てていません",
                record=p,
                field="placement_test_score",
            )
        else:
            scored += 1
    sizes, within = split_sizes(scored, low, high)
    plan = "+".join(map(str, sizes))
    if within:
        why = (
            f"{scored} trainees in {len(sizes)} class(es) of {plan}: the fewest classes with "
            f"every size within {low}-{high}, as even as possible"
        )
    else:
        why = (
            f"{scored} trainees cannot be split into classes of {low}-{high}; {plan} is the "
            "split closest to the rule (fewest classes on a tie)"
        )
        yield data.warning(
            "lgotp.class-size",
            f"JIAM classes {plan} fall outside {low}-{high} people a class ({scored} trainees)",
            ja=f"JIAMのクラス編成({plan}人)が1クラス{low}〜{high}人の範囲に収まりません"
            f"(研修員{scored}人)",
            sheet="participants",
        )
    if findings_only:
        return
    order = ranked(active)  # the `scored` trainees, highest score first
    start = 0
    for number, size in enumerate(sizes, start=1):
        members = order[start : start + size]
        start += size
        top = members[0].extra["placement_test_score"]
        bottom = members[-1].extra["placement_test_score"]
        yield Group(
            group_id=f"jiam-class-{number}",
            kind="jiam_class",
            participant_ids=tuple(p.participant_id for p in members),
            explanation=f"class {number} of {len(sizes)}, placement scores {top}-{bottom}; {why}",
        )
