"""Hypothesis strategies built from a pack's declared fact types.

``profiles(schema)`` draws whole profiles that satisfy the pack's ``profile`` declaration:
enum fields take declared values, optional fields are sometimes absent, lists of records
are short and their ``id`` fields unique, ``*_id`` fields point at ids drawn elsewhere
in the profile (so joins happen), numbers fall in plausible ranges for well-known field
names, every declared bound (``in``, ``size``, ``matches``, ``in other..``) is kept, and dates lie around the evaluation date (``as_of``), with the application date
up to 18 months later so that the countdown's months are exercised.
``records(schema, "Letter")`` draws one record type. Examples shrink towards small,
readable profiles: optional fields absent, lists empty, numbers at the low end of
their range, the first enum value, dates at the start of their range.

Use them to property-test packs from Python::

    from hypothesis import given
    from imgrules import load, evaluate
    from imgrules.testing import profiles

    pack = load("img.reapplication")

    @given(profiles(pack.schema))
    def test_one_tier_per_component(profile):
        tiers = [f for f in evaluate(pack, profile).derived if f.type == "tier"]
        components = [f.fields["component"] for f in tiers]
        assert len(components) == len(set(components))
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from hypothesis import strategies as st

from .. import _types as T

# Plausible ranges for well-known field names; anything else gets a generic range.
_INT_RANGES: Mapping[str, tuple[int, int]] = {
    "graduation_year": (2000, 2027),
    "year": (2015, 2027),
    "score": (180, 280),
    "attempts": (1, 4),
    "interviews": (0, 20),
    "programs_applied": (0, 200),
    "programs": (0, 200),
    "weeks_known": (0, 60),
    "months_known": (0, 36),
}
_PERCENT = (0, 100)
_DEFAULT_INT = (0, 30)
_COUNTRIES = ("US", "IN", "PK", "NG", "EG", "PH", "BR", "GB")
_IDS = ("a", "b", "c", "d", "e", "f")
_AS_OF = (dt.date(2025, 1, 1), dt.date(2028, 12, 31))
_EPOCH = dt.date(2024, 1, 1)
_LAST = dt.date(2029, 12, 31)


def _within(low, high, limits: T.Limits) -> tuple:
    """The plausible range ``low..high`` cut to the declared ``in lo..hi``; when the two do
    not meet, a range as wide as the plausible one at the declared end it is nearest to."""
    if limits.low is not None and isinstance(limits.low, type(low)):
        if high < limits.low:
            low, high = limits.low, limits.low + (high - low)
        low = max(low, limits.low)
    if limits.high is not None and isinstance(limits.high, type(high)):
        if low > limits.high:
            low, high = limits.high - (high - low), limits.high
        high = min(high, limits.high)
    if limits.low is not None and isinstance(limits.low, type(low)):
        low = max(low, limits.low)
    return low, high


def _in_order(data: dict, ordered: list[tuple[str, str]]) -> dict:
    """A record whose fields declared ``in other..`` are moved up to ``other`` where below it."""
    for name, other in ordered:
        if name in data and other in data and data[name] < data[other]:
            data[name] = data[other]
    return data


class _Offset(int):
    """A date drawn as days from ``as_of``, resolved once ``as_of`` is known."""


def _resolve(value, as_of: dt.date):
    if isinstance(value, _Offset):
        return as_of + dt.timedelta(days=int(value))
    if isinstance(value, dict):
        return {k: _resolve(v, as_of) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, as_of) for v in value]
    return value


class _Builder:
    """Strategies for the types of one schema; dates within ``dates`` (a (low, high) pair),
    or, when ``dates`` is None, as offsets from ``as_of`` (three years before to one after)."""

    def __init__(self, schema: T.Schema, max_list: int, dates: tuple[dt.date, dt.date] | None):
        self.schema = schema
        self.max_list = max_list
        self.dates = dates

    def value(self, t: T.Type, name: str, depth: int, limits: T.Limits = T.NO_LIMITS) -> st.SearchStrategy:
        if isinstance(t, T.EnumType):
            return st.sampled_from(t.values)
        if t == T.BOOL:
            return st.booleans()
        if t == T.INT:
            low, high = _INT_RANGES.get(name, _PERCENT if name.endswith("pct") else _DEFAULT_INT)
            return st.integers(*_within(low, high, limits))
        if t == T.FLOAT:
            low, high = _within(0.0, 100.0, limits)
            return st.floats(low, high, allow_nan=False, allow_infinity=False)
        if t == T.DATE:
            if self.dates is None:  # around as_of, well inside any plausible declared window
                return st.integers(-3 * 365, 365).map(_Offset)
            return st.dates(*_within(*self.dates, limits))
        if t == T.STR:
            if limits.pattern is not None:
                fitting = [c for c in _COUNTRIES if re.fullmatch(limits.pattern, c)] if name == "country" else []
                return st.sampled_from(fitting) if fitting else st.from_regex(limits.pattern, fullmatch=True)
            if name == "country":
                return st.sampled_from(_COUNTRIES)
            if name == "id" or name.endswith("_id"):
                return st.sampled_from(_IDS)
            return st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=8)
        if isinstance(t, T.ListType):
            min_size = limits.size_low or 0
            if depth > 3 and not min_size:
                return st.just([])
            max_size = max(min_size, min(self.max_list, limits.size_high if limits.size_high is not None
                                         else self.max_list))
            item = t.item
            unique_by = None
            key = limits.unique or ("id" if isinstance(item, T.RecordType) and item.field("id") else None)
            if key is not None:
                unique_by = (lambda r, k=key: r.get(k))  # noqa: E731 - ids are unique within a list
            return st.lists(self.value(item, name, depth + 1, limits), min_size=min_size, max_size=max_size,
                            unique_by=unique_by)
        if isinstance(t, T.RecordType):
            return self.record(t, depth + 1)
        return st.none()

    def record(self, record: T.RecordType, depth: int) -> st.SearchStrategy:
        required = {}
        optional = {}
        for field in record.fields:
            strategy = self.value(field.type, field.name, depth, field.limits)
            (optional if field.optional else required)[field.name] = strategy
        drawn = st.fixed_dictionaries(required, optional=optional)
        ordered = [(f.name, f.limits.after) for f in record.fields if f.limits.after is not None]
        return drawn.map(lambda data: _in_order(data, ordered)) if ordered else drawn


def records(schema: T.Schema, type_name: str, max_list: int = 3) -> st.SearchStrategy[dict]:
    """Instances of one declared record (or fact) type, as plain data."""
    record = schema.records.get(type_name)
    if record is None:
        raise KeyError(f"the pack declares no record type {type_name!r}")
    return _Builder(schema, max_list, (_EPOCH, _LAST)).record(record, 0)


def profiles(schema: T.Schema, max_list: int = 3) -> st.SearchStrategy[dict]:
    """Whole profiles for the pack's ``profile`` declaration, as plain data.

    ``as_of`` is drawn first; other dates fall within three years before it and one
    after, and ``application_date`` from two months before it to 18 months after.
    """
    if schema.profile is None:
        raise ValueError("the pack declares no profile")
    names = set(schema.profile.field_names)
    if not {"as_of", "application_date"} <= names:
        return _Builder(schema, max_list, (_EPOCH, _LAST)).record(schema.profile, 0)

    rest = _Builder(schema, max_list, None).record(schema.profile, 0)

    @st.composite
    def with_dates(draw):
        as_of = draw(st.dates(*_AS_OF))
        data = _resolve(draw(rest), as_of)
        ordered = {"as_of": as_of, "application_date": as_of + dt.timedelta(days=draw(st.integers(-60, 540)))}
        ordered.update((k, v) for k, v in data.items() if k not in ordered)
        return ordered

    return with_dates()
