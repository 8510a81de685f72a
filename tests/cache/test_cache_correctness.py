"""The compiled-pack cache never serves an old or foreign result.

Another install's entries (same version, same pack names, packs at another path with an
edited message) are never used, in either direction; an edited pack file is seen even
when its size and time did not change; an import shadowed by a new file is seen; the
working directory does not change what is printed; a new build or grammar is a miss.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from imgrules import _api as api
from imgrules._cli import main
from imgrules._compile import cache

from .helpers import EXAMPLE, FOREIGN, MESSAGE, ROOT, imgrules, make_install, user_dirs


@pytest.fixture(scope="module")
def other_install(tmp_path_factory):
    return make_install(tmp_path_factory.mktemp("other-venv"))


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    for name, value in user_dirs(tmp_path / "user").items():
        monkeypatch.setenv(name, value)
    return tmp_path / "user" / "cache"


def _eval_json(capsys, *args) -> dict:
    capsys.readouterr()
    assert main(["eval", *map(str, args), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _messages(result: dict) -> list[str]:
    return [f["message"] for f in result["findings"]]


def _files(result: dict) -> set[str]:
    out = set()
    for f in result["findings"]:
        if f.get("provenance"):
            out.add(f["provenance"]["file"])
    for d in result["derived"]:
        out.update(p["file"] for p in d["provenance"])
    return out


def test_another_install_s_entries_are_never_used(tmp_path, other_install):
    env = user_dirs(tmp_path / "shared")
    empty = user_dirs(tmp_path / "empty")
    args = ["eval", EXAMPLE, "--format", "json"]
    theirs = imgrules(args, env, site=other_install)
    assert theirs.returncode == 0, theirs.stderr
    assert FOREIGN in theirs.stdout  # that install's own packs
    ours = imgrules(args, env)
    baseline = imgrules(args, empty)
    assert ours.returncode == baseline.returncode == 0
    assert ours.stdout == baseline.stdout
    assert MESSAGE in ours.stdout and FOREIGN not in ours.stdout
    assert str(other_install) not in ours.stdout
    assert imgrules(args, env, site=other_install).stdout == theirs.stdout  # and the other way
    assert len(list((tmp_path / "shared" / "cache").glob("pack-*.bin"))) == 2  # one entry each


def test_the_api_and_explain_name_this_install_s_files(tmp_path, other_install, own_cache, capsys):
    env = {k: os.environ[k] for k in ("IMGRULES_CACHE_DIR", "IMGRULES_DATA_DIR")}
    assert imgrules(["eval", EXAMPLE], env, site=other_install).returncode == 0
    net = api.load("img.reapplication").network
    assert all(str(other_install) not in f for f in net.files)
    assert [f for f in net.files if f.endswith("reapplication.rules")] == [
        str((ROOT / "rules" / "img" / "reapplication.rules").resolve())]
    assert {r.file for r in net.rules} == {"img/core.rules", "img/reapplication.rules"}
    capsys.readouterr()
    assert main(["explain", str(EXAMPLE), "ra_12_talk_to_matched_img", "--format", "json"]) in (0, 1)
    out = capsys.readouterr().out
    assert str(other_install) not in out and FOREIGN not in out


def test_an_edited_copy_of_a_shipped_pack_prints_the_new_message(tmp_path, own_cache, capsys):
    shutil.copytree(ROOT / "rules", tmp_path / "copy")
    pack = tmp_path / "copy" / "img" / "reapplication.rules"
    before = _eval_json(capsys, "--pack", pack, EXAMPLE)
    assert MESSAGE in _messages(before)
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace(MESSAGE, "Edited: " + MESSAGE), encoding="utf-8")
    after = _eval_json(capsys, "--pack", pack, EXAMPLE)
    assert "Edited: " + MESSAGE in _messages(after) and MESSAGE not in _messages(after)


def test_an_edit_keeping_size_and_time_is_still_seen(tmp_path, own_cache, capsys):
    shutil.copytree(ROOT / "rules", tmp_path / "copy")
    core = tmp_path / "copy" / "img" / "core.rules"  # an import, not the target
    pack = tmp_path / "copy" / "img" / "reapplication.rules"
    first = _eval_json(capsys, "--pack", pack, EXAMPLE)
    assert cache.lookup(str(pack)) is not None
    st = core.stat()
    text = core.read_text(encoding="utf-8")
    rows = "  row ..2  => structural\n  row 3..7 => interview_or_fit\n"
    moved = "  row ..1  => structural\n  row 2..7 => interview_or_fit\n"  # 2 interviews move
    assert text.count(rows) == 1 and len(rows) == len(moved)
    core.write_text(text.replace(rows, moved), encoding="utf-8")
    os.utime(core, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same times
    assert core.stat().st_size == st.st_size and core.stat().st_mtime_ns == st.st_mtime_ns
    assert cache.lookup(str(pack)) is None
    second = _eval_json(capsys, "--pack", pack, EXAMPLE)
    codes = [[d["code"] for d in r["derived"] if d["type"] == "diagnosis"] for r in (first, second)]
    assert codes == [["structural"], ["interview_or_fit"]]


def test_a_new_file_that_shadows_an_import_is_seen(tmp_path, own_cache):
    first, second, app = tmp_path / "first", tmp_path / "second", tmp_path / "app"
    for d in (first, second, app):
        d.mkdir()
    lib = 'pack lib.words\nprofile {{\n  as_of: date\n}}\nrule say "Say" when as_of > 2000-01-01 then recommend "{word}"\n'
    (second / "lib").mkdir()
    (second / "lib" / "words.rules").write_text(lib.format(word="second"))
    main_pack = app / "main.rules"
    main_pack.write_text("pack main\nimport lib.words\n")
    roots = (str(first), str(second))
    profile = {"as_of": "2026-01-01"}
    assert [f.message for f in api.evaluate(api.load(main_pack, roots), profile).findings] == ["second"]
    assert cache.lookup(str(main_pack), roots) is not None
    (first / "lib").mkdir()
    (first / "lib" / "words.rules").write_text(lib.format(word="first"))  # found first now
    assert cache.lookup(str(main_pack), roots) is None
    assert [f.message for f in api.evaluate(api.load(main_pack, roots), profile).findings] == ["first"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_the_same_file_reached_through_another_folder_is_another_entry(tmp_path, own_cache):
    """Imports are looked up beside the target as given: a link to the same file from
    another folder imports that folder's packs."""
    lib = 'pack lib.words\nprofile {{\n  as_of: date\n}}\nrule say "Say" when as_of > 2000-01-01 then recommend "{word}"\n'
    said = {}
    for name in ("a", "b"):
        (tmp_path / name / "lib").mkdir(parents=True)
        (tmp_path / name / "lib" / "words.rules").write_text(lib.format(word=name))
    (tmp_path / "a" / "main.rules").write_text("pack main\nimport lib.words\n")
    (tmp_path / "b" / "main.rules").symlink_to(tmp_path / "a" / "main.rules")
    for name in ("a", "b", "a", "b"):  # the second round from the cache
        pack = api.load(tmp_path / name / "main.rules")
        said[name] = [f.message for f in api.evaluate(pack, {"as_of": "2026-01-01"}).findings]
        assert said[name] == [name]


def test_the_working_directory_does_not_change_the_output(tmp_path, own_cache, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    here = _eval_json(capsys, EXAMPLE)
    monkeypatch.chdir(tmp_path)
    there = _eval_json(capsys, EXAMPLE)  # from the cache entry made above
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    fresh = _eval_json(capsys, EXAMPLE)  # compiled here, no cache
    assert here == there == fresh
    assert _files(here) == {"img/core.rules", "img/reapplication.rules"}


@pytest.mark.parametrize("change", ["version", "grammar"])
def test_another_build_or_grammar_is_a_miss(tmp_path, own_cache, monkeypatch, change):
    from imgrules import _resources, _version as version

    pack = tmp_path / "t.rules"
    pack.write_text("pack t\nprofile {\n  as_of: date\n}\n")
    api.load(pack)
    assert cache.lookup(str(pack)) is not None
    with monkeypatch.context() as m:
        if change == "version":
            m.setattr(version, "__version__", version.__version__ + ".post1")
        else:
            grammar = _resources.grammar_text()
            m.setattr(_resources, "grammar_text", lambda: grammar + "\n// changed\n")
        cache._build_fingerprint.cache_clear()
        try:
            assert cache.lookup(str(pack)) is None
        finally:
            cache._build_fingerprint.cache_clear()
    assert cache.lookup(str(pack)) is not None


def test_an_unchanged_pack_loads_as_the_network_already_in_memory(tmp_path, own_cache):
    """A second load in the same process checks the entry as the first did, then reuses the
    network it compiled or unpickled (unpickling costs several times the checks); an
    edited file is still a miss, compiled again."""
    shutil.copytree(ROOT / "rules", tmp_path / "copy")
    pack = tmp_path / "copy" / "img" / "reapplication.rules"
    first = api.load(pack)  # compiled and stored
    second, third = api.load(pack), api.load(pack)
    assert first.network is second.network is third.network
    pack.write_text(pack.read_text(encoding="utf-8").replace(MESSAGE, "Edited: " + MESSAGE), encoding="utf-8")
    edited = api.load(pack)
    assert edited.network is not second.network and api.load(pack).network is edited.network
    before = [f.message for f in api.evaluate(second, EXAMPLE).findings]
    after = [f.message for f in api.evaluate(edited, EXAMPLE).findings]
    assert MESSAGE in before and "Edited: " + MESSAGE in after and MESSAGE not in after
