"""``--pack-root`` for ``eval``, ``plan`` and ``explain`` (as ``check`` and ``test`` take it),
and ``explain``'s hint when the rule is in another pack."""

from __future__ import annotations

import json

import pytest

from .helpers import FIRST_TIMER, run, write

LOCAL_PACK = """\
pack local.extra

import img.core

rule local_step2_done "Step 2 CK is in"
  when exams.step2_ck.score is present
  then flag info "Your Step 2 CK score is recorded."
"""


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "packs" / "local").mkdir(parents=True)
    (tmp_path / "packs" / "local" / "extra.rules").write_text(LOCAL_PACK, encoding="utf-8")
    return str(tmp_path / "packs")


def test_eval_finds_a_pack_by_name_in_a_pack_root(tmp_path, capsys, root):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "eval", profile, "--pack", "local.extra", "--format", "json")
    assert code == 2 and "local.extra" in err  # not a shipped pack: needs the root
    code, out, err = run(capsys, "eval", profile, "--pack", "local.extra", "--pack-root", root,
                         "--format", "json")
    assert code == 0, err
    assert "local_step2_done" in [f["rule"] for f in json.loads(out)["findings"]]


def test_plan_takes_a_pack_root(tmp_path, capsys, root):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "plan", profile, "--pack", "local.extra", "--pack-root", root,
                         "--format", "json")
    assert code == 0, err
    assert json.loads(out)


def test_explain_takes_a_pack_root(tmp_path, capsys, root):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "explain", profile, "local_step2_done", "--pack", "local.extra",
                         "--pack-root", root)
    assert code == 0, err
    assert out.splitlines() == [
        'local_step2_done (local/extra.rules:5) "Step 2 CK is in" fired 1 time(s):',
        "  - by local_step2_done at local/extra.rules:5",
        "    matched $.exams.step2_ck.score = 245"]


def test_explain_hints_the_pack_that_has_the_rule(tmp_path, capsys, root):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "explain", profile, "ra_12_autopsy_borderline")
    assert (code, out) == (1, "")
    assert err.strip() == ("imgrules explain: rule 'ra_12_autopsy_borderline' is not in "
                           "img.first_application but in img.reapplication: add --pack img.reapplication")
    code, out, err = run(capsys, "explain", profile, "local_step2_done", "--pack-root", root)
    assert code == 1
    assert err.strip().endswith("but in local.extra: add --pack local.extra")


def test_explain_unknown_pack_is_a_usage_error(tmp_path, capsys, root):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "explain", profile, "x", "--pack", "local.extra")
    assert code == 2 and out == "" and "local.extra" in err


def test_explain_misspelt_rule_of_another_pack_suggests_it_with_its_pack(tmp_path, capsys, root):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "explain", profile, "ra_12_autopsy_bordrline")
    assert (code, out) == (1, "")
    assert err.strip() == (
        "imgrules explain: no rule, deadline, window or table named 'ra_12_autopsy_bordrline' in "
        "img.first_application; did you mean 'ra_12_autopsy_borderline' (in img.reapplication: "
        "add --pack img.reapplication)?")


def test_explain_prefers_the_packs_own_close_name_and_says_nothing_false(tmp_path, capsys, root):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, _, err = run(capsys, "explain", profile, "step2_ck_tir")
    assert code == 1
    assert err.strip() == ("imgrules explain: no rule, deadline, window or table named 'step2_ck_tir'; "
                           "did you mean 'step2_ck_tier'?")
    code, _, err = run(capsys, "explain", profile, "zzz_no_such_rule")
    assert code == 1
    assert err.strip() == "imgrules explain: no rule, deadline, window or table named 'zzz_no_such_rule'"
