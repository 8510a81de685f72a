"""Each limit of imgrules._limits: a clear error at the right place, configurable, and
nothing deep ever reaches Python's recursion (no RecursionError, no hang)."""

from __future__ import annotations

import pytest

from imgrules._limits import PackLimits
from imgrules._loader import load_packs
from imgrules._syntax import format_text, parse
from imgrules._syntax.guard import parse_limited

from .helpers import run

HEAD = "pack t\nprofile {\n  as_of: date\n  x: int\n}\n"


def rule(when: str) -> str:
    """A pack whose one rule has the condition ``when`` (on line 7, from column 8)."""
    return HEAD + 'rule r "R"\n  when ' + when + '\n  then recommend "ok"\n'


def _one_error(text: str, limits: PackLimits | None = None):
    pack, diags = parse_limited(text, "t.rules", limits)
    assert pack is None and len(diags) == 1, diags
    return diags[0]


@pytest.mark.parametrize("make, column", [
    (lambda n: "(" * n + "x" + ")" * n + " > 1", 8 + 100),         # the 101st '('
    (lambda n: "not " * n + "x > 1", 8 + 4 * 100),                  # the 101st 'not'
    (lambda n: "-" * n + "x > 1", 8 + 100),                         # the 101st '-'
    (lambda n: "-(" * n + "x" + ")" * n + " > 1", 8 + 100),         # '-(' is two levels
    (lambda n: "{" * n + "1" + "}" * n + " == x", 8 + 100),
    (lambda n: "x in " + "{" * n + "1" + "}" * n, 8 + 5 + 100),
])
def test_10000_deep_nesting_is_an_error_at_the_first_token_past_the_limit(make, column):
    diag = _one_error(rule(make(10_000)))
    assert diag.code == "E007"
    assert diag.message == "nested too deeply (limit 100)"
    assert (diag.span.line, diag.span.column) == (7, column)


def test_deep_test_data_objects_and_lists():
    objects = HEAD + "example e { a: " + "{ b: " * 10_000 + "1" + " }" * 10_000 + " }\n"
    lists = HEAD + "example e { a: " + "[" * 10_000 + "1" + "]" * 10_000 + " }\n"
    assert _one_error(objects).span.column == 16 + 99 * 5
    assert _one_error(lists).span.column == 16 + 99


def test_chains_without_brackets_are_measured_on_the_tree():
    sums = rule(" + ".join(["x"] * 600) + " > 1")
    members = rule("x" + ".a" * 600 + " > 1")
    indexes = rule("x" + "[0]" * 600 + " > 1")
    for text in (sums, members, indexes):
        diag = _one_error(text)
        assert (diag.code, diag.span.line, diag.span.column) == ("E007", 7, 8)


def test_message_holes_are_scanned():
    text = HEAD + 'rule r "R"\n  when x > 1\n  then recommend "v {' + "(" * 200 + "x" + ")" * 200 + '}"\n'
    diag = _one_error(text)
    assert (diag.code, diag.span.line, diag.span.column) == ("E007", 8, 22 + 100)


def test_depth_just_under_the_limit_parses_and_the_limit_is_configurable():
    ok = rule("(" * 99 + "x" + ")" * 99 + " > 1")
    pack, diags = parse_limited(ok, "t.rules")
    assert pack is not None and diags == []
    diag = _one_error(ok, PackLimits(max_depth=10))
    assert diag.message == "nested too deeply (limit 10)"
    assert diag.span.column == 8 + 10


def test_a_5000_operand_and_chain_parses_checks_and_formats():
    chain = " and ".join(f"x > {i}" for i in range(5000))
    text = rule(chain)
    pack, diags = parse(text, "t.rules")
    assert diags == [] and len(pack.declarations[1].when.operands) == 5000
    assert format_text(text, "t.rules").count(" and ") == 4999
    from imgrules._check import check_pack

    checked = check_pack(_packset(pack, text))
    assert [d for d in checked.diagnostics if d.is_error] == []


def _packset(pack, text):
    from imgrules._loader import PackSet
    from imgrules._source import Source

    return PackSet((pack,), {"t.rules": Source("t.rules", text)}, (), "t.rules")


def test_a_5000_operand_and_chain_evaluates(tmp_path, capsys):
    pack = tmp_path / "t.rules"
    pack.write_text(rule(" and ".join(f"x > {i}" for i in range(-5000, 0))))  # 100 already fail
    profile = tmp_path / "p.yaml"
    profile.write_text("as_of: 2026-01-01\nx: 3\n")
    from imgrules._cli import main

    code = main(["eval", "--pack", str(pack), "--all", str(profile)])
    assert code == 0 and "ok" in capsys.readouterr().out


def test_a_5000_operand_and_chain_evaluates_in_a_rule_with_bindings(tmp_path, capsys):
    pack = tmp_path / "t.rules"
    pack.write_text("pack t\nrecord L {\n  v: int\n}\nprofile {\n  as_of: date\n  ls: list[L]\n}\n"
                    'rule r "R"\n  for l in ls\n  when ' + " and ".join(f"l.v > {i}" for i in range(-5000, 0))
                    + '\n  then recommend "ok"\n')
    profile = tmp_path / "p.yaml"
    profile.write_text("as_of: 2026-01-01\nls: [{v: 3}]\n")
    from imgrules._cli import main

    code = main(["eval", "--pack", str(pack), "--all", str(profile)])
    assert code == 0 and "ok" in capsys.readouterr().out


def test_a_10_mb_string_literal_is_refused_for_its_size_before_parsing(tmp_path, capsys):
    text = 'pack t\nlet a = "' + "x" * (10 * 1024 * 1024) + '"\n'
    diag = _one_error(text)
    assert diag.code == "E008"
    assert diag.message.startswith("the file is too large (10485778 bytes; the limit is 5242880")
    path = tmp_path / "big.rules"
    path.write_text(text)
    code, out, err = run(capsys, "check", str(path))
    assert code == 2 and "is too large (10485778 bytes; the limit is 5242880 bytes)" in err
    code, out, err = run(capsys, "fmt", str(path))
    assert code == 2 and "too large (more than 5242880 bytes; see --max-file-size)" in err


def test_file_size_limit_from_the_cli(tmp_path, capsys):
    path = tmp_path / "t.rules"
    path.write_text("pack t\nlet a = 1\n")
    assert run(capsys, "check", "--max-file-size", "10", str(path))[0] == 2
    assert run(capsys, "fmt", "--max-file-size", "10", str(path))[0] == 2
    assert run(capsys, "fmt", "--max-file-size", "1000", str(path))[0] == 0


def test_depth_limit_from_the_cli(tmp_path, capsys):
    path = tmp_path / "t.rules"
    path.write_text(rule("not not not x > 1"))
    code, out, _ = run(capsys, "check", "--max-depth", "2", str(path))
    assert code == 1 and "t.rules:7:16: error[E007]: nested too deeply (limit 2)" in out
    code, _, err = run(capsys, "fmt", "--max-depth", "2", str(path))
    assert code == 1 and "error[E007]" in err
    assert run(capsys, "check", str(path))[0] == 0


def test_rules_per_file():
    text = HEAD + "".join(f'rule r{i} "R"\n  when x > {i}\n  then recommend "ok"\n' for i in range(4))
    diag = _one_error(text, PackLimits(max_rules=3))
    assert (diag.code, diag.message) == ("E009", "too many rules in one file (limit 3)")
    assert diag.span.line == 6 + 3 * 3
    assert parse_limited(text, "t.rules", PackLimits(max_rules=4))[0] is not None


def test_rules_limit_from_the_cli(tmp_path, capsys):
    path = tmp_path / "t.rules"
    path.write_text(HEAD + 'rule a "A"\n  when x > 1\n  then recommend "a"\n'
                    'rule b "B"\n  when x > 2\n  then recommend "b"\n')
    code, out, _ = run(capsys, "check", "--max-rules", "1", str(path))
    assert code == 1 and "error[E009]: too many rules in one file (limit 1)" in out


def test_files_per_load(tmp_path):
    for i in range(5):
        (tmp_path / "c").mkdir(exist_ok=True)
        (tmp_path / "c" / f"p{i}.rules").write_text(f"pack c.p{i}\n" + (f"import c.p{i + 1}\n" if i < 4 else ""))
    packset = load_packs(tmp_path / "c" / "p0.rules", limits=PackLimits(max_files=3))
    assert [(d.code, d.message) for d in packset.diagnostics] == [("E109", "too many pack files: the limit is 3")]


def test_limits_are_validated():
    with pytest.raises(ValueError, match="max_depth must be a positive whole number"):
        PackLimits(max_depth=0)


def test_control_characters_and_surrogates_from_the_api():
    diag = _one_error("pack t\nlet a = \"\x1b[2J\"\n")
    assert (diag.code, diag.span.line, diag.span.column) == ("E001", 2, 10)
    assert diag.message == "the text contains a control character (U+001B)"
    diag = _one_error('pack t\nlet a = "\ud800"\n')
    assert diag.message == "the text contains a lone surrogate (U+D800)"


def test_byte_order_mark_is_dropped_and_positions_count_from_after_it():
    pack, diags = parse_limited("\ufeffpack t\nlet a = 1\n", "t.rules")
    assert diags == [] and pack.header.name.span.column == 6


def test_crlf_positions(tmp_path, capsys):
    text = rule("x > 1 and nope").replace("\n", "\r\n")
    path = tmp_path / "t.rules"
    path.write_bytes(text.encode())
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1 and "t.rules:7:18: error[E101]: unknown name 'nope'" in out


# ------------------------------------------------------------------ evaluation limits

LOOP = HEAD.replace("x: int", "x: int\n  items: list[int]") + """
fact pair {
  a: int
  b: int
}

rule pairs "Every pair"
  for i in items, j in items
  then derive pair(a: i, b: j)
"""


@pytest.fixture
def loop_pack(tmp_path):
    pack = tmp_path / "loop.rules"
    pack.write_text(LOOP)
    profile = tmp_path / "p.yaml"
    profile.write_text("as_of: 2026-01-01\nx: 1\nitems: [" + ", ".join(map(str, range(60))) + "]\n")
    return str(pack), str(profile)


def test_max_firings_from_the_cli(loop_pack, capsys):
    pack, profile = loop_pack
    assert run(capsys, "eval", "--pack", pack, profile)[0] == 0
    code, out, err = run(capsys, "eval", "--pack", pack, "--max-firings", "100", profile)
    assert code == 1 and out == ""
    assert "more than 100 firings (max_firings)" in err and "rule 'pairs'" in err


def test_max_facts_from_the_cli(loop_pack, capsys):
    pack, profile = loop_pack
    code, _, err = run(capsys, "eval", "--pack", pack, "--max-facts", "50", profile)
    assert code == 1 and "more than 50 derived facts (max_facts)" in err


def test_timeout_from_the_cli(loop_pack, capsys):
    pack, profile = loop_pack
    assert run(capsys, "eval", "--pack", pack, "--timeout", "30", profile)[0] == 0
    code, _, err = run(capsys, "eval", "--pack", pack, "--timeout", "-1", profile)
    assert code == 2 and "--timeout" in err


def test_plan_takes_the_same_limits(loop_pack, capsys):
    pack, profile = loop_pack
    code, _, err = run(capsys, "plan", "--pack", pack, "--max-firings", "10", profile)
    assert code == 1 and "more than 10 firings" in err


def test_pack_tests_take_the_engine_limits(loop_pack, capsys, tmp_path):
    """`imgrules test --max-firings` fails the test that runs away, names the rule, and
    still runs the others; without the option the same tests pass."""
    pack = tmp_path / "loop.rules"
    items = ", ".join(map(str, range(60)))
    pack.write_text(LOOP + f"""
test runaway "Every pair of 60 items"
  given {{ as_of: 2026-01-01, x: 1, items: [{items}] }}
  expect pair(a: 59, b: 59)

test small "Two items make four pairs"
  given {{ as_of: 2026-01-01, x: 1, items: [1, 2] }}
  expect pair(a: 2, b: 1)
""")
    code, out, _ = run(capsys, "test", str(pack))
    assert code == 0 and "2 passed, 0 failed" in out
    code, out, _ = run(capsys, "test", str(pack), "--max-firings", "100")
    assert code == 1 and "1 passed, 1 failed" in out
    assert "runaway" in out and "more than 100 firings (max_firings)" in out and "'pairs'" in out
    code, _, err = run(capsys, "test", str(pack), "--timeout", "0")
    assert code == 2 and "--timeout" in err
