"""Python objects as profiles: imgrules' cattrs converter and coerce_profile."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

import attrs
import pytest

from imgrules._facts import (Profile, ProfileError, coerce_profile, load_profile_text, make_converter,
                            structure, to_plain)


class Status(enum.Enum):
    RECEIVED = "received"
    SENT = "sent"


@attrs.frozen
class Letter:
    id: str
    status: Status
    weeks_known: int | None = None


@attrs.frozen
class Applicant:
    id: str
    graduation_year: int


@attrs.frozen
class Person:
    as_of: dt.date
    application_date: dt.date
    applicant: Applicant
    letters: tuple[Letter, ...] = ()
    tags: frozenset[str] = frozenset()


@dataclasses.dataclass
class DataApplicant:
    id: str
    graduation_year: int


def person(**changes) -> Person:
    values = dict(as_of=dt.date(2026, 11, 22), application_date=dt.date(2027, 9, 15),
                  applicant=Applicant("A-1", 2019), letters=(Letter("l1", Status.RECEIVED, 4),))
    return Person(**{**values, **changes})


def test_to_plain_gives_the_data_a_file_would():
    plain = to_plain(person(tags=frozenset({"b", "a"})))
    assert plain == {"as_of": dt.date(2026, 11, 22), "application_date": dt.date(2027, 9, 15),
                     "applicant": {"id": "A-1", "graduation_year": 2019},
                     "letters": [{"id": "l1", "status": "received", "weeks_known": 4}],
                     "tags": ["a", "b"]}


def test_attrs_instance_validates_like_a_file(small_schema):
    from_object = coerce_profile(person(), small_schema)
    text = ("as_of: 2026-11-22\napplication_date: 2027-09-15\napplicant: {id: A-1, graduation_year: 2019}\n"
            "letters: [{id: l1, status: received, weeks_known: 4}]\ntags: []\n")
    from_file = coerce_profile(load_profile_text(text, "yaml"), small_schema)
    assert from_object.data == from_file.data


def test_attrs_instance_errors_have_paths(small_schema):
    with pytest.raises(ProfileError) as info:
        coerce_profile(person(letters=(Letter("l1", Status.SENT),)), small_schema)
    assert str(info.value) == ("$.letters[0].status: 'sent' is not one of planned, requested, "
                               "received, uploaded")


def test_dataclasses_inside_mappings(small_schema):
    data = {"as_of": "2026-11-22", "application_date": dt.date(2027, 9, 15),
            "applicant": DataApplicant("A-2", 2020)}
    profile = coerce_profile(data, small_schema)
    assert profile.data["applicant"] == {"id": "A-2", "graduation_year": 2020}
    assert profile.data["letters"] == []


def test_coerce_profile_accepts_paths_and_profiles(tmp_path, small_schema):
    path = tmp_path / "p.json"
    path.write_text('{"as_of": "2026-11-22", "application_date": "2027-09-15", '
                    '"applicant": {"id": "A", "graduation_year": 2019}}', encoding="utf-8")
    profile = coerce_profile(str(path), small_schema)
    assert profile.source_path == str(path)
    assert coerce_profile(profile, small_schema) is profile
    assert coerce_profile(path, small_schema) == profile


def test_coerce_profile_refuses_other_values(small_schema):
    with pytest.raises(ProfileError) as info:
        coerce_profile(42, small_schema)
    assert str(info.value) == ("$: cannot read a profile from a value of type int: give a file path, "
                               "a mapping, or an attrs/dataclass instance")


def test_structure_round_trip():
    original = person()
    assert structure(to_plain(original), Person) == original


def test_structure_errors_become_path_issues():
    data = to_plain(person())
    data["applicant"]["graduation_year"] = "soon"
    data["letters"][0]["status"] = "lost"
    data["as_of"] = "2026-02-30"
    with pytest.raises(ProfileError) as info:
        structure(data, Person, source="x.yaml")
    paths = [issue.path for issue in info.value.issues]
    assert paths == ["$.as_of", "$.applicant.graduation_year", "$.letters[0].status"]
    assert all(str(info.value).splitlines()[i].startswith(f"x.yaml: {p}: ") for i, p in enumerate(paths))


def test_converters_are_independent():
    first, second = make_converter(), make_converter()
    first.register_unstructure_hook(Applicant, lambda a: "hidden")
    assert second.unstructure(Applicant("A", 1)) == {"id": "A", "graduation_year": 1}
    assert isinstance(Profile({}, None), Profile)


@pytest.mark.parametrize("fast", [False, True], ids=["full check", "fast path"])
def test_profile_data_is_the_coerced_profiles_data(small_schema, fast):
    """What evaluate validates with (a dict skips the Profile) gives what coerce_profile
    gives, for plain data, data holding Python objects, bad data and other values."""
    from imgrules._facts.api import profile_data
    from imgrules._facts.fast import compiled

    if fast:
        compiled(small_schema.profile, False)
    plain = {"as_of": "2026-11-22", "application_date": dt.date(2027, 9, 15),
             "applicant": {"id": "A-2", "graduation_year": 2020}}
    for data in (plain, {**plain, "applicant": DataApplicant("A-2", 2020)}, person(),
                 {**plain, "letters": [{"id": "l", "status": Status.RECEIVED}]}):
        assert profile_data(data, small_schema) == coerce_profile(data, small_schema).data
    for data in ({**plain, "letters": [{"id": "l", "status": Status.SENT}]}, {**plain, "zz": 1}, 42):
        with pytest.raises(ProfileError) as expected:
            coerce_profile(data, small_schema)
        with pytest.raises(ProfileError) as got:
            profile_data(data, small_schema)
        assert str(got.value) == str(expected.value)
