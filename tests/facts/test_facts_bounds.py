"""Profile data against the bounds its fields declare: each violation with its path."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

import imgrules
from imgrules import _types as T
from imgrules._facts import ProfileError, validate_profile

BOUNDED = """
pack test.bounded
enum Specialty { im, fm, peds }
record Cycle { year: int in 1950..2100, interviews: int in 0.., share: float? in 0..100 }
record Experience {
  country: str matches "[A-Z]{2}"
  start: date in 1950-01-01..2100-12-31
  end: date? in start..2100-12-31
}
profile {
  as_of: date
  targets: list[Specialty] size 1..2
  cycles: list[Cycle] size ..3
  experiences: list[Experience]
  scores: list[int]? size 2..2 in 1..300
}
"""


@pytest.fixture(scope="module")
def schema():
    return imgrules.loads(BOUNDED, name="bounded.rules", use_cache=False).schema


def _valid() -> dict:
    return {"as_of": "2026-11-22", "targets": ["im"],
            "cycles": [{"year": 2026, "interviews": 0, "share": 0}],
            "experiences": [{"country": "US", "start": "2026-01-05", "end": "2026-01-05"}],
            "scores": [1, 300]}


def issues(data, schema) -> list[str]:
    with pytest.raises(ProfileError) as info:
        validate_profile(data, schema)
    return [issue.render() for issue in info.value.issues]


def test_values_at_the_ends_of_their_ranges_are_accepted(schema):
    data = validate_profile(_valid(), schema).data
    assert data["cycles"] == [{"year": 2026, "interviews": 0, "share": 0.0}]
    assert data["experiences"][0]["end"] == dt.date(2026, 1, 5)


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["cycles"][0].update(interviews=-5), "$.cycles[0].interviews: -5 is below the minimum 0"),
    (lambda d: d["cycles"][0].update(year=1900), "$.cycles[0].year: 1900 is below the minimum 1950"),
    (lambda d: d["cycles"][0].update(year=2101), "$.cycles[0].year: 2101 is above the maximum 2100"),
    (lambda d: d["cycles"][0].update(share=100.5), "$.cycles[0].share: 100.5 is above the maximum 100.0"),
    (lambda d: d.update(targets=["im", "fm", "peds"]), "$.targets: 3 items, more than the maximum 2"),
    (lambda d: d.update(targets=[]), "$.targets: 0 items, fewer than the minimum 1"),
    (lambda d: d.update(cycles=[_valid()["cycles"][0]] * 4), "$.cycles: 4 items, more than the maximum 3"),
    (lambda d: d["experiences"][0].update(country="USA"),
     "$.experiences[0].country: 'USA' does not have the required form (it must match [A-Z]{2})"),
    (lambda d: d["experiences"][0].update(country="us"),
     "$.experiences[0].country: 'us' does not have the required form (it must match [A-Z]{2})"),
    (lambda d: d["experiences"][0].update(start="1949-12-31"),
     "$.experiences[0].start: 1949-12-31 is below the minimum 1950-01-01"),
    (lambda d: d["experiences"][0].update(end="2026-01-04"),
     "$.experiences[0].end: 2026-01-04 is before start (2026-01-05)"),
    (lambda d: d.update(scores=[1]), "$.scores: 1 item, fewer than the minimum 2"),
    (lambda d: d.update(scores=[1, 301]), "$.scores[1]: 301 is above the maximum 300"),
])
def test_a_value_outside_its_bounds_is_refused_with_its_path(schema, change, expected):
    data = _valid()
    change(data)
    assert issues(data, schema) == [expected]


def test_every_violation_is_reported_together(schema):
    data = _valid()
    data["targets"] = ["im", "fm", "im"]
    data["cycles"][0]["interviews"] = -1
    data["experiences"].append({"country": "USA", "start": "2026-02-01", "end": "2026-01-01"})
    assert issues(data, schema) == [
        "$.targets: 3 items, more than the maximum 2",
        "$.cycles[0].interviews: -1 is below the minimum 0",
        "$.experiences[1].country: 'USA' does not have the required form (it must match [A-Z]{2})",
        "$.experiences[1].end: 2026-01-01 is before start (2026-02-01)",
    ]


def test_an_absent_optional_field_keeps_no_bound(schema):
    data = _valid()
    del data["scores"], data["experiences"][0]["end"], data["cycles"][0]["share"]
    assert "scores" not in validate_profile(data, schema).data


def test_pack_tests_check_bounds_too(schema):
    with pytest.raises(ProfileError) as info:
        validate_profile({"cycles": [{"interviews": -2}]}, schema, partial=True)
    assert [i.render() for i in info.value.issues] == ["$.cycles[0].interviews: -2 is below the minimum 0"]


# ------------------------------------------------------------------ the shipped packs' bounds

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped_schema():
    from imgrules._check import check_pack
    from imgrules._loader import load_packs

    return check_pack(load_packs(ROOT / "rules" / "img" / "reapplication.rules")).schema


def _bounded_sites(data: dict, rtype: T.RecordType, path: str):
    """(record data, field, path) for every given field of ``data`` that declares bounds."""
    for field in rtype.fields:
        if field.name not in data:
            continue
        where = f"{path}.{field.name}"
        if field.limits.declared:
            yield data, field, where
        value = data[field.name]
        item = field.type.item if isinstance(field.type, T.ListType) else field.type
        if isinstance(item, T.RecordType):
            for i, element in enumerate(value if isinstance(value, list) else [value]):
                yield from _bounded_sites(element, item, f"{where}[{i}]" if isinstance(value, list) else where)


def _break(record: dict, field: T.Field):
    """Change the record so that ``field`` breaks one of its bounds; False when it cannot."""
    limits, value = field.limits, record[field.name]
    if isinstance(value, list):
        if limits.size_low:
            record[field.name] = []
            return True
        if limits.size_high is not None and value:
            record[field.name] = value + [value[0]] * (limits.size_high + 1 - len(value))
            return True
        if value and (limits.low is not None or limits.high is not None or limits.pattern):
            record[field.name] = [_outside(limits, value[0])] + value[1:]
            return True
        return False
    if limits.after is not None:
        if limits.after not in record:
            return False
        record[field.name] = record[limits.after] - dt.timedelta(days=1)
        return True
    record[field.name] = _outside(limits, value)
    return True


def _outside(limits: T.Limits, value):
    if limits.pattern is not None:
        return "not a code!"
    if limits.low is not None:
        return limits.low - (dt.timedelta(days=1) if isinstance(value, dt.date) else 1)
    return limits.high + (dt.timedelta(days=1) if isinstance(value, dt.date) else 1)


def test_generated_odd_profiles_are_refused_at_the_broken_field(shipped_schema):
    """A valid generated profile with one bounded field broken is refused, at that field."""
    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis import strategies as st

    from imgrules.testing import profiles

    refused = []

    @settings(max_examples=150, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(profiles(shipped_schema), st.data())
    def check(profile, data):
        profile = copy.deepcopy(profile)
        sites = list(_bounded_sites(profile, shipped_schema.profile, "$"))
        assume(sites)
        record, field, path = data.draw(st.sampled_from(sites))
        assume(_break(record, field))
        with pytest.raises(ProfileError) as info:
            validate_profile(profile, shipped_schema)
        assert any(issue.path == path or issue.path.startswith(path + "[") for issue in info.value.issues), \
            (path, [i.render() for i in info.value.issues])
        refused.append(path)

    check()
    assert len({p.split("[")[0] for p in refused}) >= 10  # many different fields were broken


def test_a_list_left_out_or_null_is_empty_and_must_allow_it(schema):
    data = _valid()
    del data["targets"]
    assert issues(data, schema) == ["$.targets: 0 items, fewer than the minimum 1"]
    data["targets"] = None
    assert issues(data, schema) == ["$.targets: 0 items, fewer than the minimum 1"]
    # partial data (pack tests) leaves out what it does not need
    assert "targets" in validate_profile({"cycles": []}, schema, partial=True).data


def test_unique_refuses_two_items_with_the_same_key():
    schema = imgrules.loads("""
pack test.unique
record Letter { id: str, writer: str? }
profile { letters: list[Letter] unique id }
""", name="unique.rules", use_cache=False).schema
    letters = [{"id": "a"}, {"id": "b"}, {"id": "a"}, {"id": "b"}, {"id": "c"}]
    assert issues({"letters": letters}, schema) == [
        "$.letters[2].id: 'a' is already the id of $.letters[0]",
        "$.letters[3].id: 'b' is already the id of $.letters[1]",
    ]
    assert validate_profile({"letters": letters[:2]}, schema).data["letters"] == letters[:2]


def test_the_shipped_lists_of_records_have_unique_ids(tmp_path, capsys):
    from imgrules._cli import main

    text = (ROOT / "examples" / "strong-first-timer.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["letters"].append(dict(data["letters"][0]))
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code = main(["eval", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"$.letters[{len(data['letters']) - 1}].id: '{data['letters'][0]['id']}' is already the id of $.letters[0]" in err
