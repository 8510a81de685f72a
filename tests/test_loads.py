"""Packs from text: ``imgrules.loads`` and ``imgrules.check_text`` compile and check a pack
held in memory, with its imports looked up in the roots given, and the compiled-pack cache
keyed by the text."""

from __future__ import annotations

import pytest

import imgrules
from imgrules import _loader as loader

PROFILE = {"as_of": "2026-11-22", "application_date": "2027-09-15"}
PACK = '''pack t
profile { as_of: date
  application_date: date
  score: int? }
rule high "High score" when score > 3 then remind "high {score}"
'''


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("IMGRULES_DATA_DIR", str(tmp_path / "data"))


def _messages(pack, profile) -> list[str]:
    return [f["message"] for f in imgrules.evaluate(pack, profile).to_json()["findings"]]


def test_a_pack_from_text_evaluates_like_one_from_a_file(tmp_path):
    path = tmp_path / "t.rules"
    path.write_text(PACK)
    from_text = imgrules.loads(PACK, name="t.rules", use_cache=False)
    from_file = imgrules.load(path, use_cache=False)
    for score in (1, 5):
        profile = {**PROFILE, "score": score}
        assert _messages(from_text, profile) == _messages(from_file, profile)
    assert _messages(from_text, {**PROFILE, "score": 5}) == ["high 5"]
    assert from_text.name == "t"


def test_findings_say_where_the_text_is_by_its_name():
    pack = imgrules.loads(PACK, name="inline.rules", use_cache=False)
    finding = imgrules.evaluate(pack, {**PROFILE, "score": 9}).to_json()["findings"][0]
    assert (finding["provenance"]["file"], finding["provenance"]["line"]) == ("inline.rules", 5)


def test_imports_are_resolved_against_the_roots(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "base.rules").write_text(
        "pack lib.base\nprofile { as_of: date\n  application_date: date\n  score: int? }\n"
        "let limit = 3\n")
    text = 'pack use\nimport lib.base\nrule r "R" when score > limit then remind "s {score}"\n'
    pack = imgrules.loads(text, roots=[tmp_path], use_cache=False)
    assert _messages(pack, {**PROFILE, "score": 4}) == ["s 4"]
    assert _messages(pack, {**PROFILE, "score": 3}) == []
    with pytest.raises(imgrules.DiagnosticError) as info:
        imgrules.loads(text, use_cache=False)  # no root holds lib.base
    assert "cannot find pack 'lib.base'" in str(info.value)


def test_a_shipped_pack_can_be_imported_from_text():
    text = ('pack mine\nimport img.core\n'
            'rule old_grad "Old graduate" when applicant.graduation_year < 2015 '
            'then remind "graduated {applicant.graduation_year}"\n')
    pack = imgrules.loads(text, use_cache=False)
    assert "old_grad" in [r.id for r in pack.network.rules]


def test_broken_text_raises_diagnostic_error_naming_the_text():
    with pytest.raises(imgrules.DiagnosticError) as info:
        imgrules.loads(PACK + 'rule bad "B" when nosuch > 1 then remind "x"\n', name="mine.rules",
                       use_cache=False)
    assert "mine.rules:6:19" in str(info.value) and "nosuch" in str(info.value)


def test_check_text_returns_errors_and_warnings_and_never_raises_for_bad_text():
    assert imgrules.check_text(PACK, name="t.rules") == ()
    found = imgrules.check_text(PACK + 'rule bad "B" when nosuch > 1 then remind "x"\n',
                                name="t.rules")
    assert [(d.code, d.span.path, d.span.line) for d in found] == [("E101", "t.rules", 6)]
    syntax = imgrules.check_text("pack x\nrule r when (\n")
    assert syntax and all(d.is_error for d in syntax) and syntax[0].span.path == "<text>"


def test_loads_refuses_what_is_not_text():
    with pytest.raises(TypeError):
        imgrules.loads(b"pack t\n")
    with pytest.raises(TypeError):
        imgrules.check_text(None)


def test_the_cache_serves_the_same_text_and_never_another(own_cache, monkeypatch):
    first = imgrules.loads(PACK, name="t.rules")
    calls = []
    real = loader.load_text
    monkeypatch.setattr(loader, "load_text", lambda *a, **k: calls.append(a) or real(*a, **k))
    again = imgrules.loads(PACK, name="t.rules")
    assert calls == []  # served from the cache
    assert _messages(again, {**PROFILE, "score": 5}) == _messages(first, {**PROFILE, "score": 5})
    edited = imgrules.loads(PACK.replace("high {score}", "edited {score}"), name="t.rules")
    assert len(calls) == 1
    assert _messages(edited, {**PROFILE, "score": 5}) == ["edited 5"]


def test_the_cache_sees_an_edited_import(own_cache, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    base = lib / "base.rules"
    base.write_text("pack lib.base\nprofile { as_of: date\n  application_date: date\n  score: int? }\n"
                    "let limit = 3\n")
    text = 'pack use\nimport lib.base\nrule r "R" when score > limit then remind "s {score}"\n'
    assert _messages(imgrules.loads(text, roots=[tmp_path]), {**PROFILE, "score": 4}) == ["s 4"]
    base.write_text(base.read_text().replace("limit = 3", "limit = 10"))
    assert _messages(imgrules.loads(text, roots=[tmp_path]), {**PROFILE, "score": 4}) == []


def test_an_explanation_reads_the_text_never_a_file_of_the_same_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.rules").write_text(PACK.replace("score > 3", "score > 100"))
    pack = imgrules.loads(PACK, name="t.rules", use_cache=False)
    why = imgrules.explain(pack, {**PROFILE, "score": 1}, "high")
    assert not why.fired
    assert [(f.condition, f.at) for f in why.failed] == [("score > 3", "t.rules:5:29")]
