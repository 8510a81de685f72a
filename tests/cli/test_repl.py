"""``imgrules repl``: expressions, conditions, types and ``why`` against a profile."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from imgrules import _api as api
from imgrules._cli import group
from imgrules._cli.repl_cmd import _interactive
from imgrules._repl import Workbench

REPO = Path(__file__).resolve().parents[2]
PROFILE = REPO / "examples" / "strong-first-timer.yaml"


def repl(lines: str, *args: str):
    return CliRunner().invoke(group, ["repl", *args], input=lines)


def test_expressions_and_conditions_have_the_profiles_values():
    data = yaml.safe_load(PROFILE.read_text())
    us_letters = sum(1 for letter in data["letters"] if letter["us_based"])
    result = repl("years_out\ncount(letters where us_based)\ncount(letters where us_based) >= 3\n"
                  "exams.step3.score\n:type primary\n", str(PROFILE))
    assert result.exit_code == 0, result.output
    expected_years = data["as_of"].year - data["applicant"]["graduation_year"]
    assert result.output.splitlines() == [str(expected_years), str(us_letters),
                                          "true" if us_letters >= 3 else "false", "missing", "Specialty"]


def test_a_mistake_gets_the_checkers_diagnostic_under_the_line():
    result = repl("exams.step2_ck.scroe\n", str(PROFILE))
    assert result.exit_code == 1
    assert result.output.splitlines()[:4] == [
        "error[E110]: unknown field 'scroe' on Step2",
        "  exams.step2_ck.scroe",
        "                 ^^^^^",
        "  = help: did you mean 'score'?"]


def test_why_is_the_explanation_of_explain():
    compiled = api.load("img.first_application")
    fired = sorted({f.rule for f in api.evaluate(compiled, PROFILE).findings})
    rule = fired[0]
    result = repl(f"why {rule}\nwhy {rule[:-1]}\n", str(PROFILE))
    expected = api.explain(compiled, PROFILE, rule).text().rstrip()
    assert result.output.startswith(expected + "\n")
    assert f"did you mean '{rule}'?" in result.output
    assert result.exit_code == 1  # the misspelt rule


def test_without_a_profile_values_are_missing_but_types_are_known():
    result = repl("years_out\n:type years_out\n:nonsense\n")
    assert result.output.splitlines() == ["missing", "int", "unknown command :nonsense (type :help)"]


def test_a_pack_that_cannot_be_loaded_is_a_usage_error():
    result = repl("", "--pack", "no.such.pack")
    assert result.exit_code == 2 and "cannot find pack 'no.such.pack'" in result.output


def test_the_interactive_prompt_answers_and_keeps_history(tmp_path, monkeypatch, capsys):
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    bench = Workbench("img.first_application", PROFILE)
    assert {"years_out", "us_letters", "letters", "why", "internal_medicine"} <= set(bench.words())
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("applicant.graduation_year\r")
        pipe.send_text("\x04")  # Ctrl-D
        _interactive(bench)
    out = capsys.readouterr().out
    graduation = yaml.safe_load(PROFILE.read_text())["applicant"]["graduation_year"]
    assert out.splitlines()[1:] == [str(graduation)]
    assert "applicant.graduation_year" in (tmp_path / "imgrules" / "repl_history").read_text()
