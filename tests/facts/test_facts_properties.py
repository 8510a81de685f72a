"""Invariants: whatever data arrives, validation and reading fail only with ProfileError."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imgrules
from imgrules._facts import Profile, ProfileError, load_profile_text, validate_profile

CORE = Path(__file__).resolve().parents[2] / "rules" / "img" / "core.rules"
CORE_SCHEMA = imgrules.load(CORE).schema

# Keys drawn mostly from real field names, so that the data reaches deep into the schema.
FIELD_NAMES = sorted({f.name for r in [CORE_SCHEMA.profile, *CORE_SCHEMA.records.values()] for f in r.fields})
ENUM_VALUES = sorted({v for e in CORE_SCHEMA.enums.values() for v in e.values})

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**120), max_value=10**120),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(ENUM_VALUES), st.dates(), st.datetimes(),
    st.sampled_from(["2026-11-22", "2026-02-30", "0000-01-01", "2026-1-1"]),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8), st.integers(0, 3))
json_like = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)), max_leaves=40)
profiles = st.dictionaries(st.sampled_from(FIELD_NAMES), json_like, max_size=10)


def check(data, partial):
    try:
        result = validate_profile(data, CORE_SCHEMA, partial=partial, today=dt.date(2026, 11, 22))
    except ProfileError as exc:
        assert exc.issues and all(i.path.startswith("$") for i in exc.issues)
        assert str(exc).count("\n") == len(exc.issues) - 1
    else:
        assert isinstance(result, Profile)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(profiles, json_like), partial=st.booleans())
def test_validation_raises_only_profile_error(data, partial):
    check(data, partial)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>\"' \n,#=.12")), max_size=60),
       fmt=st.sampled_from(["yaml", "json", "toml"]))
def test_reading_raises_only_profile_error(text, fmt):
    try:
        raw = load_profile_text(text, fmt, "fuzz")
    except ProfileError as exc:
        assert exc.issues
    else:
        assert isinstance(raw.data, dict)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(profiles, json_like), partial=st.booleans())
def test_validation_raises_only_profile_error_long(data, partial):
    check(data, partial)
