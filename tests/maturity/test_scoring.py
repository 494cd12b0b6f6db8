"""Scoring by hand-computed examples: every expected number is worked out in a comment."""
import pytest

from cocreate.maturity.instruments import load_instruments
from cocreate.maturity.scoring import level_for, score_answers, team_profile

INSTRUMENTS = load_instruments()
COMPANY = INSTRUMENTS.get("company", 1)
MANAGEMENT = INSTRUMENTS.get("management", 1)


def answers_by_dimension(instrument, values_by_dimension):
    """{"D1": [1, 2, 3, 4], ...} -> {"D1.1": 1, "D1.2": 2, ...} in the instrument's item order."""
    answers = {}
    for code, values in values_by_dimension.items():
        items = instrument.dimension(code).items
        assert len(values) <= len(items)
        answers.update({item.id: value for item, value in zip(items, values)})
    return answers


def all_answered(instrument, value):
    return {item.id: value for item in instrument.items}


# Company, every dimension: score = mean / 5 x 100 = sum x 20 / number of items.
#   D1 1,2,3,4    sum 10, 4 items -> 10 x 20 / 4 = 50.0
#   D2 0,0,1,2    sum  3          ->  3 x 20 / 4 = 15.0
#   D3 5,5,5,4    sum 19          -> 19 x 20 / 4 = 95.0
#   D4 3,3,3,3    sum 12          -> 12 x 20 / 4 = 60.0
#   D5 0,1,0,0    sum  1          ->  1 x 20 / 4 =  5.0
#   D6 2,2,3,3    sum 10          -> 10 x 20 / 4 = 50.0
#   D7 1,2,2,3,4  sum 12, 5 items -> 12 x 20 / 5 = 48.0
# DMA (D1-D6)        = (50 + 15 + 95 + 60 + 5 + 50) / 6 = 275 / 6 = 45.833.. -> 45.8
# Future Ecom (D1-D7) = (275 + 48) / 7 = 323 / 7 = 46.142.. -> 46.1 -> Average (>25-50)
COMPANY_MIXED = {
    "D1": [1, 2, 3, 4],
    "D2": [0, 0, 1, 2],
    "D3": [5, 5, 5, 4],
    "D4": [3, 3, 3, 3],
    "D5": [0, 1, 0, 0],
    "D6": [2, 2, 3, 3],
    "D7": [1, 2, 2, 3, 4],
}

# Management, three items per dimension: score = sum x 20 / 3.
#   E1 1,2,3  sum  6 ->  6 x 20 / 3 = 40.0
#   E2 5,4,4  sum 13 -> 13 x 20 / 3 = 86.666.. -> 86.7
#   E3 2,2,3  sum  7 ->  7 x 20 / 3 = 46.666.. -> 46.7
#   E4 1,0,1  sum  2 ->  2 x 20 / 3 = 13.333.. -> 13.3
#   E5 3,3,3  sum  9 ->  9 x 20 / 3 = 60.0
#   E6 0,1,2  sum  3 ->  3 x 20 / 3 = 20.0
# Overall = (40 + 86.7 + 46.7 + 13.3 + 60 + 20) / 6 = 266.7 / 6 = 44.45 -> 44.5 (half up)
#   -> Near-sighted (>25-50). From the unrounded item mean it would be 40 x 20 / 18
#   = 44.4: the documented rule averages the rounded dimension scores people see.
# Horizon E2 86.7, E3 46.7, E4 13.3; imagination gap = E4 - E2 = 13.3 - 86.7 = -73.4
MANAGEMENT_MIXED = {
    "E1": [1, 2, 3],
    "E2": [5, 4, 4],
    "E3": [2, 2, 3],
    "E4": [1, 0, 1],
    "E5": [3, 3, 3],
    "E6": [0, 1, 2],
}


def test_company_all_zero():
    profile = score_answers(COMPANY, all_answered(COMPANY, 0))

    assert profile.dimension_scores == {code: 0.0 for code in ("D1", "D2", "D3", "D4", "D5", "D6", "D7")}
    assert profile.composite_scores == {"dma": 0.0, "future_ecom": 0.0}
    assert profile.overall == 0.0
    assert profile.level.key == "basic"
    assert profile.is_complete
    assert (profile.answered_items, profile.total_items) == (29, 29)
    assert profile.horizon == {} and profile.gaps == {}


def test_company_all_five():
    profile = score_answers(COMPANY, all_answered(COMPANY, 5))

    assert set(profile.dimension_scores.values()) == {100.0}
    assert profile.composite_scores == {"dma": 100.0, "future_ecom": 100.0}
    assert profile.level.key == "advanced"


def test_company_mixed():
    profile = score_answers(COMPANY, answers_by_dimension(COMPANY, COMPANY_MIXED))

    assert profile.dimension_scores == {
        "D1": 50.0, "D2": 15.0, "D3": 95.0, "D4": 60.0, "D5": 5.0, "D6": 50.0, "D7": 48.0,
    }
    assert profile.composite_scores == {"dma": 45.8, "future_ecom": 46.1}
    assert profile.overall == 46.1
    assert profile.level.key == "average"
    assert profile.is_complete


def test_management_all_zero():
    profile = score_answers(MANAGEMENT, all_answered(MANAGEMENT, 0))

    assert profile.composite_scores == {"overall": 0.0}
    assert profile.level.key == "here_and_now"
    assert profile.horizon == {"E2": 0.0, "E3": 0.0, "E4": 0.0}
    assert profile.gaps == {"imagination_gap": 0.0}


def test_management_all_five():
    profile = score_answers(MANAGEMENT, all_answered(MANAGEMENT, 5))

    assert profile.overall == 100.0
    assert profile.level.key == "visionary"
    assert profile.gaps == {"imagination_gap": 0.0}


def test_management_mixed():
    profile = score_answers(MANAGEMENT, answers_by_dimension(MANAGEMENT, MANAGEMENT_MIXED))

    assert profile.dimension_scores == {"E1": 40.0, "E2": 86.7, "E3": 46.7, "E4": 13.3, "E5": 60.0, "E6": 20.0}
    assert profile.overall == 44.5
    assert profile.composite_scores == {"overall": 44.5}
    assert profile.level.key == "near_sighted"
    assert profile.horizon == {"E2": 86.7, "E3": 46.7, "E4": 13.3}
    assert profile.gaps == {"imagination_gap": -73.4}


def test_dimension_score_is_the_mean_of_its_answered_items():
    # E1 answered 1 and 2: 1.5 / 5 x 100 = 30.0; E2 answered 1: 1 / 5 x 100 = 20.0;
    # E3 answered 0 and 1: 0.5 / 5 x 100 = 10.0. (A dimension mean never falls half-way
    # between tenths, since it has at most five items; the half-up cases are in the
    # composite and team examples: 44.45 -> 44.5, 72.25 -> 72.3, 23.05 -> 23.1.)
    profile = score_answers(MANAGEMENT, answers_by_dimension(MANAGEMENT, {"E1": [1, 2], "E2": [1], "E3": [0, 1]}))

    assert profile.dimension_scores["E1"] == 30.0
    assert profile.dimension_scores["E2"] == 20.0
    assert profile.dimension_scores["E3"] == 10.0


def test_draft_scores_answered_dimensions_only():
    # D1 all four answered 4 -> 80.0; D2 one item answered 3 -> 3 x 20 / 1 = 60.0.
    answers = answers_by_dimension(COMPANY, {"D1": [4, 4, 4, 4], "D2": [3]})
    profile = score_answers(COMPANY, answers)

    assert not profile.is_complete
    assert (profile.answered_items, profile.total_items) == (5, 29)
    assert profile.dimension_scores["D1"] == 80.0
    assert profile.dimension_scores["D2"] == 60.0
    assert profile.dimension_scores["D3"] is None
    assert profile.composite_scores == {"dma": None, "future_ecom": None}
    assert profile.overall is None
    assert profile.level is None


def test_draft_missing_one_item_has_scores_but_no_level():
    answers = all_answered(COMPANY, 4)
    del answers["D7.5"]
    profile = score_answers(COMPANY, answers)

    assert not profile.is_complete
    assert profile.dimension_scores["D7"] == 80.0  # the four answered D7 items, 4 each
    assert profile.overall == 80.0
    assert profile.level is None


def test_draft_missing_a_gap_dimension():
    profile = score_answers(MANAGEMENT, answers_by_dimension(MANAGEMENT, {"E2": [3, 3, 3]}))

    assert profile.horizon == {"E2": 60.0, "E3": None, "E4": None}
    assert profile.gaps == {"imagination_gap": None}


def test_no_answers_at_all():
    profile = score_answers(MANAGEMENT, {})

    assert set(profile.dimension_scores.values()) == {None}
    assert profile.overall is None and profile.level is None
    assert profile.answered_items == 0


@pytest.mark.parametrize("value", [-1, 6, 2.5, "3", None, True])
def test_out_of_range_or_non_integer_answer_is_rejected(value):
    with pytest.raises(ValueError, match="D1.1"):
        score_answers(COMPANY, {"D1.1": value})


def test_unknown_item_is_rejected():
    with pytest.raises(ValueError, match="'E1.1' is not an item of 'company'"):
        score_answers(COMPANY, {"E1.1": 3})


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, "basic"), (25, "basic"), (25.1, "average"), (50, "average"), (50.1, "moderately_advanced"),
     (75, "moderately_advanced"), (75.1, "advanced"), (100, "advanced")],
)
def test_company_level_boundaries(score, expected):
    assert level_for(COMPANY, score).key == expected


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, "here_and_now"), (25, "here_and_now"), (25.1, "near_sighted"), (50, "near_sighted"),
     (50.1, "mid_range"), (75, "mid_range"), (75.1, "far_sighted"), (90, "far_sighted"),
     (90.1, "visionary"), (100, "visionary")],
)
def test_management_level_boundaries(score, expected):
    assert level_for(MANAGEMENT, score).key == expected


def test_level_ranks_follow_the_order_of_levels():
    assert [level_for(MANAGEMENT, score).rank for score in (10, 30, 60, 80, 95)] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("score", [-0.1, 100.1, float("nan")])
def test_level_for_rejects_scores_outside_0_to_100(score):
    with pytest.raises(ValueError, match="between 0 and 100"):
        level_for(COMPANY, score)


def test_team_profile():
    mixed = score_answers(MANAGEMENT, answers_by_dimension(MANAGEMENT, MANAGEMENT_MIXED))
    all_five = score_answers(MANAGEMENT, all_answered(MANAGEMENT, 5))
    draft = score_answers(MANAGEMENT, answers_by_dimension(MANAGEMENT, {"E1": [0]}))

    team = team_profile(MANAGEMENT, [mixed, all_five, draft])

    # The draft is left out; each number is the mean of the two complete members:
    #   E1 (40 + 100) / 2 = 70.0      E2 (86.7 + 100) / 2 = 93.35 -> 93.4
    #   E3 (46.7 + 100) / 2 = 73.35 -> 73.4    E4 (13.3 + 100) / 2 = 56.65 -> 56.7
    #   E5 (60 + 100) / 2 = 80.0      E6 (20 + 100) / 2 = 60.0
    #   overall (44.5 + 100) / 2 = 72.25 -> 72.3 -> Mid-range
    #   imagination gap = team E4 - team E2 = 56.7 - 93.4 = -36.7
    assert team.answered == 2
    assert team.dimension_scores == {"E1": 70.0, "E2": 93.4, "E3": 73.4, "E4": 56.7, "E5": 80.0, "E6": 60.0}
    assert team.composite_scores == {"overall": 72.3}
    assert team.overall == 72.3
    assert team.level.key == "mid_range"
    assert team.horizon == {"E2": 93.4, "E3": 73.4, "E4": 56.7}
    assert team.gaps == {"imagination_gap": -36.7}


def test_team_profile_of_companies_means_both_composites():
    mixed = score_answers(COMPANY, answers_by_dimension(COMPANY, COMPANY_MIXED))
    all_zero = score_answers(COMPANY, all_answered(COMPANY, 0))

    team = team_profile(COMPANY, [mixed, all_zero])

    # dma (45.8 + 0) / 2 = 22.9; future_ecom (46.1 + 0) / 2 = 23.05 -> 23.1 -> Basic
    assert team.composite_scores == {"dma": 22.9, "future_ecom": 23.1}
    assert team.level.key == "basic"


def test_team_profile_without_complete_members():
    draft = score_answers(MANAGEMENT, answers_by_dimension(MANAGEMENT, {"E1": [5, 5, 5]}))

    team = team_profile(MANAGEMENT, [draft])

    assert team.answered == 0
    assert set(team.dimension_scores.values()) == {None}
    assert team.overall is None and team.level is None
    assert team.gaps == {"imagination_gap": None}


def test_team_profile_rejects_another_instrument():
    company_profile = score_answers(COMPANY, all_answered(COMPANY, 3))

    with pytest.raises(ValueError, match="'company' version 1"):
        team_profile(MANAGEMENT, [company_profile])
