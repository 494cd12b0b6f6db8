"""Cohort formation: the rule always holds, nobody is lost, the result is deterministic
and optimal (checked against brute force on small inputs), plus hand examples."""
import math
from bisect import bisect_left

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreate.maturity.cohorts import SPREAD_TOLERANCE, Participant, form_cohorts

COMPANY_UPPER_BOUNDS = (25, 50, 75)  # Basic, Average, Moderately advanced; the rest is Advanced
MANAGEMENT_UPPER_BOUNDS = (25, 50, 75, 90)


def level_rank(score, upper_bounds=COMPANY_UPPER_BOUNDS):
    """The rank of the level holding ``score``: bands include their upper bound."""
    return bisect_left(upper_bounds, score)


def people(scores, upper_bounds=COMPANY_UPPER_BOUNDS):
    return [Participant(id=index, score=score, level_index=level_rank(score, upper_bounds))
            for index, score in enumerate(scores)]


def member_scores(result):
    return [[member.score for member in cohort.members] for cohort in result.cohorts]


# --- an independent oracle ------------------------------------------------------------


def cohort_cost(scores, size_penalty, target_size):
    mean = sum(scores) / len(scores)
    return sum((score - mean) ** 2 for score in scores) + size_penalty * abs(len(scores) - target_size)


def is_allowed_cohort(members, params):
    levels = [member.level_index for member in members]
    scores = [member.score for member in members]
    return (
        params["min_size"] <= len(members) <= params["max_size"]
        and max(scores) - min(scores) <= params["max_spread"] + SPREAD_TOLERANCE
        and max(levels) - min(levels) <= 1
    )


def best_segmentation(participants, params):
    """(fewest unplaced, lowest cost) over every way of cutting the sorted list into
    blocks, each block one allowed cohort or one unplaced participant."""
    ordered = sorted(participants, key=lambda participant: (participant.score, participant.id))

    def segmentations(start):
        if start == len(ordered):
            yield 0, 0.0
            return
        for unplaced, cost in segmentations(start + 1):
            yield unplaced + 1, cost
        for end in range(start + 1, len(ordered) + 1):
            block = ordered[start:end]
            if is_allowed_cohort(block, params):
                own = cohort_cost([member.score for member in block], params["size_penalty"], params["target_size"])
                for unplaced, cost in segmentations(end):
                    yield unplaced, cost + own

    return min(segmentations(0))


# --- strategies -------------------------------------------------------------------------

one_decimal_scores = st.integers(min_value=0, max_value=1000).map(lambda tenths: tenths / 10)


@st.composite
def participant_lists(draw, max_count=40):
    scores = draw(st.lists(one_decimal_scores, max_size=max_count))
    ids = draw(st.lists(st.integers(0, 10_000), min_size=len(scores), max_size=len(scores), unique=True))
    if draw(st.booleans()):
        levels = [level_rank(score) for score in scores]
    else:
        # Levels that do not follow the score, as when cohorts are formed on one
        # dimension while levels come from the overall score.
        levels = draw(st.lists(st.integers(0, 4), min_size=len(scores), max_size=len(scores)))
    return [Participant(id=id_, score=score, level_index=level) for id_, score, level in zip(ids, scores, levels)]


@st.composite
def cohort_parameters(draw, largest=12):
    min_size = draw(st.integers(1, 5))
    target_size = draw(st.integers(min_size, min_size + 4))
    max_size = draw(st.integers(target_size, max(target_size, largest)))
    return {
        "min_size": min_size,
        "target_size": target_size,
        "max_size": max_size,
        "max_spread": draw(st.sampled_from([0.0, 5.0, 10.0, 25.0, 40.0, 100.0])),
        "size_penalty": draw(st.sampled_from([0.0, 1.0, 10.0, 100.0, 1000.0])),
    }


# --- properties ---------------------------------------------------------------------------


@given(participant_lists(), cohort_parameters())
def test_every_cohort_follows_the_rule(participants, params):
    result = form_cohorts(participants, **params)

    for cohort in result.cohorts:
        assert is_allowed_cohort(cohort.members, params)


@given(participant_lists(), cohort_parameters())
def test_everyone_is_placed_or_unplaced_exactly_once(participants, params):
    result = form_cohorts(participants, **params)

    placed = [member for cohort in result.cohorts for member in cohort.members]
    assert sorted(p.id for p in placed + list(result.unplaced)) == sorted(p.id for p in participants)


@given(participant_lists(), cohort_parameters())
def test_cohorts_are_consecutive_blocks_of_the_sorted_participants(participants, params):
    result = form_cohorts(participants, **params)

    ordered = sorted(participants, key=lambda participant: (participant.score, participant.id))
    blocks = [list(cohort.members) for cohort in result.cohorts] + [[person] for person in result.unplaced]
    blocks.sort(key=lambda block: ordered.index(block[0]))
    assert [member for block in blocks for member in block] == ordered


@given(participant_lists(), cohort_parameters(), st.data())
def test_same_participants_in_any_order_give_the_same_cohorts(participants, params, data):
    shuffled = data.draw(st.permutations(participants))

    assert form_cohorts(shuffled, **params) == form_cohorts(participants, **params)


@settings(max_examples=300)
@given(participant_lists(max_count=9), cohort_parameters(largest=6))
def test_optimal_against_brute_force(participants, params):
    result = form_cohorts(participants, **params)

    fewest_unplaced, lowest_cost = best_segmentation(participants, params)
    assert len(result.unplaced) == fewest_unplaced
    assert math.isclose(result.cost, lowest_cost, rel_tol=1e-9, abs_tol=1e-6)
    own_cost = sum(
        cohort_cost([member.score for member in cohort.members], params["size_penalty"], params["target_size"])
        for cohort in result.cohorts
    )
    assert math.isclose(result.cost, own_cost, rel_tol=1e-9, abs_tol=1e-6)


# --- hand examples ----------------------------------------------------------------------


def test_sixteen_evenly_spread_people_make_two_cohorts_of_eight():
    # Scores 40..55: two cohorts of 8 cost 2 x 42 (squared deviations of 8 consecutive
    # integers) = 84; 4 x 4 would cost 4 x 5 + 16 x 100; 12 + 4 would cost 143 + 5 + 800.
    result = form_cohorts(people([40.0 + step for step in range(16)]))

    assert member_scores(result) == [[40.0 + step for step in range(8)], [48.0 + step for step in range(8)]]
    assert result.unplaced == ()
    assert result.cost == pytest.approx(84.0)


def test_two_clusters_make_two_cohorts():
    low = [18.0, 19.5, 20.0, 20.0, 21.0, 22.5, 23.0, 24.0]
    high = [66.0, 68.0, 69.5, 70.0, 70.0, 71.0, 72.0, 74.0]

    result = form_cohorts(people(high + low))

    assert member_scores(result) == [low, high]


def test_far_outlier_needs_coaching():
    result = form_cohorts(people([45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 95.0]))

    assert member_scores(result) == [[45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0]]
    assert [person.score for person in result.unplaced] == [95.0]


def test_fewer_than_the_minimum_are_all_unplaced():
    participants = people([30.0, 31.0, 32.0])

    result = form_cohorts(participants)

    assert result.cohorts == ()
    assert result.unplaced == tuple(participants)


def test_nobody_to_place():
    result = form_cohorts([])

    assert (result.cohorts, result.unplaced, result.cost) == ((), (), 0.0)


def test_cohort_spans_at_most_two_adjacent_levels():
    # Management: 74 is Mid-range, 82 Far-sighted, 91 Visionary. The twelve are only
    # 17 points apart but span three levels, so they cannot be one cohort. Splitting
    # 8 + 4 costs 8 x 4^2 + 4 x 100 = 528; 4 + 8 costs 4 x 100 + 8 x 4.5^2 = 562.
    scores = [74.0] * 4 + [82.0] * 4 + [91.0] * 4

    result = form_cohorts(people(scores, MANAGEMENT_UPPER_BOUNDS))

    assert member_scores(result) == [[74.0] * 4 + [82.0] * 4, [91.0] * 4]
    assert result.cost == pytest.approx(528.0)


def test_a_spread_of_exactly_the_maximum_is_allowed():
    # 50.3 - 25.3 is 25.000000000000004 in binary floating point.
    result = form_cohorts(people([25.3, 30.0, 40.0, 50.3]))

    assert member_scores(result) == [[25.3, 30.0, 40.0, 50.3]]


def test_a_spread_beyond_the_maximum_is_not():
    result = form_cohorts(people([25.3, 30.0, 40.0, 50.4]))

    assert result.cohorts == ()
    assert len(result.unplaced) == 4


def test_equal_scores_are_ordered_by_id():
    participants = [Participant(id=name, score=60.0, level_index=2) for name in ("e", "b", "d", "a", "c")]

    result = form_cohorts(participants, min_size=2, target_size=2, max_size=3)

    # 3 + 2 and 2 + 3 cost the same; the tie goes to the smaller last cohort.
    assert [[member.id for member in cohort.members] for cohort in result.cohorts] == [["a", "b", "c"], ["d", "e"]]


def test_facilitator_can_change_the_sizes():
    result = form_cohorts(people([float(score) for score in range(50, 62)]), min_size=2, target_size=3, max_size=4)

    assert [cohort.size for cohort in result.cohorts] == [3, 3, 3, 3]


def test_levels_can_come_from_another_score():
    # An e-commerce track on D7 scores, say, with levels read off those scores: 20 and
    # 24 then rank 0, 26 and 30 rank 2 (doubled here to make them non-adjacent).
    participants = [Participant(id=index, score=score, level_index=0) for index, score in enumerate([20, 24, 26, 30])]

    by_given_level = form_cohorts(participants)
    by_score_level = form_cohorts(participants, level_of=lambda participant: level_rank(participant.score) * 2)

    assert [cohort.size for cohort in by_given_level.cohorts] == [4]
    assert by_score_level.cohorts == ()


def test_cohort_summary():
    [cohort] = form_cohorts(people([40.0, 42.0, 44.0, 50.0])).cohorts

    assert (cohort.size, cohort.lowest_score, cohort.highest_score, cohort.spread, cohort.mean_score) == (
        4, 40.0, 50.0, 10.0, 44.0)


@pytest.mark.parametrize(
    ("params", "message"),
    [({"min_size": 0, "target_size": 1}, "min_size must be at least 1"),
     ({"min_size": 5, "target_size": 4}, "min_size <= target_size <= max_size"),
     ({"target_size": 13}, "min_size <= target_size <= max_size"),
     ({"max_size": 7}, "min_size <= target_size <= max_size"),
     ({"min_size": 4.5}, "min_size must be a whole number"),
     ({"max_spread": -1.0}, "max_spread must be a finite number of 0 or more"),
     ({"max_spread": float("inf")}, "max_spread must be a finite number"),
     ({"size_penalty": float("nan")}, "size_penalty must be a finite number"),
     ({"size_penalty": -5}, "size_penalty must be a finite number of 0 or more")],
)
def test_invalid_parameters_are_rejected(params, message):
    with pytest.raises(ValueError, match=message):
        form_cohorts(people([50.0] * 8), **params)


def test_duplicate_ids_are_rejected():
    with pytest.raises(ValueError, match="participant id 7 appears twice"):
        form_cohorts([Participant(id=7, score=50.0, level_index=1), Participant(id=7, score=51.0, level_index=2)])


@pytest.mark.parametrize("score", [float("nan"), float("inf"), None])
def test_scores_must_be_finite_numbers(score):
    with pytest.raises(ValueError, match="must be a finite number"):
        form_cohorts([Participant(id=1, score=score, level_index=0)])
