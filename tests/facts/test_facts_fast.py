"""The validator's fast path gives exactly what the full check gives: the same data (values,
types, key order) for profiles it accepts, and it hands every other profile to the full
check, whose issues are then the same as ever. Compared on the example profiles, mutated
one to three places at a time, near the declared bounds and the validator's limits."""

from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imgrules
from imgrules import _types as T
from imgrules._facts import ProfileError, validate_profile
from imgrules._facts.fast import Unsure, accept, compiled
from imgrules._facts.validate import check_profile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {p.stem: yaml.safe_load(p.read_text()) for p in sorted((ROOT / "examples").glob("*.yaml"))}
SCHEMAS = {name: imgrules.load(name).schema for name in ("img.first_application", "img.reapplication")}
TODAY = dt.date(2026, 11, 22)


def as_json(value):
    """The data as a JSON file gives it: dates as text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def typed(value):
    """``value`` with every type and every key order made visible to ``==``."""
    if isinstance(value, dict):
        return ("dict", [(type(k).__name__, k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def outcome(check, data, schema, partial, today):
    try:
        profile = check(copy.deepcopy(data), schema, partial, today=today)
    except ProfileError as exc:
        return "refused", [(i.path, i.message, i.line) for i in exc.issues]
    return "accepted", typed(profile.data)


def same(data, schema, partial=False, today=TODAY):
    compiled(schema.profile, partial)  # the fast path built, as after some profiles of the schema
    assert outcome(validate_profile, data, schema, partial, today) == \
        outcome(check_profile, data, schema, partial, today)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize("form", [dict, as_json])
def test_fast_path_takes_the_examples(name, form):
    """The fast path is the one valid profiles take (else the comparisons below prove little)."""
    data = form(EXAMPLES[name])
    for schema in SCHEMAS.values():
        for partial in (False, True):
            fast = accept(copy.deepcopy(data), schema.profile, partial)
            assert typed(fast) == typed(check_profile(data, schema, partial, today=TODAY).data)


def test_fast_path_leaves_as_of_to_the_caller():
    data = dict(EXAMPLES["strong-first-timer"])
    del data["as_of"]
    schema = SCHEMAS["img.first_application"]
    assert validate_profile(data, schema, today=TODAY).data["as_of"] == TODAY
    with pytest.raises(Unsure):  # required fields missing: only the full check words that
        accept({}, schema.profile, False)
    same(data, schema)
    same(data, schema, partial=True)
    same(data, schema, today=dt.date(1700, 1, 1))


def places(value, typ, here=()):
    """Every place in ``value`` a mutation can go: (path to the container, key, the field
    there or None), fields a record leaves out included."""
    found = []
    if isinstance(value, dict) and isinstance(typ, T.RecordType):
        for field in typ.fields:
            if field.name not in value:
                found.append((here, field.name, field))
        for k, v in value.items():
            field = typ.field(k) if isinstance(k, str) else None
            found.append((here, k, field))
            if field is not None:
                found.extend(places(v, field.type, (*here, k)))
    elif isinstance(value, list) and isinstance(typ, T.ListType):
        for i, v in enumerate(value):
            found.append((here, i, None))
            found.extend(places(v, typ.item, (*here, i)))
    return found


EDGE_DATES = [dt.date(1799, 12, 31), dt.date(1800, 1, 1), dt.date(2999, 12, 31), dt.date(3000, 1, 1)]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 310), st.sampled_from([10**9, 10**9 + 1, -(10**9) - 1, 10**15 + 1]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 100.0, 100.5, -0.5, 1e15, 1e16]),
    st.text(max_size=6), st.sampled_from(["US", "us", "EG", "x" * 10_001, "received", "pass", "2026-11-22",
                                          "2026-02-30", "2026-1-1", "1949-12-31", "٢٠٢٦-١١-٢٢"]),
    st.sampled_from(EDGE_DATES), st.dates(), st.datetimes(),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(st.sampled_from(["id", "score", "status", "zzz", 3]), inner, max_size=3)), max_leaves=8)


def _days(day, delta):
    try:
        return day + dt.timedelta(days=delta)
    except OverflowError:
        return day


def near(field, value, record) -> list:
    """Values of ``field`` just inside or just outside what it allows: at its declared
    bounds, next to the field it may not be below, at the validator's own limits."""
    typ, limits = field.type, field.limits
    item = typ.item if isinstance(typ, T.ListType) else typ
    ends = [e for e in (limits.low, limits.high) if e is not None]
    if item == T.DATE:
        other = record.get(limits.after) if limits.after and isinstance(record, dict) else None
        if isinstance(other, str):
            try:
                other = dt.date.fromisoformat(other)
            except ValueError:
                other = None
        if isinstance(other, dt.date) and not isinstance(other, dt.datetime):
            ends.append(other)
        days = [_days(day, delta) for day in [*ends, *EDGE_DATES] for delta in (-1, 0, 1)]
        scalars = days + [d.isoformat() for d in days]
    elif item in (T.INT, T.FLOAT):
        scalars = [n + d for n in [*ends, 10**9, 10**15] for d in (-1, 0, 1)]
        scalars += [float(n) for n in scalars] + [n + 0.5 for n in scalars] + [True]
    elif item == T.STR:
        scalars = ["US", "us", "USA", "x" * 10_000, "x" * 10_001, "", 1]
    elif isinstance(item, T.EnumType):
        scalars = [*item.values, "none", item.values[0].upper()]
    elif item == T.BOOL:
        scalars = [True, False, 0, 1]
    else:
        scalars = []
    if not isinstance(typ, T.ListType):
        return scalars
    sizes = {0, 1, *(n + d for n in (limits.size_low, limits.size_high) if n is not None for d in (-1, 0, 1))}
    sizes = sorted(n for n in sizes if n >= 0)
    if isinstance(item, T.RecordType):
        if not (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
            return [[]]  # (an earlier mutation may have left an item that is no record)
        made = []
        for n in sizes:
            for duplicate in (False, True):
                items = [dict(value[i % len(value)]) for i in range(n)]
                for i, rec in enumerate(items):
                    if limits.unique:
                        rec[limits.unique] = "u0" if duplicate and i == n - 1 else f"u{i}"
                made.append(items)
        return made
    return [[scalar] * n for scalar in scalars for n in sizes]


def edge_cases():
    """An example with one field set to each of its near values, or left out, or null
    (each field once, in the first example and list item that has it)."""
    seen = set()
    for name, example in sorted(EXAMPLES.items()):
        for where, key, field in places(example, SCHEMAS["img.reapplication"].profile):
            shape = (tuple(step for step in where if isinstance(step, str)), key)
            if field is None or shape in seen:
                continue
            seen.add(shape)
            container = example
            for step in where:
                container = container[step]
            for value in [None, _ABSENT, *near(field, container.get(key), container)]:
                data = copy.deepcopy(example)
                target = data
                for step in where:
                    target = target[step]
                if value is _ABSENT:
                    target.pop(key, None)
                else:
                    target[key] = copy.deepcopy(value)
                yield data


_ABSENT = object()


@st.composite
def mutated(draw):
    data = copy.deepcopy(draw(st.sampled_from(sorted(EXAMPLES.items())))[1])
    if draw(st.booleans()):
        data = as_json(data)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        found = places(data, SCHEMAS["img.reapplication"].profile)
        bounded = [p for p in found if p[2] is not None and p[2].limits.declared]
        where, key, field = draw(st.sampled_from(bounded if bounded and draw(st.booleans()) else found))
        container = data
        for step in where:
            container = container[step]
        action = draw(st.sampled_from(["near"] * 6 + ["set", "null", "delete", "add"]))
        if action == "near" and field is not None:
            container[key] = draw(st.sampled_from(near(field, container.get(key), container) or [None]))
        elif action == "null":
            container[key] = None
        elif action == "delete" and (isinstance(container, list) or key in container):
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[draw(st.sampled_from(["zzz", "Id", 1, "as_of", "track"]))] = draw(values)
        elif isinstance(container, dict) or key < len(container):
            container[key] = draw(values)
    return data


def test_fast_path_agrees_at_every_bound():
    """Every field of every example at and around its bounds, one field at a time."""
    count = 0
    for data in edge_cases():
        for schema in SCHEMAS.values():
            same(data, schema)
        same(data, SCHEMAS["img.reapplication"], partial=True)
        count += 1
    assert count > 1000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(), schema=st.sampled_from(sorted(SCHEMAS)), partial=st.booleans(),
       today=st.sampled_from([None, TODAY, dt.date(2999, 12, 31), dt.date(3000, 1, 1)]))
def test_fast_path_agrees_with_the_full_check(data, schema, partial, today):
    same(data, SCHEMAS[schema], partial, today)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(), schema=st.sampled_from(sorted(SCHEMAS)), partial=st.booleans())
def test_fast_path_agrees_with_the_full_check_long(data, schema, partial):
    same(data, SCHEMAS[schema], partial, None if partial else TODAY)


def test_nan_is_refused_by_both():
    data = as_json(EXAMPLES["strong-first-timer"])
    data["programs"] = [{"name": "P", "img_share_pct": math.nan}]
    same(data, SCHEMAS["img.first_application"])


SMALL_CHANGES = [
    *((("applicant", "since"), day) for day in (
        dt.date(1799, 12, 31), dt.date(1800, 1, 1), dt.date(2999, 12, 31), dt.date(3000, 1, 1),
        "1800-01-01", "1799-12-31", "3000-01-01", dt.datetime(2020, 1, 1), "2020-02-30")),
    *((("applicant", "graduation_year"), n) for n in (10**9, 10**9 + 1, -(10**9), -(10**9) - 1, True, 2019.0)),
    *((("letters", 0, "share"), x) for x in (1, 1.0, 10**15, 10**15 + 1, 1e15, -1e15, 1.5e15, True,
                                              math.nan, math.inf, "1.0")),
    *((("tags",), tags) for tags in (["a"] * 10_000, ["a"] * 10_001, ("a",), ["a", None], [], None)),
    (("letters",), ({"id": "l1", "status": "received"},)),
    (("applicant", "id"), "x" * 10_000), (("applicant", "id"), "x" * 10_001),
    (("exams",), {"step2_ck": None}), (("exams",), None), (("letters",), None),
]


@pytest.mark.parametrize("where, value", SMALL_CHANGES, ids=lambda v: repr(v)[:30])
def test_fast_path_agrees_at_the_validators_limits(small_schema, base_data, where, value):
    target = base_data
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    same(base_data, small_schema)
    same(as_json(base_data), small_schema, partial=True)


BOUNDS_PACK = """
pack test.bounds
record Span {
  start: date?
  end: date? in start..2100-12-31
  upto: date? in ..2100-12-31
  since: date? in 1950-01-01..
  n: int? in 0..
  m: int? in ..5
  share: float? in 0.0..100.0
  code: str? matches "[A-Z]{2}"
  tags: list[str]? size 1..2
  days: list[date]? size ..3
}
profile {
  as_of: date
  spans: list[Span] size ..3 unique code
}
"""
EDGES = [dt.date(1799, 12, 30), dt.date(1799, 12, 31), dt.date(1800, 1, 1), dt.date(1949, 12, 31),
         dt.date(1950, 1, 1), dt.date(2100, 12, 31), dt.date(2101, 1, 1), dt.date(2999, 12, 31),
         dt.date(3000, 1, 1)]
SPAN_VALUES = {
    "start": [None, *EDGES], "end": [None, *EDGES], "upto": EDGES, "since": EDGES,
    "n": [-1, 0, 1, 10**9, 10**9 + 1], "m": [-(10**9) - 1, -(10**9), 5, 6],
    "share": [-0.5, 0, 0.0, 100, 100.0, 100.5, True], "code": ["US", "us", "USA"],
    "tags": [[], ["a"], ["a", "b"], ["a", "b", "c"]], "days": [[], [EDGES[2]] * 3, [EDGES[2]] * 4, [EDGES[0]]],
}


@pytest.fixture(scope="module")
def bounds_schema():
    return imgrules.loads(BOUNDS_PACK, name="bounds.rules", use_cache=False).schema


@pytest.mark.parametrize("name", sorted(SPAN_VALUES))
def test_fast_path_agrees_on_every_kind_of_bound(bounds_schema, name):
    for value in SPAN_VALUES[name]:
        for other in SPAN_VALUES["start"] if name == "end" else [None]:
            span = {"code": "AA", name: value} if other is None else {"start": other, name: value}
            for data in ({"as_of": TODAY, "spans": [span]}, {"as_of": TODAY, "spans": [span, dict(span)]}):
                same(data, bounds_schema)
                same(as_json(data), bounds_schema, partial=True)


WIDE_PACK = """
pack test.wide
enum Kind { a, b, c }
record Inner { id: str?, n: int? in 0..9 }
record Wide {
  text: str
  kind: Kind
  n: int in 0..100
  x: float in -1.5..2.5
  on: bool
  day: date in 2000-01-01..2030-12-31
  later: date? in day..
  ratio: float?
  code: str? matches "[A-Z]{2}"
  kind2: Kind?
  texts: list[str]? size ..2 matches "[a-z]+"
  kinds: list[Kind]?
  ints: list[int]? in 1..5
  floats: list[float]? in 0.0..1.0
  days: list[date]? in 2001-01-01..
  flags: list[bool]? size 1..
  inner: Inner?
  inners: list[Inner] size ..3 unique id
  more: list[Inner] size 1..
  o1: bool?
  o2: int?
  o3: str?
  o4: date?
  o5: float?
  o6: Kind?
  o7: Inner?
  o8: list[str]?
}
profile {
  as_of: date
  items: list[Wide]
  one: Wide?
}
"""
WIDE_VALUES = {
    "text": ["t", "", "x" * 10_001, 1], "kind": ["a", "c", "d", "A"], "n": [0, 100, 101, -1, 5.0, True],
    "x": [-1.5, 2.5, 2.6, -2, 0, True, math.nan, "1"], "on": [True, False, 0], "ratio": [0, 1.0, 1e15, 10**15 + 1, math.inf],
    "day": [dt.date(2000, 1, 1), dt.date(1999, 12, 31), "2030-12-31", "2031-01-01", dt.datetime(2010, 1, 1), "2010-1-1"],
    "later": [dt.date(2000, 1, 1), dt.date(2020, 6, 1), "2035-01-01", dt.date(2999, 12, 31), dt.date(3000, 1, 1)],
    "code": ["US", "usa", "U", 3], "kind2": ["a", "b", "c", "z"], "texts": [[], ["ab"], ["ab", "c"], ["a", "b", "c"], ["A"], "ab"],
    "kinds": [["a", "a"], ["b"], [], ["d"], [None]], "ints": [[1, 5], [0], [6], [True], [2.0], (1,)],
    "floats": [[0, 1], [0.5, 1.0], [1.5], [-0.0], [True], ["0"]], "days": [["2001-01-01"], [dt.date(2000, 12, 31)], ["x"], []],
    "flags": [[True], [], [1], [True, False]],
    "inner": [{}, {"id": "i", "n": 9}, {"n": 10}, {"zz": 1}, {"n": None}, [], "x"],
    "inners": [[{"id": "p"}, {"id": "q"}], [{"id": "p"}, {"id": "p"}], [{}, {}], [{"n": 1}] * 4, [None], [[]]],
    "more": [[{}], [], [{"id": "p"}, {"id": "p"}]],
    "o1": [True, 1], "o2": [3, 10**9 + 1, 3.0], "o3": ["s", b"s"], "o4": ["2020-02-29", "2021-02-29"],
    "o5": [1, 1.5, True], "o6": ["b", "e"], "o7": [{"id": "r"}, {"id": 3}], "o8": [["a"], [None], ("a",)],
}
WIDE_VALID = {"text": "t", "kind": "a", "n": 1, "x": 0.5, "on": True, "day": dt.date(2020, 1, 1), "more": [{}]}


@pytest.fixture(scope="module")
def wide_schema():
    return imgrules.loads(WIDE_PACK, name="wide.rules", use_cache=False).schema


@st.composite
def wide_records(draw):
    """A Wide record: the valid one with some fields changed, left out, set null, added
    (a key that is no field, a key that is no text), in a random key order."""
    record = dict(WIDE_VALID)
    for name in draw(st.lists(st.sampled_from(sorted(WIDE_VALUES)), max_size=4)):
        record[name] = copy.deepcopy(draw(st.sampled_from([*WIDE_VALUES[name], None])))
    for name in draw(st.lists(st.sampled_from(sorted(WIDE_VALUES)), max_size=2)):
        record.pop(name, None)
    if draw(st.integers(0, 9)) == 0:
        record[draw(st.sampled_from(["zz", "Text", 7, None]))] = 1
    order = draw(st.permutations(list(record)))
    return {k: record[k] for k in order}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(wide_records(), max_size=3), one=st.one_of(st.none(), wide_records()),
       partial=st.booleans(), json_dates=st.booleans())
def test_fast_path_agrees_on_every_kind_of_field(wide_schema, items, one, partial, json_dates):
    """Required and optional fields of every type (lists of each too), bounds of each kind,
    many optional fields, keys in any order: the fast path accepts exactly what the full
    check does, with the same data."""
    data = {"as_of": TODAY, "items": items} if one is None else {"one": one, "items": items, "as_of": TODAY}
    same(as_json(data) if json_dates else data, wide_schema, partial)


def test_fast_path_takes_every_kind_of_field(wide_schema):
    """Every field set to a value it takes: the fast path accepts it (the comparisons above
    are not all refusals) and gives the full check's data."""
    record = {**WIDE_VALID, **{name: copy.deepcopy(values[0]) for name, values in WIDE_VALUES.items()}}
    record["later"] = dt.date(2020, 6, 1)
    data = {"as_of": TODAY, "items": [record, dict(record, more=[{"id": "m"}])], "one": record}
    for partial in (False, True):
        assert typed(accept(copy.deepcopy(data), wide_schema.profile, partial)) == \
            typed(check_profile(data, wide_schema, partial, today=TODAY).data)
        same(as_json(data), wide_schema, partial)


def test_fast_path_is_built_after_some_profiles(monkeypatch):
    """A schema's first profiles are checked in full (building the fast path costs more
    than checking one profile, as ``imgrules eval`` does); later ones take the fast path.
    Both give the same data."""
    from imgrules._facts import fast, validate

    monkeypatch.setattr(fast, "COMPILE_AFTER", 3)
    full = []
    monkeypatch.setattr(validate, "check_profile", lambda *a, **k: full.append(1) or check_profile(*a, **k))
    schema = imgrules.loads(BOUNDS_PACK, name="bounds.rules", use_cache=False).schema
    data = {"as_of": "2026-11-22", "spans": [{"code": "AA", "start": "2020-01-01", "n": 2}]}
    expected = typed(check_profile(data, schema).data)
    for _ in range(6):
        assert typed(validate_profile(copy.deepcopy(data), schema).data) == expected
    assert len(full) == 3
