"""Scoring: an assessment's answers become a maturity profile; profiles become a team's.

Rounding. Every score is kept to one decimal, rounded half up (12.25 -> 12.3) with
`decimal.Decimal`, so that the same answers give the same score on every machine and
a hand calculation agrees with the app. Each step rounds its own result:

1. a dimension score is the mean of its answered items / 5 x 100, rounded;
2. a composite score (``dma``, ``future_ecom``, ``overall``) is the unweighted mean
   of the *rounded* dimension scores, rounded again, so it can be checked from
   the dimension scores a person is shown;
3. a gap (``to`` minus ``from``) is the difference of two rounded dimension scores,
   which needs no further rounding.

Profiles hold the results as floats, which represent these one-decimal values
exactly enough to print and compare (``float(Decimal("62.5")) == 62.5``).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .instruments import ANSWER_VALUES, SCORE_MAX, SCORE_MIN, Instrument, Level

_ONE_DECIMAL = Decimal("0.1")
_POINTS_PER_ANSWER_STEP = Decimal(SCORE_MAX) / max(ANSWER_VALUES)  # 5 on the scale is 100 points


@dataclass(frozen=True)
class Profile:
    """The scores of one assessment.

    ``overall`` is the instrument's level score (the company's Future Ecom score, the
    management overall score): the one that sets the level and forms cohorts. A
    dimension without any answer, and any composite or gap that needs it, is None.
    ``level`` is None until the assessment is complete: a badge must rest on a
    finished assessment, not a draft.
    """

    instrument_key: str
    instrument_version: int
    dimension_scores: dict[str, float | None]
    composite_scores: dict[str, float | None]
    overall: float | None
    level: Level | None
    horizon: dict[str, float | None]
    gaps: dict[str, float | None]
    answered_items: int
    total_items: int

    @property
    def is_complete(self) -> bool:
        return self.answered_items == self.total_items


@dataclass(frozen=True)
class TeamProfile:
    """A management team's (or any group's) profile from its members' complete profiles.

    ``answered`` is how many members' profiles it is built from; with none, every
    score is None.
    """

    instrument_key: str
    instrument_version: int
    dimension_scores: dict[str, float | None]
    composite_scores: dict[str, float | None]
    overall: float | None
    level: Level | None
    horizon: dict[str, float | None]
    gaps: dict[str, float | None]
    answered: int


def score_answers(instrument: Instrument, answers: Mapping[str, int]) -> Profile:
    """The profile of ``answers`` (item id -> 0..5); unanswered items are left out.

    Raises ValueError for an id that is not an item of ``instrument`` or a value
    outside 0..5.
    """
    _check_answers(instrument, answers)
    dimension_scores: dict[str, Decimal | None] = {}
    for dimension in instrument.dimensions:
        values = [answers[item.id] for item in dimension.items if item.id in answers]
        dimension_scores[dimension.code] = (
            _round(Decimal(sum(values)) * _POINTS_PER_ANSWER_STEP / len(values)) if values else None
        )
    composite_scores = {
        composite.key: _mean_or_none([dimension_scores[code] for code in composite.dimensions])
        for composite in instrument.composites
    }
    is_complete = len(answers) == len(instrument.items)
    overall = composite_scores[instrument.level_score]
    return Profile(
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        dimension_scores=_floats(dimension_scores),
        composite_scores=_floats(composite_scores),
        overall=_float(overall),
        level=level_for(instrument, overall) if is_complete else None,
        horizon=_floats(_horizon(instrument, dimension_scores)),
        gaps=_floats(_gaps(instrument, dimension_scores)),
        answered_items=len(answers),
        total_items=len(instrument.items),
    )


def team_profile(instrument: Instrument, profiles: Iterable[Profile]) -> TeamProfile:
    """The mean of the complete ``profiles``; drafts among them are ignored.

    Each dimension and composite score is the mean of the members' own scores,
    rounded to one decimal. The horizon and the gaps are then read off the team's
    dimension scores, as for one person, so a gap always equals the difference of
    the two dimension scores shown next to it.

    Raises ValueError for a profile of another instrument or version: a team mean
    is only meaningful over answers to the same questions.
    """
    profiles = list(profiles)
    for profile in profiles:
        if (profile.instrument_key, profile.instrument_version) != (instrument.key, instrument.version):
            raise ValueError(
                f"profile of {profile.instrument_key!r} version {profile.instrument_version} "
                f"cannot join a team profile of {instrument.key!r} version {instrument.version}"
            )
    complete = [profile for profile in profiles if profile.is_complete]
    dimension_scores = {
        dimension.code: _mean_or_none([_decimal(profile.dimension_scores[dimension.code]) for profile in complete])
        for dimension in instrument.dimensions
    }
    composite_scores = {
        composite.key: _mean_or_none([_decimal(profile.composite_scores[composite.key]) for profile in complete])
        for composite in instrument.composites
    }
    overall = composite_scores[instrument.level_score]
    return TeamProfile(
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        dimension_scores=_floats(dimension_scores),
        composite_scores=_floats(composite_scores),
        overall=_float(overall),
        level=level_for(instrument, overall) if overall is not None else None,
        horizon=_floats(_horizon(instrument, dimension_scores)),
        gaps=_floats(_gaps(instrument, dimension_scores)),
        answered=len(complete),
    )


def level_for(instrument: Instrument, score: float | Decimal) -> Level:
    """The level whose band holds ``score`` (0..100).

    Bands include their upper bound and exclude their lower one, except that the
    first level also includes 0: for the company, 25 is Basic and 25.1 Average.
    """
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError(f"score must be between {SCORE_MIN} and {SCORE_MAX}, got {score}")
    for level in instrument.levels:
        if level.contains(score):
            return level
    raise AssertionError("levels are checked to cover 0..100 when the instrument is loaded")


def _check_answers(instrument: Instrument, answers: Mapping[str, int]) -> None:
    for item_id, value in answers.items():
        try:
            instrument.item(item_id)
        except KeyError:
            raise ValueError(f"{item_id!r} is not an item of {instrument.key!r} version {instrument.version}") from None
        # bool is an int in Python; True as an answer is a caller's mistake, not a 1.
        if isinstance(value, bool) or not isinstance(value, int) or value not in ANSWER_VALUES:
            raise ValueError(f"answer to {item_id!r} must be a whole number from 0 to 5, got {value!r}")


def _horizon(instrument: Instrument, dimension_scores: Mapping[str, Decimal | None]) -> dict[str, Decimal | None]:
    if instrument.horizon is None:
        return {}
    return {code: dimension_scores[code] for code in instrument.horizon.dimensions}


def _gaps(instrument: Instrument, dimension_scores: Mapping[str, Decimal | None]) -> dict[str, Decimal | None]:
    gaps: dict[str, Decimal | None] = {}
    for gap in instrument.gaps:
        start, end = dimension_scores[gap.from_dimension], dimension_scores[gap.to_dimension]
        gaps[gap.key] = None if start is None or end is None else end - start
    return gaps


def _mean_or_none(values: Sequence[Decimal | None]) -> Decimal | None:
    """The rounded mean, or None if there are no values or any one is missing."""
    if not values or any(value is None for value in values):
        return None
    return _round(sum(values, Decimal(0)) / len(values))


def _round(value: Decimal) -> Decimal:
    return value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _decimal(score: float | None) -> Decimal | None:
    # str() of a float holding a one-decimal score gives back exactly those digits.
    return None if score is None else Decimal(str(score))


def _float(score: Decimal | None) -> float | None:
    return None if score is None else float(score)


def _floats(scores: Mapping[str, Decimal | None]) -> dict[str, float | None]:
    return {key: _float(score) for key, score in scores.items()}
