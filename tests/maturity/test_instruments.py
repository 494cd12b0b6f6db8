"""The shipped instrument files, and the loader's checks on broken ones."""
import copy
import json

import pytest

from cocreate.maturity.instruments import (
    INSTRUMENT_DIR,
    InstrumentError,
    LocalizedText,
    load_instrument,
    load_instruments,
)

REGISTRY = load_instruments()
COMPANY = REGISTRY.get("company", 1)
MANAGEMENT = REGISTRY.get("management", 1)


def every_text(instrument):
    """Every LocalizedText in an instrument, with where it is, for checks over all of them."""
    yield "name", instrument.name
    yield "description", instrument.description
    for anchor in instrument.anchors:
        yield f"anchor {anchor.value}", anchor.text
    for level in instrument.levels:
        yield f"level {level.key}", level.name
    for dimension in instrument.dimensions:
        yield dimension.code, dimension.name
        for item in dimension.items:
            yield item.id, item.text
            for anchor in item.anchors:
                yield f"{item.id} anchor {anchor.value}", anchor.text


# --- the shipped files -------------------------------------------------------------


def test_shipped_instruments_load():
    assert [(instrument.key, instrument.version) for instrument in REGISTRY] == [("company", 1), ("management", 1)]
    assert REGISTRY.keys() == ("company", "management")
    assert REGISTRY.latest("company") is COMPANY
    assert ("management", 1) in REGISTRY and len(REGISTRY) == 2


def test_company_instrument_follows_the_specification():
    assert COMPANY.subject == "organisation"
    assert [dimension.code for dimension in COMPANY.dimensions] == ["D1", "D2", "D3", "D4", "D5", "D6", "D7"]
    assert [len(dimension.items) for dimension in COMPANY.dimensions] == [4, 4, 4, 4, 4, 4, 5]
    assert COMPANY.composite("dma").dimensions == ("D1", "D2", "D3", "D4", "D5", "D6")
    assert COMPANY.composite("future_ecom").dimensions == ("D1", "D2", "D3", "D4", "D5", "D6", "D7")
    assert COMPANY.level_score == "future_ecom"
    assert [(level.key, level.lower, level.upper) for level in COMPANY.levels] == [
        ("basic", 0, 25), ("average", 25, 50), ("moderately_advanced", 50, 75), ("advanced", 75, 100),
    ]
    assert COMPANY.horizon is None and COMPANY.gaps == ()
    assert COMPANY.anchors[3].text.en == "Testing / partly in place"


def test_management_instrument_follows_the_specification():
    assert MANAGEMENT.subject == "person"
    assert [dimension.code for dimension in MANAGEMENT.dimensions] == ["E1", "E2", "E3", "E4", "E5", "E6"]
    assert all(len(dimension.items) == 3 for dimension in MANAGEMENT.dimensions)
    assert MANAGEMENT.composite("overall").dimensions == ("E1", "E2", "E3", "E4", "E5", "E6")
    assert MANAGEMENT.level_score == "overall"
    assert [(level.key, level.lower, level.upper) for level in MANAGEMENT.levels] == [
        ("here_and_now", 0, 25), ("near_sighted", 25, 50), ("mid_range", 50, 75),
        ("far_sighted", 75, 90), ("visionary", 90, 100),
    ]
    assert MANAGEMENT.horizon.dimensions == ("E2", "E3", "E4")
    [gap] = MANAGEMENT.gaps
    assert (gap.key, gap.from_dimension, gap.to_dimension) == ("imagination_gap", "E2", "E4")
    assert [anchor.text.en for anchor in MANAGEMENT.anchors] == [
        "Never considered", "Aware", "Discussed", "Documented", "Funded or acted on", "Reviewed regularly",
    ]


@pytest.mark.parametrize("instrument", [COMPANY, MANAGEMENT], ids=lambda instrument: instrument.key)
def test_every_text_is_translated(instrument):
    untranslated = [where for where, text in every_text(instrument) if text.en == text.da]
    assert untranslated == []


@pytest.mark.parametrize("instrument", [COMPANY, MANAGEMENT], ids=lambda instrument: instrument.key)
def test_item_anchors_are_specific_to_their_item(instrument):
    generic = {anchor.text.en for anchor in instrument.anchors}
    item_anchors = [anchor.text.en for item in instrument.items for anchor in item.anchors]
    assert len(item_anchors) == 6 * len(instrument.items)
    assert not generic & set(item_anchors)
    assert len(set(item_anchors)) == len(item_anchors), "two items share an anchor text"


def test_lookups():
    item = MANAGEMENT.item("E4.2")
    assert item.anchor(4).value == 4
    assert MANAGEMENT.dimension("E4").items[1] is item
    with pytest.raises(KeyError):
        MANAGEMENT.item("E9.9")
    with pytest.raises(LookupError, match="no instrument 'company' version 7"):
        REGISTRY.get("company", 7)
    with pytest.raises(LookupError, match="no instrument 'board'"):
        REGISTRY.latest("board")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("da", "Digital strategi"), ("da-DK", "Digital strategi"), ("da_DK", "Digital strategi"),
     ("en", "Digital strategy"), ("en-GB", "Digital strategy"), ("de", "Digital strategy"),
     ("", "Digital strategy"), (None, "Digital strategy")],
)
def test_text_in_a_language_falls_back_to_english(language, expected):
    assert COMPANY.dimension("D1").name.get(language) == expected


def test_localized_text_is_a_value():
    assert LocalizedText(en="a", da="b") == LocalizedText(en="a", da="b")


# --- broken files --------------------------------------------------------------------

SHIPPED_MANAGEMENT = json.loads((INSTRUMENT_DIR / "management-v1.json").read_text(encoding="utf-8"))


def broken(change):
    data = copy.deepcopy(SHIPPED_MANAGEMENT)
    change(data)
    return data


def first_item(data):
    return data["dimensions"][0]["items"][0]


def set_item_id(item_id):
    def change(data):
        data["dimensions"][0]["items"][1]["id"] = item_id
    return change


BROKEN_FILES = {
    "missing key": (
        lambda data: data.pop("levels"),
        "management-v1.json: missing required key 'levels'"),
    "unknown key": (
        lambda data: data.update(level_scores="overall"),
        "unknown key 'level_scores'"),
    "missing language": (
        lambda data: first_item(data)["text"].pop("da"),
        "dimensions[0].items[0].text: missing required key 'da'"),
    "empty text": (
        lambda data: first_item(data)["anchors"][2]["text"].update(en="  "),
        "dimensions[0].items[0].anchors[2].text.en: must not be empty"),
    "text not a string": (
        lambda data: data["name"].update(da=7),
        "name.da: expected a string, got the number 7"),
    "duplicate item id": (
        set_item_id("E1.1"),
        "dimensions[0].items[1].id: item id 'E1.1' is used twice"),
    "item id outside its dimension": (
        set_item_id("E2.9"),
        "item id 'E2.9' must start with its dimension code"),
    "duplicate dimension code": (
        lambda data: data["dimensions"][1].update(code="E1"),
        "dimensions[1].code: dimension code 'E1' is used twice"),
    "dimension without items": (
        lambda data: data["dimensions"][0].update(items=[]),
        "dimensions[0].items: must not be empty"),
    "item anchor missing": (
        lambda data: first_item(data)["anchors"].pop(),
        "dimensions[0].items[0].anchors: anchor values must be 0, 1, 2, 3, 4, 5 in order, got 0, 1, 2, 3, 4"),
    "item anchors out of order": (
        lambda data: first_item(data)["anchors"].reverse(),
        "anchor values must be 0, 1, 2, 3, 4, 5 in order, got 5, 4, 3, 2, 1, 0"),
    "generic anchor value not a number": (
        lambda data: data["anchors"][0].update(value="0"),
        "anchors[0].value: expected an integer, got the string '0'"),
    "levels with a hole": (
        lambda data: data["levels"][2].update(lower=55),
        "levels[2].lower: must be 50 (the previous level's upper bound), got 55: levels must be contiguous"),
    "levels not starting at 0": (
        lambda data: data["levels"][0].update(lower=5),
        "levels[0].lower: must be 0 (the lowest score), got 5"),
    "levels not reaching 100": (
        lambda data: data["levels"][-1].update(upper=99),
        "levels[4].upper: the last level must end at 100, got 99"),
    "empty level band": (
        lambda data: data["levels"][1].update(upper=25),
        "levels[1]: lower (25) must be below upper (25)"),
    "duplicate level key": (
        lambda data: data["levels"][1].update(key="here_and_now"),
        "level key 'here_and_now' is used twice"),
    "composite over an unknown dimension": (
        lambda data: data["composites"][0]["dimensions"].append("E9"),
        "composites[0].dimensions[6]: unknown dimension 'E9'"),
    "composite listing a dimension twice": (
        lambda data: data["composites"][0]["dimensions"].append("E1"),
        "composites[0].dimensions: dimension 'E1' is listed twice"),
    "level score not a composite": (
        lambda data: data.update(level_score="total"),
        "level_score: 'total' is not one of the composites"),
    "horizon over an unknown dimension": (
        lambda data: data["horizon"]["dimensions"].append("E7"),
        "horizon.dimensions[3]: unknown dimension 'E7'"),
    "gap from an unknown dimension": (
        lambda data: data["gaps"][0].update({"from": "E0"}),
        "gaps[0].from: unknown dimension 'E0'"),
    "gap from a dimension to itself": (
        lambda data: data["gaps"][0].update({"from": "E4"}),
        "gaps[0]: 'from' and 'to' are both 'E4'"),
    "version not an integer": (
        lambda data: data.update(version="1"),
        "version: expected an integer, got the string '1'"),
    "version zero": (
        lambda data: data.update(version=0),
        "version: must be 1 or more, got 0"),
    "unknown subject": (
        lambda data: data.update(subject="team"),
        "subject: must be one of organisation, person, got 'team'"),
    "key not lower case": (
        lambda data: data.update(key="Management"),
        "key: 'Management' must be lower case letters"),
    "bound not a number": (
        lambda data: data["levels"][0].update(upper=None),
        "levels[0].upper: expected a number, got null"),
    "text is a plain string": (
        lambda data: data.update(description="Board maturity"),
        "description: expected an object, got the string 'Board maturity'"),
}


@pytest.mark.parametrize(("change", "message"), BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_broken_file_is_rejected_with_a_clear_message(tmp_path, change, message):
    (tmp_path / "management-v1.json").write_text(json.dumps(broken(change)), encoding="utf-8")

    with pytest.raises(InstrumentError) as error:
        load_instruments(tmp_path)

    assert str(error.value).startswith("management-v1.json: ")
    assert message in str(error.value)


def test_file_name_must_match_key_and_version(tmp_path):
    (tmp_path / "management-v2.json").write_text(json.dumps(SHIPPED_MANAGEMENT), encoding="utf-8")

    with pytest.raises(InstrumentError, match=(
        r"management-v2.json: file name must be 'management-v1.json' for key 'management' and version 1"
    )):
        load_instruments(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [('{"key": "management",', "not valid JSON"),
     ('{"key": "management", "key": "company"}', "duplicate key 'key' in one object"),
     ("[]", "expected an object, got a list")],
)
def test_unreadable_file_is_rejected(tmp_path, text, message):
    (tmp_path / "management-v1.json").write_text(text, encoding="utf-8")

    with pytest.raises(InstrumentError, match=f"management-v1.json: .*{message}"):
        load_instruments(tmp_path)


def test_one_broken_file_among_good_ones_is_named(tmp_path):
    (tmp_path / "management-v1.json").write_text(json.dumps(SHIPPED_MANAGEMENT), encoding="utf-8")
    (tmp_path / "management-v2.json").write_text(
        json.dumps(broken(lambda data: data.update(version=2, levels=[]))), encoding="utf-8")

    with pytest.raises(InstrumentError, match="management-v2.json: levels: must not be empty"):
        load_instruments(tmp_path)


def test_latest_is_the_highest_version(tmp_path):
    (tmp_path / "management-v1.json").write_text(json.dumps(SHIPPED_MANAGEMENT), encoding="utf-8")
    (tmp_path / "management-v2.json").write_text(
        json.dumps(broken(lambda data: data.update(version=2))), encoding="utf-8")

    registry = load_instruments(tmp_path)

    assert registry.latest("management").version == 2
    assert [instrument.version for instrument in registry] == [1, 2]


def test_empty_or_missing_directory(tmp_path):
    with pytest.raises(InstrumentError, match="no instrument files"):
        load_instruments(tmp_path)
    with pytest.raises(InstrumentError, match="instrument directory not found"):
        load_instruments(tmp_path / "missing")


def test_load_one_file():
    assert load_instrument(INSTRUMENT_DIR / "company-v1.json") == COMPANY
