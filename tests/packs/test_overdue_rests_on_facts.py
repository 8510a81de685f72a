"""Every overdue item names a fact the profile gives (issue 14: no alarm from silence).

Hypothesis takes a shipped example, leaves out any of its optional fields (at any depth:
a top-level record, a field of a record, a field of one list element) and moves ``as_of``
up to a year later, so that more milestones fall due. For every finding the report shows
as overdue, the profile facts it was decided on (its provenance's ``matched`` paths, and
those of the derived facts it rests on) must include one the profile gives: a value that
is present, or a field the contract requires (a required list left out is the empty list,
which is a statement), or a field left out of a record the reapplication pack reads as a
statement (``targets``: a target left out of it is not set). A milestone resting only on
optional facts the profile leaves out is something to ask for (``needs_info``), never
overdue. The same holds for any valid profile the testing strategies generate;
``test_the_property_can_fail`` shows the check catching a pack that reads an unrecorded
list as "none".
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imgrules
from imgrules._types import ListType, RecordType
from imgrules.testing.strategies import profiles

from .test_personas import ABSENT, EXAMPLES, PACKS, ROOT, _field, _value

_LOADED = {track: imgrules.load(path) for track, path in PACKS.items()}
_PROFILES = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in EXAMPLES]


@st.composite
def thinned_profiles(draw):
    """An example profile with some optional fields left out and ``as_of`` moved on."""
    profile = copy.deepcopy(draw(st.sampled_from(_PROFILES)))
    schema = _LOADED[profile["track"]].schema
    _thin(draw, profile, schema.profile)
    profile["as_of"] = _months_later(profile["as_of"], draw(st.integers(0, 12)))
    return profile


def _months_later(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def _thin(draw, data: dict, rtype: RecordType) -> None:
    for field in rtype.fields:
        if field.name not in data:
            continue
        if field.optional and draw(st.booleans()):
            del data[field.name]
            continue
        value, ftype = data[field.name], field.type
        if isinstance(ftype, RecordType) and isinstance(value, dict):
            _thin(draw, value, ftype)
        elif isinstance(ftype, ListType) and isinstance(ftype.item, RecordType) and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _thin(draw, item, ftype.item)


def _derivations(out) -> dict[str, list]:
    """Each derived fact (its canonical JSON without provenance) -> its derivations."""
    return {_key(fact): fact.get("provenance") or [] for fact in out["derived"]}


def _key(fact: dict) -> str:
    return json.dumps({k: v for k, v in fact.items() if k != "provenance"}, sort_keys=True)


def facts_read(provenance: dict, derivations: dict) -> set[str]:
    """The profile paths a finding was decided on, through the derived facts it rests on."""
    paths, seen, todo = set(provenance.get("matched", [])), set(), list(provenance.get("rests_on", []))
    while todo:
        key = _key(todo.pop())
        if key in seen:
            continue
        seen.add(key)
        for derivation in derivations.get(key, ()):
            paths.update(derivation.get("matched", []))
            todo.extend(derivation.get("rests_on", []))
    return paths


# img.reapplication's stated reading (its MISSING DATA note): "once the applicant gives the
# record, an item left out of it is 'not done'". Giving one of these records is a statement
# about each of its fields.
STATING_RECORDS = ("$.targets", "$.eras", "$.reapply")


def gives(profile: dict, schema, path: str) -> bool:
    """Whether the profile gives the fact at ``path``: present, required by the contract, or
    left out of a record that states its fields (STATING_RECORDS)."""
    field = _field(schema, path)
    if field is None or not field.optional or _value(profile, path) is not ABSENT:
        return True
    return any(path.startswith(record + ".") and _value(profile, record) is not ABSENT
               for record in STATING_RECORDS)


def silent_overdue(pack, profile: dict) -> list:
    """The overdue findings that rest on no fact the profile gives."""
    out = imgrules.evaluate(pack, profile).to_json()
    derivations = _derivations(out)
    silent = []
    for finding in out["findings"]:
        if finding.get("status") != "overdue":
            continue
        read = facts_read(finding.get("provenance") or {}, derivations)
        if not any(gives(profile, pack.schema, p) for p in read):
            silent.append((finding["rule"], sorted(read)))
    return silent


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(thinned_profiles())
def test_every_overdue_item_names_a_fact_the_profile_gives(profile):
    assert silent_overdue(_LOADED[profile["track"]], profile) == []


def test_the_property_can_fail():
    """A pack that reads an unrecorded mentor list as "no mentor contacted" makes
    'Email potential mentors' overdue from silence: the check names it."""
    original = "let fa_mentor_contacted = exists(mentors where contacted_on is present)"
    text = PACKS["first_time"].read_text(encoding="utf-8")
    assert text.count(original) == 1
    broken = imgrules.loads(text.replace(original, "let fa_mentor_contacted = mentors is present\n"
                                                  "    and exists(mentors where contacted_on is present)"),
                            roots=[ROOT / "rules"], use_cache=False)
    profile = next(copy.deepcopy(p) for p in _PROFILES if p["applicant"]["id"] == "A-101")
    assert "mentors" not in profile and profile["as_of"] == dt.date(2026, 11, 22)  # T-9
    assert silent_overdue(_LOADED["first_time"], profile) == []
    assert ("fa_contact_mentors", ["$.mentors"]) in silent_overdue(broken, profile)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(sorted(PACKS)).flatmap(
    lambda track: st.tuples(st.just(track), profiles(_LOADED[track].schema))))
def test_generated_applicants_are_not_overdue_from_silence(track_and_profile):
    """Any valid profile (imgrules.testing.strategies), not only the examples' shapes."""
    track, profile = track_and_profile
    assert silent_overdue(_LOADED[track], profile) == []
