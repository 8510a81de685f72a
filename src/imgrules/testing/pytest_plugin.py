"""pytest plugin: ``pytest rules/`` collects the tests written inside packs as pytest items.

Installed with the package (entry point ``pytest11``) and kept light: importing it
imports nothing of the engine; packs are loaded only when a ``.rules`` file is
collected. Files are collected when named on the command line or found under a folder
named there, not through ``testpaths`` defaults (a project's own test folders often hold
deliberately broken packs); set ``imgrules_collect = always`` in the ini file to change that.
"""

from __future__ import annotations

import fnmatch

import pytest

from .._errors import Error


def pytest_addoption(parser):
    parser.addini("imgrules_collect", "collect *.rules pack tests: 'args' (only under paths given on "
                  "the command line, the default), 'always' or 'never'", default="args")
    parser.addini("imgrules_ignore", "glob patterns (relative to the rootdir) of .rules files not to "
                  "collect, e.g. deliberately broken packs kept as test data", type="linelist", default=[])


def pytest_collect_file(file_path, parent):
    if file_path.suffix != ".rules":
        return None
    config = parent.config
    mode = config.getini("imgrules_collect")
    if mode == "never":
        return None
    if mode != "always" and getattr(config, "args_source", None) == pytest.Config.ArgsSource.TESTPATHS:
        return None
    relative = file_path.relative_to(config.rootpath).as_posix() if file_path.is_relative_to(
        config.rootpath) else file_path.as_posix()
    if any(fnmatch.fnmatch(relative, pattern) for pattern in config.getini("imgrules_ignore")):
        return None
    return PackFile.from_parent(parent, path=file_path)


class PackFile(pytest.File):
    """A pack file: checked and compiled once, then one item per ``test`` in it."""

    def collect(self):
        from .suite import run_tests

        self._run_one = _Runner(str(self.path), run_tests)
        diagnostics, tests = self._run_one.prepare()
        if diagnostics:
            raise PackCollectError(diagnostics)
        for name, line in tests:
            yield PackTestItem.from_parent(self, name=name, runner=self._run_one, line=line)


class PackCollectError(Error):
    """The pack has errors: its tests cannot be collected."""


class _Runner:
    def __init__(self, path: str, run_tests):
        self.path = path
        self.run_tests = run_tests
        self.outcomes = None
        self.sources = {}

    def prepare(self):
        from .._check import check_pack
        from .._diagnostics import render_all
        from .._loader import load_packs

        checked = check_pack(load_packs(self.path))
        errors = [d for d in checked.diagnostics if d.is_error]
        if errors:
            return render_all(errors, checked.sources), []
        root = checked.packs[-1].path
        return "", [(t.name.text, t.span.line) for p, t in checked.tests if p == root]

    def outcome(self, name: str):
        if self.outcomes is None:
            (run,) = self.run_tests([self.path])
            self.outcomes = {o.name: o for o in run.outcomes}
        return self.outcomes.get(name)


class PackTestItem(pytest.Item):
    def __init__(self, *, runner: _Runner, line: int, **kwargs):
        super().__init__(**kwargs)
        self.runner = runner
        self.line = line

    def runtest(self):
        outcome = self.runner.outcome(self.name)
        if outcome is None:
            raise PackTestFailure(f"test {self.name} was not run")
        if outcome.status != "passed":
            lines = [f"{outcome.path}:{outcome.line}: {outcome.name} - {outcome.title}"]
            if outcome.message:
                lines.append(f"  error: {outcome.message}")
            lines += [f"  line {r.expect.span.line}: {r.detail}" for r in outcome.expectations if not r.ok]
            if outcome.explanation:
                lines += [f"    | {text}" for text in outcome.explanation.splitlines()]
            raise PackTestFailure("\n".join(lines))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, (PackTestFailure, PackCollectError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.line - 1, f"pack test {self.name}"


class PackTestFailure(Error):
    """A pack test whose expectations did not hold."""


@pytest.hookimpl(tryfirst=True)
def pytest_exception_interact(node, call, report):
    if isinstance(node, PackFile) and call.excinfo and isinstance(call.excinfo.value, PackCollectError):
        report.longrepr = str(call.excinfo.value)
