"""validate_profile: every kind of problem, with its exact `$.path: message`."""

from __future__ import annotations

import datetime as dt

import pytest

from imgrules._facts import Profile, ProfileError, ProfileIssue, validate_profile
from imgrules._types import Schema


def issues(data, schema, **kwargs) -> list[str]:
    with pytest.raises(ProfileError) as info:
        validate_profile(data, schema, **kwargs)
    return [issue.render() for issue in info.value.issues]


def test_valid_profile_becomes_plain_data(small_schema, base_data):
    profile = validate_profile(base_data, small_schema)
    assert isinstance(profile, Profile) and profile.source_path is None
    assert profile.data == {
        "as_of": dt.date(2026, 11, 22), "application_date": dt.date(2027, 9, 15),
        "applicant": {"id": "A-1", "graduation_year": 2019},
        "letters": [{"id": "l1", "status": "received"}],
    }


def test_enum_value_not_allowed(small_schema, base_data):
    base_data["letters"] = [{"id": "a", "status": "received"}, {"id": "b", "status": "planned"},
                            {"id": "c", "status": "sent"}]
    assert issues(base_data, small_schema) == [
        "$.letters[2].status: 'sent' is not one of planned, requested, received, uploaded"]


def test_enum_value_misspelt_gets_a_hint(small_schema, base_data):
    base_data["letters"][0]["status"] = "recieved"
    assert issues(base_data, small_schema) == [
        "$.letters[0].status: 'recieved' is not one of planned, requested, received, uploaded "
        "(did you mean 'received'?)"]


def test_unknown_field_did_you_mean(small_schema, base_data):
    base_data["exams"] = {"step2_ck": {"scroe": 232}}
    assert issues(base_data, small_schema) == [
        "$.exams.step2_ck.scroe: unknown field 'scroe' (did you mean 'score'?)"]


def test_unknown_field_lists_the_fields(small_schema, base_data):
    base_data["exams"] = {"step2_ck": {"zzz": 1}}
    assert issues(base_data, small_schema) == [
        "$.exams.step2_ck.zzz: unknown field 'zzz' (fields of Step2: score, attempts)"]


def test_unknown_top_level_field(small_schema, base_data):
    base_data["nickname"] = "x"
    assert issues(base_data, small_schema) == [
        "$.nickname: unknown field 'nickname' (fields of the profile: as_of, application_date, "
        "applicant, exams, letters, tags)"]


def test_wrong_type_names_expected_and_got(small_schema, base_data):
    base_data["applicant"]["graduation_year"] = "2019"
    base_data["letters"] = {"id": "l1"}
    base_data["exams"] = []
    assert issues(base_data, small_schema) == [
        "$.applicant.graduation_year: expected an integer, got the text '2019'",
        "$.letters: expected a list of Letter, got a mapping",
        "$.exams: expected a mapping of fields (Exams), got a list",
    ]


def test_bool_is_not_an_int(small_schema, base_data):
    base_data["applicant"]["graduation_year"] = True
    assert issues(base_data, small_schema) == [
        "$.applicant.graduation_year: expected an integer, got true (a boolean)"]


def test_float_is_not_an_int_but_int_is_a_float(small_schema, base_data):
    base_data["letters"][0]["weeks_known"] = 4.0
    assert issues(base_data, small_schema) == [
        "$.letters[0].weeks_known: expected an integer, got the number 4.0"]
    base_data["letters"][0]["weeks_known"] = 4
    base_data["letters"][0]["share"] = 30
    assert validate_profile(base_data, small_schema).data["letters"][0]["share"] == 30.0


def test_huge_int_is_out_of_range(small_schema, base_data):
    base_data["applicant"]["graduation_year"] = 10**100
    assert issues(base_data, small_schema) == [
        "$.applicant.graduation_year: a number of about 101 digits is out of range "
        "(at most 1,000,000,000 either side of 0)"]


def test_float_nan_is_out_of_range(small_schema, base_data):
    base_data["letters"][0]["share"] = float("nan")
    assert issues(base_data, small_schema) == ["$.letters[0].share: nan is out of range"]


def test_bool_where_text_expected_suggests_quotes(small_schema, base_data):
    base_data["applicant"]["id"] = False  # YAML reads a bare `no` as false
    assert issues(base_data, small_schema) == [
        "$.applicant.id: expected text, got false (a boolean) (put it in quotes to make it text)"]


@pytest.mark.parametrize("value, message", [
    ("2026-02-30", "'2026-02-30' is not a valid date (day is out of range for month)"),
    ("2026-13-01", "'2026-13-01' is not a valid date (month must be in 1..12)"),
    ("22/11/2026", "'22/11/2026' is not a date in the form YYYY-MM-DD"),
    ("2026-11-22T10:00", "'2026-11-22T10:00' is not a date in the form YYYY-MM-DD"),
    (dt.datetime(2026, 11, 22, 10, 0), "expected a date (YYYY-MM-DD), got a date and time 2026-11-22T10:00:00"),
    (20261122, "expected a date (YYYY-MM-DD), got the integer 20261122"),
])
def test_bad_dates(small_schema, base_data, value, message):
    base_data["application_date"] = value
    assert issues(base_data, small_schema) == [f"$.application_date: {message}"]


def test_dates_given_as_dates_are_kept(small_schema, base_data):
    base_data["applicant"]["since"] = dt.date(2020, 2, 29)
    assert validate_profile(base_data, small_schema).data["applicant"]["since"] == dt.date(2020, 2, 29)


def test_required_fields_missing(small_schema, base_data):
    del base_data["applicant"]["id"]
    del base_data["application_date"]
    base_data["letters"].append({"status": "planned"})
    assert issues(base_data, small_schema) == [
        "$.applicant: missing required field 'id' (str)",
        "$.letters[1]: missing required field 'id' (str)",
        "$: missing required field 'application_date' (date)",
    ]


def test_partial_profiles_may_leave_out_required_fields(small_schema):
    profile = validate_profile({"applicant": {"graduation_year": 2020}}, small_schema, partial=True)
    assert profile.data == {"applicant": {"graduation_year": 2020}, "letters": []}


def test_absent_lists_are_empty_and_absent_optionals_stay_absent(small_schema, base_data):
    del base_data["letters"]
    data = validate_profile(base_data, small_schema).data
    assert data["letters"] == []
    assert "tags" not in data and "exams" not in data  # optional: MISSING to the engine


def test_null_means_absent(small_schema, base_data):
    base_data["exams"] = None
    base_data["letters"] = None
    base_data["applicant"]["visa_required"] = None
    data = validate_profile(base_data, small_schema).data
    assert "exams" not in data and data["letters"] == [] and "visa_required" not in data["applicant"]


def test_null_on_a_required_field_or_list_item(small_schema, base_data):
    base_data["applicant"]["id"] = None
    base_data["letters"].append(None)
    assert issues(base_data, small_schema) == [
        "$.applicant.id: 'id' is required and cannot be null",
        "$.letters[1]: expected a mapping (Letter), got null",
    ]


def test_as_of_defaults_to_today(small_schema, base_data):
    del base_data["as_of"]
    day = dt.date(2026, 1, 2)
    assert validate_profile(base_data, small_schema, today=day).data["as_of"] == day
    assert validate_profile(base_data, small_schema).data["as_of"] == dt.date.today()
    assert "as_of" not in validate_profile(base_data, small_schema, partial=True).data


def test_every_issue_is_collected_in_document_order(small_schema):
    data = {"as_of": "x", "applicant": {"id": 7, "graduation_year": "y", "oops": 1},
            "letters": [{"id": "a", "status": "nope"}]}
    assert issues(data, small_schema) == [
        "$.as_of: 'x' is not a date in the form YYYY-MM-DD",
        "$.applicant.id: expected text, got the integer 7 (put it in quotes to make it text)",
        "$.applicant.graduation_year: expected an integer, got the text 'y'",
        "$.applicant.oops: unknown field 'oops' (fields of Applicant: id, graduation_year, "
        "visa_required, since)",
        "$.letters[0].status: 'nope' is not one of planned, requested, received, uploaded",
        "$: missing required field 'application_date' (date)",
    ]


def test_error_text_is_one_issue_per_line_with_the_file(small_schema, base_data):
    base_data["applicant"]["graduation_year"] = "x"
    base_data["letters"][0]["status"] = "sent"
    with pytest.raises(ProfileError) as info:
        validate_profile(base_data, small_schema, source="me.yaml", lines={"$.letters[0].status": 9})
    assert str(info.value) == (
        "me.yaml: $.applicant.graduation_year: expected an integer, got the text 'x'\n"
        "me.yaml: $.letters[0].status: 'sent' is not one of planned, requested, received, uploaded")
    assert [i.line for i in info.value.issues] == [None, 9]


def test_non_text_keys_and_non_mapping_documents(small_schema, base_data):
    base_data[1] = "x"
    assert issues(base_data, small_schema) == ["$: field names must be text, got the integer 1"]
    assert issues([1, 2], small_schema) == ["$: a profile must be a mapping of fields, got a list"]


def test_too_many_issues_are_cut(small_schema, base_data):
    base_data["letters"] = [{"id": i, "status": "received"} for i in range(150)]
    found = issues(base_data, small_schema)
    assert len(found) == 101 and found[-1] == "$: ... and 50 more problems"


def test_schema_without_profile(base_data):
    assert issues(base_data, Schema({}, {}, None)) == [
        "$: the rule packs declare no profile { ... } to check against"]


def test_issue_json():
    assert ProfileIssue("$.a", "bad", 3).to_json() == {"path": "$.a", "message": "bad", "line": 3}


def test_control_characters_stay_on_one_line(small_schema, base_data):
    base_data["a\nb"] = 1
    with pytest.raises(ProfileError) as info:
        validate_profile(base_data, small_schema)
    assert str(info.value).splitlines() == [
        r"$['a\nb']: unknown field 'a\nb' (fields of the profile: as_of, application_date, applicant, "
        "exams, letters, tags)"]


@pytest.mark.parametrize("today, message", [
    (dt.datetime(2026, 11, 22, 10, 0), "expected a date (YYYY-MM-DD), got a date and time 2026-11-22T10:00:00"),
    ("2026-11-22", "expected a date, got the text '2026-11-22'"),
    (20261122, "expected a date (YYYY-MM-DD), got the integer 20261122"),
    (dt.date(1700, 1, 1), "1700-01-01 is out of range (dates from 1800-01-01 to 2999-12-31)"),
])
def test_a_date_given_by_the_caller_that_is_not_one_is_a_profile_error(small_schema, base_data, today, message):
    del base_data["as_of"]
    assert issues(base_data, small_schema, today=today) == [f"$.as_of: {message}"]
