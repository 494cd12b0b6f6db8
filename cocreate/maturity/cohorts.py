"""Cohort formation: groups of participants at a similar maturity for workshops.

The rule (MATURITY.md): a cohort has ``min_size``..``max_size`` members, aiming for
``target_size``; its members' scores differ by at most ``max_spread`` points and
their levels span at most two adjacent levels. Participants that fit no cohort are
returned as unplaced ("needs 1:1 coaching") and are never forced into one.

Formation is a 1-D optimal partition. Participants are sorted by (score, id) and
the sorted list is cut into consecutive blocks; each block is either one cohort or
one unplaced participant. Dynamic programming over the cut points finds the
partition that, in this order,

1. leaves the fewest participants unplaced, then
2. has the lowest total cost, a cohort costing the sum of its members' squared
   deviations from the cohort's mean score plus ``size_penalty`` for each member
   it is away from the target size.

Remaining ties go to the option met first (an unplaced participant before a cohort,
smaller cohorts before larger ones at the end of the list), and because the input
is sorted first, the same participants in any order give the same cohorts. The run
time is O(n x max_size).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from operator import attrgetter

# One member away from the target size costs as much as one member 10 points from
# the cohort's mean score.
DEFAULT_SIZE_PENALTY = 100.0

# Scores are one-decimal values held in binary floats: without a little slack,
# 50.3 - 25.3 = 25.000000000000004 would make a spread of exactly 25 points too wide.
SPREAD_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Participant:
    """One person or organisation to place.

    ``id`` only needs to be unique and orderable against the other ids (all int
    or all str); it breaks ties between equal scores. ``level_index`` is the rank
    of the participant's level among the instrument's levels (`Level.rank`).
    """

    id: Hashable
    score: float
    level_index: int


@dataclass(frozen=True)
class Cohort:
    members: tuple[Participant, ...]  # in order of (score, id)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def lowest_score(self) -> float:
        return self.members[0].score

    @property
    def highest_score(self) -> float:
        return self.members[-1].score

    @property
    def spread(self) -> float:
        return self.highest_score - self.lowest_score

    @property
    def mean_score(self) -> float:
        return sum(member.score for member in self.members) / self.size


@dataclass(frozen=True)
class CohortResult:
    cohorts: tuple[Cohort, ...]  # in order of score
    unplaced: tuple[Participant, ...]  # need 1:1 coaching; in order of (score, id)
    cost: float  # the minimised total cost of the cohorts


def form_cohorts(
    participants: Sequence[Participant],
    *,
    min_size: int = 4,
    max_size: int = 12,
    target_size: int = 8,
    max_spread: float = 25.0,
    size_penalty: float = DEFAULT_SIZE_PENALTY,
    level_of: Callable[[Participant], int] = attrgetter("level_index"),
) -> CohortResult:
    """Split ``participants`` into cohorts under the cohort rule, optimally.

    ``level_of`` gives the level rank used by the "two adjacent levels" rule; the
    default reads `Participant.level_index`. Forming cohorts on one dimension's score
    (an e-commerce track on D7, say) can pass a function that derives the rank from
    that score instead.

    Raises ValueError for inconsistent sizes, a negative or non-finite spread or
    penalty, duplicate participant ids or a score that is not a finite number.
    """
    _check_parameters(min_size, max_size, target_size, max_spread, size_penalty)
    _check_participants(participants)
    people = sorted(participants, key=lambda participant: (participant.score, participant.id))
    levels = [level_of(person) for person in people]
    scores = [person.score for person in people]
    count = len(people)

    # Prefix sums give any block's sum of squared deviations in O(1). Scores are
    # centred first so the squares stay small and the subtraction loses no precision.
    centre = scores[count // 2] if people else 0.0
    sums = [0.0] * (count + 1)
    squares = [0.0] * (count + 1)
    for index, score in enumerate(scores):
        centred = score - centre
        sums[index + 1] = sums[index] + centred
        squares[index + 1] = squares[index] + centred * centred

    # best_unplaced[i], best_cost[i]: the best partition of the first i people;
    # last_block[i]: the size of its last cohort, or 0 if person i - 1 is unplaced.
    best_unplaced = [0] * (count + 1)
    best_cost = [0.0] * (count + 1)
    last_block = [0] * (count + 1)
    widest_spread = max_spread + SPREAD_TOLERANCE
    for end in range(1, count + 1):
        unplaced, cost, block = best_unplaced[end - 1] + 1, best_cost[end - 1], 0
        lowest_level = highest_level = levels[end - 1]
        top_score = scores[end - 1]
        for size in range(1, min(max_size, end) + 1):
            start = end - size
            lowest_level = min(lowest_level, levels[start])
            highest_level = max(highest_level, levels[start])
            # Growing the block downwards only widens its spread and level range,
            # so the first infeasible size ends the search.
            if highest_level - lowest_level > 1 or top_score - scores[start] > widest_spread:
                break
            if size < min_size or best_unplaced[start] > unplaced:
                continue
            block_sum = sums[end] - sums[start]
            deviations = max(0.0, squares[end] - squares[start] - block_sum * block_sum / size)
            candidate = best_cost[start] + deviations + size_penalty * abs(size - target_size)
            if best_unplaced[start] < unplaced or candidate < cost:
                unplaced, cost, block = best_unplaced[start], candidate, size
        best_unplaced[end], best_cost[end], last_block[end] = unplaced, cost, block

    cohorts: list[Cohort] = []
    unplaced_people: list[Participant] = []
    end = count
    while end > 0:
        block = last_block[end]
        if block:
            cohorts.append(Cohort(members=tuple(people[end - block:end])))
            end -= block
        else:
            unplaced_people.append(people[end - 1])
            end -= 1
    return CohortResult(
        cohorts=tuple(reversed(cohorts)), unplaced=tuple(reversed(unplaced_people)), cost=best_cost[count]
    )


def _check_parameters(min_size: int, max_size: int, target_size: int, max_spread: float, size_penalty: float) -> None:
    for name, value in (("min_size", min_size), ("max_size", max_size), ("target_size", target_size)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number, got {value!r}")
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1, got {min_size}")
    if not min_size <= target_size <= max_size:
        raise ValueError(
            f"sizes must satisfy min_size <= target_size <= max_size, got {min_size}, {target_size}, {max_size}"
        )
    for name, value in (("max_spread", max_spread), ("size_penalty", size_penalty)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number of 0 or more, got {value!r}")


def _check_participants(participants: Sequence[Participant]) -> None:
    seen: set[Hashable] = set()
    for participant in participants:
        if participant.id in seen:
            raise ValueError(f"participant id {participant.id!r} appears twice")
        seen.add(participant.id)
        score = participant.score
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
            raise ValueError(f"participant {participant.id!r} has score {score!r}; it must be a finite number")
