"""The options every command shares: one colour policy, enumerated values checked by
``click.Choice`` with a one-line error."""

from __future__ import annotations

import io

import pytest

from imgrules._cli.options import use_color

from .helpers import FIRST_TIMER, run, write


class _Tty(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("choice, environ, tty, expected", [
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": ""}, True, True),          # empty NO_COLOR does not count
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("auto", {"FORCE_COLOR": ""}, False, False),
    ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
    ("always", {"NO_COLOR": "1"}, False, True),
    ("never", {"FORCE_COLOR": "1"}, True, False),
])
def test_colour_policy(choice, environ, tty, expected):
    stream = _Tty() if tty else io.StringIO()
    assert use_color(choice, stream, environ) is expected


FAILING_TEST = """\
pack demo

profile {
  as_of: date
  application_date: date
  score: int?
}

fact high {}

rule high_score "High score"
  when score >= 50
  then derive high()

test deliberately_wrong "a test that fails"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 10 }
  expect high()
"""


def _bad_pack(tmp_path):
    bad = tmp_path / "bad.rules"
    bad.write_text(FAILING_TEST + 'rule r "R"\n  when as_of > 3\n  then derive high()\n')
    return str(bad)


def _commands(tmp_path):
    """A command line per colouring command, each with output that has something to colour."""
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    failing = tmp_path / "failing.rules"
    failing.write_text(FAILING_TEST, encoding="utf-8")
    return {
        "test": ["test", str(failing)],
        "check": ["check", _bad_pack(tmp_path)],
        "eval": ["eval", profile],
        "plan": ["plan", profile],
    }


@pytest.mark.parametrize("command", ["check", "test", "eval", "plan"])
def test_every_command_follows_the_policy(tmp_path, capsys, monkeypatch, command):
    args = _commands(tmp_path)[command]
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, _ = run(capsys, *args)
    assert "\x1b[" not in out  # captured stdout is not a terminal
    _, out, _ = run(capsys, *args, "--color", "always")
    assert "\x1b[" in out
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, out, _ = run(capsys, *args)
    assert "\x1b[" in out
    _, out, _ = run(capsys, *args, "--color", "never")
    assert "\x1b[" not in out
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run(capsys, *args)
    assert "\x1b[" not in out


@pytest.mark.parametrize("args, needle", [
    (["check", "{p}", "--format", "yaml"], "'yaml' is not one of text, json"),
    (["check", "{p}", "--color", "sometimes"], "'sometimes' is not one of auto, always, never"),
    (["eval", "{p}", "--color", "sometimes"], "--color: 'sometimes' is not one of auto, always, never"),
    (["batch", "{p}", "--summary-format", "pdf"], "--summary-format: 'pdf' is not one of text, markdown, html"),
    (["explain", "{p}", "r", "--format", "xml"], "'xml' is not one of text, json"),
])
def test_enumerated_options_are_choices(tmp_path, capsys, args, needle):
    path = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, *[a.replace("{p}", path) for a in args])
    assert code == 2 and out == ""
    assert needle in err, err


def test_help_lists_the_choices(capsys):
    code, out, _ = run(capsys, "eval", "--help")
    assert code == 0
    assert "[text|json|markdown|html]" in out and "[auto|always|never]" in out
