"""`imgrules schema`: the profile's JSON Schema agrees with imgrules' own profile loader.

Every example profile is valid for both; every hostile-corpus profile that can be read,
and a set of broken variants of an example, gets the same verdict from the ``jsonschema``
library as from imgrules.
"""

from __future__ import annotations

import copy
import re
import datetime as dt
import json
import math
from pathlib import Path

import jsonschema
import pytest
import yaml

from imgrules._check import check_pack
from imgrules._cli import main
from imgrules._facts.errors import ProfileError
from imgrules._facts.json_schema import DIALECT, field_docs, profile_json_schema
from imgrules._facts.reader import load_profile_file
from imgrules._facts.validate import validate_profile
from imgrules._loader import load_packs

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
CORPUS = REPO / "tests" / "hostile" / "corpus"
CORPUS_PROFILES = sorted(p for p in (CORPUS / "profiles").iterdir() if p.suffix != ".expected")


def _readable(path: Path) -> bool:
    """Whether the file is a document at all (an alias bomb or bad UTF-8 is refused before
    any validation, so the schema never sees it)."""
    try:
        load_profile_file(path)
    except ProfileError:
        return False
    return True


READABLE = [p for p in CORPUS_PROFILES if _readable(p)]


def _schemas(pack):
    checked = check_pack(load_packs(pack))
    assert checked.ok
    document = profile_json_schema(checked.schema, field_docs(checked.packs, checked.sources))
    jsonschema.Draft202012Validator.check_schema(document)
    return checked.schema, jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def core():
    return _schemas(REPO / "rules" / "img" / "core.rules")


def as_json(value):
    """Data as a JSON (or YAML language server) document holds it: dates are text, and a
    YAML .nan or .inf, which JSON has no number for, is the text it was written as."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def verdicts(schemas, data) -> tuple[bool, bool]:
    """(imgrules accepts it, the JSON Schema accepts it)."""
    schema, validator = schemas
    try:
        validate_profile(data, schema)
        ours = True
    except ProfileError:
        ours = False
    return ours, validator.is_valid(as_json(data))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_valid_for_both(core, path):
    data = load_profile_file(path).data
    assert verdicts(core, data) == (True, True), list(core[1].iter_errors(as_json(data)))


@pytest.fixture(scope="module")
def hostile():
    return _schemas(CORPUS / "pack" / "hostile.rules")


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_hostile_corpus_gets_the_same_verdict(hostile, path):
    data = load_profile_file(path).data
    ours, theirs = verdicts(hostile, data)
    assert ours == theirs, (path.name, ours, list(hostile[1].iter_errors(as_json(data))))


def test_the_corpus_has_readable_profiles_both_refuse(hostile):
    refused = [p.name for p in READABLE
               if verdicts(hostile, load_profile_file(p).data) == (False, False)]
    assert len(refused) >= 3, refused


def _example():
    return yaml.safe_load((REPO / "examples" / "strong-first-timer.yaml").read_text())


def _set(data, path, value):
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value


_DELETE = object()
BROKEN = {
    "unknown top-level field": (("applicant_name",), "Ana"),
    "misspelt nested field": (("applicant", "graduaton_year"), 2020),
    "value not in the enum": (("track",), "first_timer"),
    "enum value in a list": (("applicant", "target_specialties"), ["internal_medicin"]),
    "missing required field": (("applicant", "graduation_year"), _DELETE),
    "required field is null": (("track",), None),
    "text for an int": (("applicant", "graduation_year"), "2020"),
    "bool for an int": (("applicant", "graduation_year"), True),
    "int out of range": (("applicant", "graduation_year"), 10**12),
    "not a date": (("application_date",), "September 2027"),
    "impossible date": (("application_date",), "2027-02-30"),
    "date before the loader's years": (("application_date",), "1799-12-31"),
    "date and time": (("application_date",), dt.datetime(2027, 9, 15, 10, 0)),
    "list for a record": (("applicant",), []),
    "record for a list": (("letters",), {"id": "x"}),
    "null item in a list": (("letters",), [None]),
    "text too long": (("applicant", "id"), "x" * 10_001),
}
FINE = {
    "optional field null": (("exams",), None),
    "optional field absent": (("exams",), _DELETE),
    "list field absent": (("letters",), _DELETE),
    "list field null": (("research",), None),
    "as_of absent (today)": (("as_of",), _DELETE),
    "date as a date": (("application_date",), dt.date(2027, 9, 15)),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_variants_are_refused_by_both(core, case):
    data = _example()
    _set(data, *BROKEN[case])
    assert verdicts(core, data) == (False, False)


@pytest.mark.parametrize("case", sorted(FINE))
def test_fine_variants_are_accepted_by_both(core, case):
    data = _example()
    _set(data, *FINE[case])
    assert verdicts(core, data) == (True, True)


BOUNDED = '''pack bounded

enum Track { first_time, reapplicant }

record Cycle {
  # the year of the cycle
  year: int in 2000..2100
  interviews: int in 0..
  start: date
  end: date? in start..
}

profile {
  track: Track
  code: str matches "[A-Z]{2}"  # ISO 3166 alpha-2
  cycles: list[Cycle] size ..3
  share: float? in 0.0..100.0
}
'''


def test_declared_bounds_are_in_the_schema_and_agree(tmp_path):
    pack = tmp_path / "bounded.rules"
    pack.write_text(BOUNDED)
    schemas = _schemas(pack)
    document = schemas[1].schema
    cycle = document["$defs"]["Cycle"]["properties"]
    assert cycle["year"] == {"description": "the year of the cycle", "type": "integer",
                             "minimum": 2000, "maximum": 2100}
    assert cycle["interviews"]["minimum"] == 0
    assert "not before start" in cycle["end"]["description"]
    code = document["properties"]["code"]
    assert code["description"] == "ISO 3166 alpha-2" and code["pattern"] == "^(?:[A-Z]{2})$"
    assert document["properties"]["cycles"]["anyOf"][0]["maxItems"] == 3
    assert document["required"] == ["track", "code"]
    good = {"track": "first_time", "code": "US", "share": 12.5,
            "cycles": [{"year": 2024, "interviews": 3, "start": "2024-01-01"}]}
    assert verdicts(schemas, good) == (True, True)
    for path, value in [(("code",), "USA"), (("share",), 100.5), (("cycles", 0, "year"), 1999),
                        (("cycles", 0, "interviews"), -1),
                        (("cycles",), [good["cycles"][0]] * 4)]:
        data = copy.deepcopy(good)
        _set(data, path, value)
        assert verdicts(schemas, data) == (False, False), path


def test_a_list_that_may_not_be_empty_is_required_and_not_null(tmp_path):
    pack = tmp_path / "p.rules"
    pack.write_text("pack p\nprofile { targets: list[str] size 1..2, rest: list[str] }\n")
    schemas = _schemas(pack)
    assert schemas[1].schema["required"] == ["targets"]
    assert verdicts(schemas, {"targets": ["a"]}) == (True, True)
    for bad in ({}, {"targets": None}, {"targets": []}, {"targets": ["a", "b", "c"]}):
        assert verdicts(schemas, bad) == (False, False), bad


def test_cli_prints_the_schema_of_the_shipped_profile(capsys, core):
    assert main(["schema"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["$schema"] == DIALECT
    assert document == {**core[1].schema, "title": document["title"]}
    letter = document["$defs"]["Letter"]
    assert letter["properties"]["status"] == {"$ref": "#/$defs/LetterStatus"}
    assert document["$defs"]["LetterStatus"]["enum"] == ["planned", "requested", "received", "uploaded"]
    assert "status" in letter["required"] and "writer" not in letter["required"]
    assert letter["properties"]["weeks_known"]["description"] == "how long the writer saw the applicant"
    # the bounds core declares (`score: int? in 1..300`)
    score = document["$defs"]["Step2"]["properties"]["score"]
    assert score["anyOf"][0] == {"type": "integer", "minimum": 1, "maximum": 300}


def test_cli_writes_to_a_file_and_refuses_a_broken_pack(tmp_path, capsys):
    out = tmp_path / "profile.schema.json"
    assert main(["schema", "--pack", "img.first_application", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["properties"]["track"] == {"$ref": "#/$defs/Track"}
    broken = tmp_path / "broken.rules"
    broken.write_text("pack broken\n\nprofile {\n  track: Trak\n}\n")
    assert main(["schema", "--pack", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "unknown type 'Trak'" in err and "has errors" in err
    assert main(["schema", "--pack", "no.such.pack"]) == 2


def test_the_date_pattern_keeps_the_loaders_window():
    from imgrules._facts.json_schema import DATE_PATTERN
    from imgrules._facts.validate import DATE_FIRST, DATE_LAST

    assert (DATE_FIRST.year, DATE_LAST.year) == (1800, 2999)  # the years the pattern spells out
    for text, ok in [("1800-01-01", True), ("2999-12-31", True), ("1799-12-31", False),
                     ("3000-01-01", False), ("0001-01-01", False), ("2026-11-22", True)]:
        assert bool(re.match(DATE_PATTERN, text)) is ok, text
