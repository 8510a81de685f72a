"""load_profile_file / load_profile_text: YAML, JSON and TOML read safely, with clear errors."""

from __future__ import annotations

import datetime as dt

import pytest

from imgrules._facts import (ProfileError, ProfileReadError, load_profile, load_profile_file,
                            load_profile_text)


def messages(exc_info) -> list[str]:
    return [issue.render() for issue in exc_info.value.issues]


def read_error(text, fmt="yaml", **kwargs) -> list[str]:
    with pytest.raises(ProfileError) as info:
        load_profile_text(text, fmt, "p", **kwargs)
    return messages(info)


YAML = """\
as_of: 2026-11-22
application_date: 2027-09-15
applicant:
  id: A-1
  graduation_year: 2019
letters:
  - {id: l1, status: received}
"""


def test_yaml_file_with_dates_kept_as_dates(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(YAML, encoding="utf-8")
    raw = load_profile_file(path)
    assert raw.format == "yaml" and raw.source == str(path)
    assert raw.data["as_of"] == dt.date(2026, 11, 22)
    assert raw.data["applicant"] == {"id": "A-1", "graduation_year": 2019}
    assert raw.lines["$.applicant.graduation_year"] == 5


def test_yaml_impossible_date_is_kept_as_text_for_validation():
    raw = load_profile_text("as_of: 2026-02-30\n", "yaml")
    assert raw.data == {"as_of": "2026-02-30"}


def test_yaml_duplicate_key_has_path_and_line():
    text = "applicant:\n  id: A-1\n  graduation_year: 2019\n  id: A-2\n"
    assert read_error(text) == ["$.applicant.id: duplicate key 'id' (line 4; first at line 2)"]


def test_yaml_duplicate_keys_are_all_reported():
    text = "a: 1\nb: 2\na: 3\nletters:\n  - {id: x, id: y}\n"
    assert read_error(text) == ["$.a: duplicate key 'a' (line 3; first at line 1)",
                                "$.letters[0].id: duplicate key 'id' (line 5; first at line 5)"]


def test_yaml_alias_bomb_is_refused_before_expansion():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    found = read_error("\n".join(lines) + "\n")
    assert len(found) == 1
    assert "expands to more than 200000 values (are aliases repeating a large block?)" in found[0]


def test_yaml_small_aliases_are_fine():
    raw = load_profile_text("base: &b {x: 1}\nother: *b\n", "yaml")
    assert raw.data == {"base": {"x": 1}, "other": {"x": 1}}


def test_yaml_merge_keys_explicit_keys_win():
    raw = load_profile_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "yaml")
    assert raw.data["other"] == {"y": 3, "x": 1}


def test_yaml_recursive_alias():
    assert read_error("a: &x [1, *x]\n") == [
        "$.a[1]: an alias refers to a value that contains it (a recursive document)"]


def test_yaml_python_tags_are_not_constructed():
    found = read_error("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert found == ["$.a: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"]
    assert read_error("a: !custom 3\n") == ["$.a: unsupported YAML tag '!custom'"]


def test_yaml_syntax_error_has_line_and_column():
    found = read_error("a: [1, 2\nb: 3\n")
    assert len(found) == 1 and found[0].startswith("$: invalid YAML at line ")


def test_yaml_several_documents():
    found = read_error("a: 1\n---\nb: 2\n")
    assert found[0].startswith("$: invalid YAML at line 2") and "single document" in found[0]


def test_empty_and_non_mapping_documents():
    assert read_error("") == ["$: a profile must be a mapping of fields, got nothing (the document is empty)"]
    assert read_error("- 1\n- 2\n") == ["$: a profile must be a mapping of fields, got a list"]
    assert read_error("[1]", "json") == ["$: a profile must be a mapping of fields, got a list"]


def test_deep_nesting_is_refused():
    assert read_error("a: " + "[" * 100 + "]" * 100 + "\n") == ["$.a" + "[0]" * 64 + ": nested more than 64 levels deep"]
    found = read_error("[" * 5000 + "]" * 5000, "json")
    assert len(found) == 1 and "nested" in found[0]


def test_bom_and_crlf_are_tolerated():
    raw = load_profile_text(b"\xef\xbb\xbfa: 1\r\nb:\r\n  c: x\r\n", "yaml")
    assert raw.data == {"a": 1, "b": {"c": "x"}}
    assert load_profile_text(b'\xef\xbb\xbf{"a":\r\n 1}', "json").data == {"a": 1}
    assert load_profile_text(b'\xef\xbb\xbfa = 1\r\n', "toml").data == {"a": 1}


def test_non_utf8_is_a_clear_error():
    assert read_error(b"a: caf\xe9\n") == [
        "$: the file is not UTF-8 text (byte 0xe9 at offset 6); save it as UTF-8"]
    assert read_error("a: 1".encode("utf-16")) == ["$: the file is UTF-16; save it as UTF-8"]


def test_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile_file(path, max_bytes=50)
    assert str(info.value) == f"{path}: $: the file is larger than the limit of 50 bytes"


def test_json_duplicate_keys_with_path():
    text = '{"a": {"b": 1, "b": 2}, "c": [{"d": 1, "d": 1}]}'
    assert read_error(text, "json") == ["$.a.b: duplicate key 'b'", "$.c[0].d: duplicate key 'd'"]


def test_json_errors():
    assert read_error('{"a": NaN}', "json") == ["$: invalid JSON: NaN is not a number JSON allows"]
    assert read_error('{"a": 1e999}', "json") == ["$.a: the number is too large"]
    assert read_error('{"a": 1,}', "json") == [
        "$: invalid JSON at line 1, column 9: Expecting property name enclosed in double quotes"]
    found = read_error('{"a": ' + "9" * 5000 + "}", "json")
    assert len(found) == 1 and found[0].startswith("$: invalid JSON: ")


def test_json_odd_keys_are_quoted_in_paths():
    assert read_error('{"a b": {"x": 1, "x": 2}}', "json") == ["$['a b'].x: duplicate key 'x'"]


def test_toml_dates_and_errors():
    raw = load_profile_text('as_of = 2026-11-22\n[applicant]\nid = "A"\n', "toml")
    assert raw.data == {"as_of": dt.date(2026, 11, 22), "applicant": {"id": "A"}}
    found = read_error("a = 1\na = 2\n", "toml")
    assert len(found) == 1 and found[0].startswith("$: invalid TOML: ")


def test_format_from_extension_and_unknown_formats(tmp_path):
    for name, text in [("p.json", '{"a": 1}'), ("p.toml", "a = 1"), ("p.YML", "a: 1")]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert load_profile_file(path).data == {"a": 1}
    other = tmp_path / "p.txt"
    other.write_text("a: 1", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile_file(other)
    assert messages(info) == ["$: unknown profile format '.txt': use a .yaml, .yml, .json or .toml file"]
    assert load_profile_file(other, format="yaml").data == {"a": 1}
    assert read_error("a", "xml") == ["$: unknown profile format 'xml': use yaml, json or toml"]


def test_unreadable_files_are_read_errors(tmp_path):
    with pytest.raises(ProfileReadError) as info:
        load_profile_file(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: $: no such file"
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    with pytest.raises(ProfileReadError):
        load_profile_file(folder)


def test_load_profile_gives_validation_issues_their_line(tmp_path, small_schema):
    path = tmp_path / "p.yaml"
    path.write_text(YAML.replace("status: received", "status: sent"), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path, small_schema)
    (issue,) = info.value.issues
    assert (issue.path, issue.line) == ("$.letters[0].status", 7)
    assert str(info.value) == (f"{path}: $.letters[0].status: 'sent' is not one of planned, "
                               "requested, received, uploaded")
