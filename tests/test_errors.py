"""One error family: ``except imgrules.Error`` catches every error imgrules raises on
purpose, each raised here the way a caller meets it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys

import pytest

import imgrules

PACK = """\
pack demo

profile {
  as_of: date
  application_date: date
  score: int?
}

rule high "High score"
  when score > 1
  then recommend "keep going"
"""

PROFILE = {"as_of": "2026-11-22", "application_date": "2027-09-15", "score": 3}


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "demo.rules"
    path.write_text(PACK, encoding="utf-8")
    return imgrules.load(path, use_cache=False)


def _broken_pack(tmp_path):
    path = tmp_path / "bad.rules"
    path.write_text('pack bad\nrule r "R" when nosuch > 1 then recommend "x"\n', encoding="utf-8")
    imgrules.load(path, use_cache=False)


def _failing_tracer(event):
    raise RuntimeError("a tracer that fails")


def _dask_missing(monkeypatch):
    from imgrules.batch.on_dask import open_client

    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    with open_client("local", 1):
        pass


def _bad_batch_input(tmp_path):
    from imgrules.batch.inputs import plan_inputs

    plan_inputs([str(tmp_path / "nowhere")])


def _unreadable_profile(tmp_path):
    from imgrules._facts import load_profile_file

    load_profile_file(str(tmp_path / "missing.yaml"))


class _EndsItsWorker:
    """An item whose unpickling in a worker process ends that process."""

    def __reduce__(self):
        import os

        return (os._exit, (1,))


def _killed_worker(pack):
    from imgrules.batch.model import PackChoice
    from imgrules.batch.run import run_local

    list(run_local(PackChoice(fixed=pack), [PROFILE, _EndsItsWorker()], jobs=2, chunk_size=1))


def _out_of_calendar(tmp_path):
    text = ('pack far\nprofile {\n  as_of: date\n}\nlet later(d) = d + 999 years\n'
            'rule far "Far" when later(later(later(later(later(later(later(later(later(as_of)))))))))'
            ' > as_of then remind "far"\n')
    imgrules.evaluate(imgrules.loads(text, name="far.rules"), {"as_of": "2026-11-22"})


CASES = {
    "DiagnosticError": lambda tmp_path, pack, mp: _broken_pack(tmp_path),
    "LoadError": lambda tmp_path, pack, mp: imgrules.load(tmp_path / "missing.rules"),
    "ProfileError": lambda tmp_path, pack, mp: imgrules.evaluate(pack, {**PROFILE, "score": "x"}),
    "ProfileReadError": lambda tmp_path, pack, mp: _unreadable_profile(tmp_path),
    "EvaluationLimitError": lambda tmp_path, pack, mp: imgrules.evaluate(
        pack, PROFILE, limits=imgrules.Limits(max_firings=0)),
    "EvaluationError": lambda tmp_path, pack, mp: imgrules.evaluate(pack, PROFILE,
                                                                    tracer=_failing_tracer),
    "UnknownRuleError": lambda tmp_path, pack, mp: imgrules.explain(pack, PROFILE, "hihg"),
    "InputError": lambda tmp_path, pack, mp: _bad_batch_input(tmp_path),
    "DaskMissing": lambda tmp_path, pack, mp: _dask_missing(mp),
    "WorkerKilled": lambda tmp_path, pack, mp: _killed_worker(pack),
    "DateOutOfRange": lambda tmp_path, pack, mp: _out_of_calendar(tmp_path),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_except_imgrules_error_catches_it(name, tmp_path, pack, monkeypatch):
    with pytest.raises(imgrules.Error) as info:
        CASES[name](tmp_path, pack, monkeypatch)
    assert type(info.value).__name__ == name
    assert str(info.value)  # says what went wrong


def test_unknown_rule_suggests_the_closest_name(pack):
    with pytest.raises(imgrules.UnknownRuleError) as info:
        imgrules.explain(pack, PROFILE, "hihg")
    assert str(info.value) == "no rule, deadline, window or table named 'hihg'; did you mean 'high'?"
    assert isinstance(info.value, KeyError)  # what explain raised before the family existed


# Exceptions used for control flow inside one module, never seen by a caller; and
# CompileError, which means a bug in imgrules (a checked pack the compiler cannot take).
INTERNAL = {"BuildError", "CompileError", "NotConst", "_Found",
            "_IOProblem", "NodeError", "_TooBig",
            "Terminated",  # SIGTERM unwinding the command line, like KeyboardInterrupt
            "OutOfCalendar",  # the session turns it into DateOutOfRange, an imgrules.Error
            "Unsure"}  # the profile validator's fast path handing a profile to the full check


def _exception_classes():
    for info in pkgutil.walk_packages(imgrules.__path__, "imgrules."):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == info.name:
                yield value


def test_every_exception_class_is_in_the_family_or_internal():
    found = {cls.__name__: cls for cls in _exception_classes()}
    outside = sorted(name for name, cls in found.items()
                     if not issubclass(cls, imgrules.Error) and name not in INTERNAL)
    assert outside == []
    raised_above = set(CASES) | {"Error", "LoadError", "PackCollectError", "PackTestFailure"}
    family = {name for name, cls in found.items() if issubclass(cls, imgrules.Error)}
    assert family <= raised_above  # a new error class gets a case in CASES
    assert INTERNAL <= set(found)  # the list names classes that exist
