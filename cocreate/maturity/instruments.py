"""Maturity instruments: the two self-assessment questionnaires, kept as versioned data.

Each file in ``instruments/`` holds one version of one instrument and is named
``<key>-v<version>.json``. An assessment records the key and version it answered, so
changing an instrument means adding a new file: a published file is never edited,
and old answers are never rescored.

A file holds (every text as ``{"en": ..., "da": ...}``):

- ``key``, ``version``, ``subject`` (``organisation`` or ``person``: who it is
  about), ``name``, ``description``;
- ``anchors``: the generic meaning of the answers 0..5;
- ``levels``: ordered named bands of the 0..100 score. ``lower`` is exclusive and
  ``upper`` inclusive, except that the first level also includes 0;
- ``dimensions``: each a ``code``, a ``name`` and ``items``; an item has an ``id``
  starting with its dimension's code (``D1.1``), a ``text`` and its own ``anchors``
  0..5 that make the generic ones concrete for that item;
- ``composites``: named means over sets of dimensions (the company's ``dma`` and
  ``future_ecom``), and ``level_score``, the composite that sets the level;
- optionally ``horizon`` (dimensions shown as a horizon profile) and ``gaps``
  (``to`` minus ``from`` dimension, like the management imagination gap).

The loader checks all of this and raises `InstrumentError` naming the file and the
place of the first problem, so a broken file stops the app at start-up rather than
producing wrong scores later.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

LANGUAGES = ("en", "da")
FALLBACK_LANGUAGE = "en"
ANSWER_VALUES = tuple(range(6))
SCORE_MIN = 0
SCORE_MAX = 100
SUBJECTS = ("organisation", "person")
INSTRUMENT_DIR = Path(__file__).parent / "instruments"

_KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


class InstrumentError(Exception):
    """An instrument file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class LocalizedText:
    en: str
    da: str

    def get(self, language: str | None) -> str:
        """The text in ``language`` ("da", "da-DK", "en_GB"...); English for any other."""
        primary = (language or "").replace("_", "-").split("-")[0].lower()
        return getattr(self, primary) if primary in LANGUAGES else getattr(self, FALLBACK_LANGUAGE)


@dataclass(frozen=True)
class Anchor:
    value: int
    text: LocalizedText


@dataclass(frozen=True)
class Item:
    id: str
    text: LocalizedText
    anchors: tuple[Anchor, ...]

    def anchor(self, value: int) -> Anchor:
        # Anchors are validated to be exactly 0..5 in order, so position is value.
        return self.anchors[value]


@dataclass(frozen=True)
class Dimension:
    code: str
    name: LocalizedText
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Level:
    key: str
    name: LocalizedText
    lower: float
    upper: float
    rank: int  # position among the instrument's levels, 0 for the lowest

    def contains(self, score: float) -> bool:
        if self.rank == 0:
            return self.lower <= score <= self.upper
        return self.lower < score <= self.upper


@dataclass(frozen=True)
class Composite:
    """A named score: the unweighted mean of some dimensions."""

    key: str
    name: LocalizedText
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class Horizon:
    name: LocalizedText
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    """The difference ``to_dimension`` minus ``from_dimension`` of two dimension scores."""

    key: str
    name: LocalizedText
    from_dimension: str
    to_dimension: str


@dataclass(frozen=True)
class Instrument:
    key: str
    version: int
    subject: str
    name: LocalizedText
    description: LocalizedText
    anchors: tuple[Anchor, ...]
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    composites: tuple[Composite, ...]
    level_score: str
    horizon: Horizon | None = None
    gaps: tuple[Gap, ...] = ()

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for dimension in self.dimensions for item in dimension.items)

    def dimension(self, code: str) -> Dimension:
        return self._dimensions_by_code[code]

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def composite(self, key: str) -> Composite:
        return self._composites_by_key[key]

    @cached_property
    def _dimensions_by_code(self) -> dict[str, Dimension]:
        return {dimension.code: dimension for dimension in self.dimensions}

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def _composites_by_key(self) -> dict[str, Composite]:
        return {composite.key: composite for composite in self.composites}


class InstrumentRegistry:
    """All loaded instrument versions, looked up by key and version."""

    def __init__(self, instruments: Iterable[Instrument]):
        self._instruments: dict[tuple[str, int], Instrument] = {}
        for instrument in instruments:
            identity = (instrument.key, instrument.version)
            if identity in self._instruments:
                raise InstrumentError(f"instrument {instrument.key!r} version {instrument.version} is defined twice")
            self._instruments[identity] = instrument

    def get(self, key: str, version: int) -> Instrument:
        try:
            return self._instruments[(key, version)]
        except KeyError:
            raise LookupError(f"no instrument {key!r} version {version}") from None

    def latest(self, key: str) -> Instrument:
        versions = [instrument for (k, _), instrument in self._instruments.items() if k == key]
        if not versions:
            raise LookupError(f"no instrument {key!r}")
        return max(versions, key=lambda instrument: instrument.version)

    def keys(self) -> tuple[str, ...]:
        return tuple(sorted({key for key, _ in self._instruments}))

    def __iter__(self) -> Iterator[Instrument]:
        return iter([self._instruments[identity] for identity in sorted(self._instruments)])

    def __len__(self) -> int:
        return len(self._instruments)

    def __contains__(self, identity: object) -> bool:
        return identity in self._instruments


def load_instruments(directory: str | Path | None = None) -> InstrumentRegistry:
    """Load and check every ``*.json`` instrument file in ``directory``.

    The default is the instruments shipped with the package. Raises `InstrumentError`
    on the first problem found, naming the file.
    """
    directory = INSTRUMENT_DIR if directory is None else Path(directory)
    if not directory.is_dir():
        raise InstrumentError(f"{directory}: instrument directory not found")
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise InstrumentError(f"{directory}: no instrument files (*.json)")
    return InstrumentRegistry(load_instrument(path) for path in paths)


def load_instrument(path: str | Path) -> Instrument:
    """Load and check one instrument file."""
    path = Path(path)
    reader = _Reader(path.name)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reader.fail("", f"cannot be read: {error}")
    try:
        data = json.loads(raw, object_pairs_hook=_reject_duplicate_keys)
    except _DuplicateKey as error:
        reader.fail("", f"duplicate key {error.key!r} in one object")
    except json.JSONDecodeError as error:
        reader.fail("", f"not valid JSON: {error}")
    instrument = reader.instrument(data)
    expected_name = f"{instrument.key}-v{instrument.version}.json"
    if path.name != expected_name:
        reader.fail("", f"file name must be {expected_name!r} for key {instrument.key!r} "
                        f"and version {instrument.version}")
    return instrument


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would silently keep the last of two equal keys, hiding a typo'd edit.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _Reader:
    """Turns the parsed JSON of one file into an `Instrument`, checking as it goes.

    ``where`` is the place in the file, like ``dimensions[1].items[0].anchors``, so
    that an error message points at the problem.
    """

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, problem: str) -> NoReturn:
        place = f"{self.source}: {where}" if where else self.source
        raise InstrumentError(f"{place}: {problem}")

    def instrument(self, data: Any) -> Instrument:
        fields = self.fields(data, "", required=(
            "key", "version", "subject", "name", "description", "anchors", "levels",
            "dimensions", "composites", "level_score"), optional=("horizon", "gaps"))
        key = self.key(fields["key"], "key")
        version = self.integer(fields["version"], "version")
        if version < 1:
            self.fail("version", f"must be 1 or more, got {version}")
        subject = self.string(fields["subject"], "subject")
        if subject not in SUBJECTS:
            self.fail("subject", f"must be one of {', '.join(SUBJECTS)}, got {subject!r}")
        dimensions = self.dimensions(fields["dimensions"], "dimensions")
        dimension_codes = {dimension.code for dimension in dimensions}
        composites = self.composites(fields["composites"], "composites", dimension_codes)
        level_score = self.string(fields["level_score"], "level_score")
        if level_score not in {composite.key for composite in composites}:
            self.fail("level_score", f"{level_score!r} is not one of the composites")
        horizon = None
        if fields.get("horizon") is not None:
            horizon = self.horizon(fields["horizon"], "horizon", dimension_codes)
        gaps = self.gaps(fields.get("gaps", []), "gaps", dimension_codes)
        return Instrument(
            key=key,
            version=version,
            subject=subject,
            name=self.text(fields["name"], "name"),
            description=self.text(fields["description"], "description"),
            anchors=self.anchors(fields["anchors"], "anchors"),
            levels=self.levels(fields["levels"], "levels"),
            dimensions=dimensions,
            composites=composites,
            level_score=level_score,
            horizon=horizon,
            gaps=gaps,
        )

    def dimensions(self, data: Any, where: str) -> tuple[Dimension, ...]:
        dimensions = []
        codes: set[str] = set()
        item_ids: set[str] = set()
        for index, entry in enumerate(self.entries(data, where)):
            here = f"{where}[{index}]"
            fields = self.fields(entry, here, required=("code", "name", "items"))
            code = self.string(fields["code"], f"{here}.code")
            if code in codes:
                self.fail(f"{here}.code", f"dimension code {code!r} is used twice")
            codes.add(code)
            items = []
            for item_index, item_data in enumerate(self.entries(fields["items"], f"{here}.items")):
                item = self.item(item_data, f"{here}.items[{item_index}]", code)
                if item.id in item_ids:
                    self.fail(f"{here}.items[{item_index}].id", f"item id {item.id!r} is used twice")
                item_ids.add(item.id)
                items.append(item)
            dimensions.append(Dimension(code=code, name=self.text(fields["name"], f"{here}.name"), items=tuple(items)))
        return tuple(dimensions)

    def item(self, data: Any, where: str, dimension_code: str) -> Item:
        fields = self.fields(data, where, required=("id", "text", "anchors"))
        item_id = self.string(fields["id"], f"{where}.id")
        if not item_id.startswith(f"{dimension_code}.") or item_id == f"{dimension_code}.":
            self.fail(f"{where}.id",
                      f"item id {item_id!r} must start with its dimension code, like '{dimension_code}.1'")
        return Item(
            id=item_id,
            text=self.text(fields["text"], f"{where}.text"),
            anchors=self.anchors(fields["anchors"], f"{where}.anchors"),
        )

    def anchors(self, data: Any, where: str) -> tuple[Anchor, ...]:
        anchors = []
        for index, entry in enumerate(self.entries(data, where)):
            fields = self.fields(entry, f"{where}[{index}]", required=("value", "text"))
            value = self.integer(fields["value"], f"{where}[{index}].value")
            anchors.append(Anchor(value=value, text=self.text(fields["text"], f"{where}[{index}].text")))
        values = [anchor.value for anchor in anchors]
        if values != list(ANSWER_VALUES):
            expected = ", ".join(map(str, ANSWER_VALUES))
            self.fail(where, f"anchor values must be {expected} in order, got {', '.join(map(str, values))}")
        return tuple(anchors)

    def levels(self, data: Any, where: str) -> tuple[Level, ...]:
        levels: list[Level] = []
        for index, entry in enumerate(self.entries(data, where)):
            here = f"{where}[{index}]"
            fields = self.fields(entry, here, required=("key", "name", "lower", "upper"))
            level = Level(
                key=self.key(fields["key"], f"{here}.key"),
                name=self.text(fields["name"], f"{here}.name"),
                lower=self.number(fields["lower"], f"{here}.lower"),
                upper=self.number(fields["upper"], f"{here}.upper"),
                rank=index,
            )
            if any(earlier.key == level.key for earlier in levels):
                self.fail(f"{here}.key", f"level key {level.key!r} is used twice")
            if level.lower >= level.upper:
                self.fail(here, f"lower ({level.lower:g}) must be below upper ({level.upper:g})")
            expected_lower = levels[-1].upper if levels else SCORE_MIN
            if level.lower != expected_lower:
                previous = "the previous level's upper bound" if levels else "the lowest score"
                self.fail(f"{here}.lower",
                          f"must be {expected_lower:g} ({previous}), got {level.lower:g}: levels must be contiguous")
            levels.append(level)
        if levels[-1].upper != SCORE_MAX:
            self.fail(f"{where}[{len(levels) - 1}].upper",
                      f"the last level must end at {SCORE_MAX}, got {levels[-1].upper:g}")
        return tuple(levels)

    def composites(self, data: Any, where: str, dimension_codes: set[str]) -> tuple[Composite, ...]:
        composites: list[Composite] = []
        for index, entry in enumerate(self.entries(data, where)):
            here = f"{where}[{index}]"
            fields = self.fields(entry, here, required=("key", "name", "dimensions"))
            composite = Composite(
                key=self.key(fields["key"], f"{here}.key"),
                name=self.text(fields["name"], f"{here}.name"),
                dimensions=self.dimension_refs(fields["dimensions"], f"{here}.dimensions", dimension_codes),
            )
            if any(earlier.key == composite.key for earlier in composites):
                self.fail(f"{here}.key", f"composite key {composite.key!r} is used twice")
            composites.append(composite)
        return tuple(composites)

    def horizon(self, data: Any, where: str, dimension_codes: set[str]) -> Horizon:
        fields = self.fields(data, where, required=("name", "dimensions"))
        return Horizon(
            name=self.text(fields["name"], f"{where}.name"),
            dimensions=self.dimension_refs(fields["dimensions"], f"{where}.dimensions", dimension_codes),
        )

    def gaps(self, data: Any, where: str, dimension_codes: set[str]) -> tuple[Gap, ...]:
        if data == []:
            return ()
        gaps: list[Gap] = []
        for index, entry in enumerate(self.entries(data, where)):
            here = f"{where}[{index}]"
            fields = self.fields(entry, here, required=("key", "name", "from", "to"))
            gap = Gap(
                key=self.key(fields["key"], f"{here}.key"),
                name=self.text(fields["name"], f"{here}.name"),
                from_dimension=self.dimension_ref(fields["from"], f"{here}.from", dimension_codes),
                to_dimension=self.dimension_ref(fields["to"], f"{here}.to", dimension_codes),
            )
            if gap.from_dimension == gap.to_dimension:
                self.fail(here, f"'from' and 'to' are both {gap.to_dimension!r}")
            if any(earlier.key == gap.key for earlier in gaps):
                self.fail(f"{here}.key", f"gap key {gap.key!r} is used twice")
            gaps.append(gap)
        return tuple(gaps)

    def dimension_refs(self, data: Any, where: str, dimension_codes: set[str]) -> tuple[str, ...]:
        codes = tuple(self.dimension_ref(code, f"{where}[{index}]", dimension_codes)
                      for index, code in enumerate(self.entries(data, where)))
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            self.fail(where, f"dimension {duplicates[0]!r} is listed twice")
        return codes

    def dimension_ref(self, data: Any, where: str, dimension_codes: set[str]) -> str:
        code = self.string(data, where)
        if code not in dimension_codes:
            self.fail(where, f"unknown dimension {code!r}")
        return code

    def text(self, data: Any, where: str) -> LocalizedText:
        fields = self.fields(data, where, required=LANGUAGES)
        return LocalizedText(**{
            language: self.string(fields[language], f"{where}.{language}") for language in LANGUAGES
        })

    def fields(self, data: Any, where: str, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail(where, f"expected an object, got {_json_type(data)}")
        required = tuple(required)
        missing = [name for name in required if name not in data]
        if missing:
            self.fail(where, f"missing required key {missing[0]!r}")
        # Unknown keys are rejected because they are almost always a misspelt known key.
        unknown = sorted(set(data) - set(required) - set(optional))
        if unknown:
            self.fail(where, f"unknown key {unknown[0]!r}")
        return data

    def entries(self, data: Any, where: str) -> list[Any]:
        if not isinstance(data, list):
            self.fail(where, f"expected a list, got {_json_type(data)}")
        if not data:
            self.fail(where, "must not be empty")
        return data

    def string(self, data: Any, where: str) -> str:
        if not isinstance(data, str):
            self.fail(where, f"expected a string, got {_json_type(data)}")
        if not data.strip():
            self.fail(where, "must not be empty")
        return data

    def key(self, data: Any, where: str) -> str:
        key = self.string(data, where)
        if not _KEY_PATTERN.fullmatch(key):
            self.fail(where, f"{key!r} must be lower case letters, digits and '_', starting with a letter")
        return key

    def integer(self, data: Any, where: str) -> int:
        # bool is a subclass of int in Python, but true/false is never meant as a number.
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail(where, f"expected an integer, got {_json_type(data)}")
        return data

    def number(self, data: Any, where: str) -> float:
        if isinstance(data, bool) or not isinstance(data, (int, float)) or not math.isfinite(data):
            self.fail(where, f"expected a number, got {_json_type(data)}")
        return float(data)


def _json_type(data: Any) -> str:
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, (int, float)):
        return f"the number {data!r}"
    if isinstance(data, str):
        return f"the string {data!r}"
    return {list: "a list", dict: "an object"}.get(type(data), type(data).__name__)
