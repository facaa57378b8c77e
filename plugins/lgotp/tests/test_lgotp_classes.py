"""JIAM Japanese classes: every expected split, the ranking, and the rule against brute force."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kenshu_lgotp.classes import split_sizes

#: trainees -> (class sizes, a warning expected); from the issue
SPLITS = [
    (5, [5], True),
    (6, [6], False),
    (8, [8], False),
    (9, [9], True),
    (10, [10], True),
    (11, [6, 5], True),
    (12, [6, 6], False),
    (13, [7, 6], False),
    (16, [8, 8], False),
    (17, [9, 8], True),
    (18, [6, 6, 6], False),
    (24, [8, 8, 8], False),
]


@pytest.mark.parametrize(("count", "sizes", "warned"), SPLITS)
def test_split_sizes(count, sizes, warned):
    assert split_sizes(count, 6, 8) == (sizes, not warned)


@pytest.mark.parametrize(("count", "sizes", "warned"), SPLITS)
def test_classes_in_the_report(lg, report, count, sizes, warned):
    result = report(lg.cohort_data(lg.trainees(count)))
    assert [len(g.participant_ids) for g in result.groups] == sizes
    assert {g.kind for g in result.groups} == {"jiam_class"}
    assert [g.group_id for g in result.groups] == [
        f"jiam-class-{n}" for n in range(1, len(sizes) + 1)
    ]
    # highest scores in the first class: P01 has the highest score, then P02...
    ranked = [pid for g in result.groups for pid in g.participant_ids]
    assert ranked == [f"P{i:02d}" for i in range(1, count + 1)]
    plan = "+".join(map(str, sizes))
    for number, group in enumerate(result.groups, start=1):
        assert group.explanation.startswith(f"class {number} of {len(sizes)}, placement scores")
        assert plan in group.explanation
    class_size = [f for f in result.findings if f.code == "lgotp.class-size"]
    assert bool(class_size) is warned
    if warned:
        assert class_size[0].severity == "warning"
        assert plan in class_size[0].message and "6-8" in class_size[0].message
    assert "lgotp.class-size" not in [f.code for f in result.findings if f.severity == "error"]
    assert f"JIAM Japanese classes: {len(sizes)} ({plan})" in " ".join(result.summary)


@pytest.mark.parametrize(("count", "sizes", "warned"), SPLITS)
def test_classes_in_the_report_json(lg, report_as_json, count, sizes, warned):
    out = report_as_json(lg.cohort_data(lg.trainees(count)))
    assert [len(g["participant_ids"]) for g in out["groups"]] == sizes
    assert all(g["kind"] == "jiam_class" and g["explanation"] for g in out["groups"])
    assert ("lgotp.class-size" in [f["code"] for f in out["findings"]]) is warned


def test_explanation_names_the_scores_of_each_class(lg, report):
    result = report(lg.cohort_data(lg.trainees(13)))  # scores 99 down to 87
    first, second = result.groups
    assert "placement scores 99-93" in first.explanation
    assert "placement scores 92-87" in second.explanation
    assert "fewest classes with every size within 6-8" in first.explanation


def test_ties_in_score_are_broken_by_participant_id(lg, report):
    people = [lg.participant(pid, placement_test_score=70) for pid in ("P09", "P03", "P12")]
    people += [lg.participant(f"Q{i}", placement_test_score=60) for i in range(9)]
    result = report(lg.cohort_data(people))
    assert result.groups[0].participant_ids[:3] == ("P03", "P09", "P12")


def test_the_split_does_not_depend_on_the_row_order(lg, report):
    people = [lg.participant(f"P{i:02d}", placement_test_score=i % 7 * 10) for i in range(20)]
    expected = [g.participant_ids for g in report(lg.cohort_data(people)).groups]
    random.Random(4).shuffle(people)
    assert [g.participant_ids for g in report(lg.cohort_data(people)).groups] == expected


def test_trainees_without_a_score_are_not_placed_and_are_named(lg, check, report):
    people = [*lg.trainees(6), lg.participant("P50", placement_test_score=None)]
    data = lg.cohort_data(people)
    finding = lg.only(check(data).findings, "lgotp.no-placement-score")
    assert (finding.severity, finding.subject, finding.field_id) == (
        "warning",
        "P50",
        "placement_test_score",
    )
    result = report(data)
    assert [len(g.participant_ids) for g in result.groups] == [6]
    assert "P50" not in result.groups[0].participant_ids


def test_withdrawn_and_rejected_trainees_are_not_in_a_class(lg, report):
    people = lg.trainees(6)
    people.append(lg.participant("P20", status="withdrawn", placement_test_score=99))
    people.append(lg.participant("P21", status="rejected", placement_test_score=98))
    result = report(lg.cohort_data(people))
    assert [len(g.participant_ids) for g in result.groups] == [6]
    assert "lgotp.class-size" not in lg.codes(result.findings)


def test_no_scores_no_classes(lg, report):
    result = report(lg.cohort_data(lg.trainees(3, placement_test_score=None)))
    assert result.groups == []
    assert lg.codes(result.findings).count("lgotp.no-placement-score") == 3
    assert "lgotp.class-size" not in lg.codes(result.findings)


@pytest.mark.parametrize(
    ("count", "overrides", "sizes", "warned"),
    [
        (10, {"class_max_size": 10}, [10], False),
        (9, {"class_max_size": 9}, [9], False),
        (12, {"class_min_size": 3, "class_max_size": 4}, [4, 4, 4], False),
        # 6+5 and 4+4+3 are both one person off 4-5: the fewer classes win
        (11, {"class_min_size": 4, "class_max_size": 5}, [6, 5], True),
        (5, {"class_min_size": 5}, [5], False),
        (16, {"class_min_size": 4, "class_max_size": 6}, [6, 5, 5], False),
    ],
)
def test_class_bounds_are_settings(lg, report, count, overrides, sizes, warned):
    result = report(lg.cohort_data(lg.trainees(count)), **overrides)
    assert [len(g.participant_ids) for g in result.groups] == sizes
    assert ("lgotp.class-size" in lg.codes(result.findings)) is warned
    low = overrides.get("class_min_size", 6)
    high = overrides.get("class_max_size", 8)
    assert f"{low}-{high}" in result.groups[0].explanation


# -- the rule, checked against brute force ------------------------------------


def brute_force(total: int, low: int, high: int) -> tuple[int, int]:
    """(classes, least distance) over every way to split ``total`` into classes: the least
    total distance outside ``low``..``high``, ties to fewer classes."""

    def cost(size: int) -> int:
        return max(low - size, 0) + max(size - high, 0)

    infinity = float("inf")
    # best[k][n]: the least distance splitting n people into k non-empty classes
    best = [[infinity] * (total + 1) for _ in range(total + 1)]
    best[0][0] = 0
    for k in range(1, total + 1):
        for n in range(k, total + 1):
            best[k][n] = min(cost(s) + best[k - 1][n - s] for s in range(1, n - k + 2))
    least = min(best[k][total] for k in range(1, total + 1))
    classes = min(k for k in range(1, total + 1) if best[k][total] == least)
    return classes, int(least)


@settings(max_examples=150, deadline=None)
@given(
    total=st.integers(min_value=1, max_value=45),
    low=st.integers(min_value=1, max_value=9),
    width=st.integers(min_value=0, max_value=4),
)
def test_split_matches_brute_force(total, low, width):
    high = low + width
    sizes, within = split_sizes(total, low, high)
    classes, least = brute_force(total, low, high)
    distance = sum(max(low - s, 0) + max(s - high, 0) for s in sizes)
    assert sum(sizes) == total
    assert (len(sizes), distance) == (classes, least)
    assert within is (least == 0)
    assert max(sizes) - min(sizes) <= 1  # as even as possible
    assert sizes == sorted(sizes, reverse=True)  # larger (higher-scoring) classes first
