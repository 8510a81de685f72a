"""Hypothesis strategies built from a pack's declared fact types.

``profiles(schema)`` draws whole profiles that satisfy the pack's ``profile`` declaration
(enum fields take declared values, optional fields are sometimes absent, lists are
short, dates are plausible); ``records(schema, "Letter")`` draws one record type. Use
them to property-test packs from Python::

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
from collections.abc import Mapping

from hypothesis import strategies as st

from .. import types as T

# Plausible ranges for well-known field names; anything else gets a generic range.
_INT_RANGES: Mapping[str, tuple[int, int]] = {
    "graduation_year": (2000, 2027),
    "year": (2015, 2027),
    "score": (180, 280),
    "attempts": (1, 4),
    "interviews": (0, 20),
    "programs_applied": (0, 200),
    "weeks_known": (0, 60),
}
_DEFAULT_INT = (0, 30)
_EPOCH = dt.date(2024, 1, 1)
_LAST = dt.date(2029, 12, 31)
_COUNTRIES = ("US", "IN", "PK", "NG", "EG", "PH", "BR", "GB")


def _strategy(schema: T.Schema, t: T.Type, name: str, depth: int, max_list: int) -> st.SearchStrategy:
    if isinstance(t, T.EnumType):
        return st.sampled_from(t.values)
    if t == T.BOOL:
        return st.booleans()
    if t == T.INT:
        low, high = _INT_RANGES.get(name, _DEFAULT_INT)
        return st.integers(low, high)
    if t == T.FLOAT:
        return st.floats(0, 100, allow_nan=False, allow_infinity=False)
    if t == T.DATE:
        return st.dates(_EPOCH, _LAST)
    if t == T.STR:
        if name == "country":
            return st.sampled_from(_COUNTRIES)
        return st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1, max_size=12)
    if isinstance(t, T.ListType):
        if depth > 3:
            return st.just([])
        return st.lists(_strategy(schema, t.item, name, depth + 1, max_list), max_size=max_list)
    if isinstance(t, T.RecordType):
        return _record(schema, t, depth + 1, max_list)
    return st.none()


def _record(schema: T.Schema, record: T.RecordType, depth: int, max_list: int) -> st.SearchStrategy:
    required = {}
    optional = {}
    for field in record.fields:
        strategy = _strategy(schema, field.type, field.name, depth, max_list)
        (optional if field.optional else required)[field.name] = strategy
    return st.fixed_dictionaries(required, optional=optional)


def records(schema: T.Schema, type_name: str, max_list: int = 3) -> st.SearchStrategy[dict]:
    """Instances of one declared record (or fact) type, as plain data."""
    record = schema.records.get(type_name)
    if record is None:
        raise KeyError(f"the pack declares no record type {type_name!r}")
    return _record(schema, record, 0, max_list)


def profiles(schema: T.Schema, max_list: int = 3) -> st.SearchStrategy[dict]:
    """Whole profiles for the pack's ``profile`` declaration, as plain data.

    ``as_of`` and ``application_date`` are kept within 18 months of each other so that the
    countdown's months are exercised.
    """
    if schema.profile is None:
        raise ValueError("the pack declares no profile")
    base = _record(schema, schema.profile, 0, max_list)
    names = set(schema.profile.field_names)
    if not {"as_of", "application_date"} <= names:
        return base

    @st.composite
    def with_dates(draw):
        data = draw(base)
        as_of = draw(st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)))
        data["as_of"] = as_of
        data["application_date"] = as_of + dt.timedelta(days=draw(st.integers(-60, 540)))
        return data

    return with_dates()
