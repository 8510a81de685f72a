"""The public facade: what `import imgrules` offers, end to end."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import imgrules

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_all_names_exist():
    for name in imgrules.__all__:
        assert getattr(imgrules, name) is not None, name


def test_import_does_not_load_lark():
    code = "import sys, imgrules; print('lark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_import_loads_the_names_on_first_use():
    # every command imports the package first: it loads none of the pipeline by itself
    code = ("import sys, imgrules; print(sorted(m for m in sys.modules if m.startswith('imgrules.')));"
            "from imgrules import load, Severity; print(load.__module__, Severity.__module__);"
            "print(sorted(set(imgrules.__all__) - set(dir(imgrules))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["['imgrules._version']", "imgrules._api imgrules._diagnostics",
                                       "[]"]


def test_evaluate_a_shipped_pack_on_a_dict():
    pack = imgrules.load("img.reapplication")
    profile = {
        "as_of": "2026-11-22", "application_date": "2027-09-15", "track": "reapplicant",
        "applicant": {"id": "A-9", "graduation_year": 2018, "target_specialties": ["internal_medicine"],
                      "specialty_locked": True, "visa_required": True},
        "exams": {"step1": {"result": "pass", "attempts": 1}, "step2_ck": {"score": 221, "attempts": 1}},
        "prior_cycles": [{"year": 2026, "specialties": ["internal_medicine"], "programs_applied": 60,
                          "interviews": 1, "matched": False}],
    }
    results = imgrules.evaluate(pack, profile)
    tiers = {f.get("component"): f.get("level") for f in results.facts("tier")}
    assert tiers["step2_ck"] == "concerning" and tiers["yog"] == "concerning"
    assert [f.get("code") for f in results.facts("diagnosis")] == ["structural"]
    assert results.months_to_go == 9


def test_bad_profile_raises_profile_error_with_paths():
    pack = imgrules.load("img.reapplication")
    with pytest.raises(imgrules.ProfileError) as info:
        imgrules.evaluate(pack, {"as_of": "2026-11-22", "application_date": "2027-09-15",
                                 "track": "reapplicant", "letters": [{"id": "l", "status": "sent"}]})
    paths = [issue.path for issue in info.value.issues]
    assert "$.letters[0].status" in paths


def test_broken_pack_raises_diagnostic_error(tmp_path):
    path = tmp_path / "bad.rules"
    path.write_text('pack bad\nrule r "R" when nosuch > 1 then recommend "x"\n')
    with pytest.raises(imgrules.DiagnosticError) as info:
        imgrules.load(path, use_cache=False)
    assert info.value.diagnostics and "nosuch" in str(info.value)


def test_parse_and_format_are_lazy_attributes():
    pack, diagnostics = imgrules.parse('pack p\nlet x = 1\n', "p.rules")
    assert diagnostics == [] and pack.header.name.text == "p"
    assert imgrules.format_text("pack p\nlet   x=1\n") == "pack p\n\nlet x = 1\n"


def test_load_takes_pack_limits_and_then_bypasses_the_cache(tmp_path):
    from imgrules._limits import PackLimits

    path = tmp_path / "deep.rules"
    path.write_text('pack deep\nprofile {\n  as_of: date\n  x: int\n}\n'
                    'rule r "R"\n  when ((((x > 1))))\n  then recommend "x"\n')
    assert imgrules.load(path).name == "deep"  # fine under the defaults, and now cached
    with pytest.raises(imgrules.DiagnosticError) as info:
        imgrules.load(path, limits=PackLimits(max_depth=3))
    assert "E007" in str(info.value) and "deep.rules:7" in str(info.value)
    with pytest.raises(TypeError, match="PackLimits"):
        imgrules.load(path, limits={"max_depth": 3})


def test_api_doc_documents_exactly_the_facade_and_the_public_submodules():
    text = API_DOC.read_text(encoding="utf-8")
    documented = re.findall(r"^\.\. auto(?:class|function|exception|data):: imgrules\.(\w+)$", text, re.M)
    assert sorted(documented) == sorted(imgrules.__all__)
    modules = re.findall(r"^\.\. automodule:: (imgrules\.\w+)$", text, re.M)
    public = re.findall(r":mod:`(imgrules\.\w+)`", imgrules.__doc__)
    assert sorted(modules) == sorted(public) and modules


def test_lazy_names_do_not_load_lark_until_asked():
    code = ("import sys, imgrules; imgrules.Explanation; imgrules.UnknownRuleError; "
            "print('lark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_explain_stays_the_function_after_use(tmp_path):
    # a submodule named like a facade function would replace it once imported
    path = tmp_path / "p.rules"
    path.write_text('pack p\nprofile {\n  as_of: date\n  application_date: date\n}\n'
                    'rule r "R"\n  when as_of > application_date\n  then recommend "x"\n')
    pack = imgrules.load(path, use_cache=False)
    profile = {"as_of": "2026-11-22", "application_date": "2027-09-15"}
    for _ in range(2):
        assert imgrules.explain(pack, profile, "r").fired is False
    assert callable(imgrules.explain) and callable(imgrules.parse)


# the public packages' own submodules: the pytest plugin is an entry point, batch.report is
# documented in docs/batch.md, and the packages' __init__ re-export the rest; a new module in
# them is added here or gets a leading underscore
PUBLIC_PACKAGE_MODULES = {
    "imgrules.testing": {"coverage", "data", "fuzz", "junit", "pytest_plugin", "runner",
                         "strategies", "suite"},
    "imgrules.batch": {"inputs", "model", "on_dask", "output", "report", "report_html", "run",
                       "summary", "work"},
}


def test_every_private_module_has_a_leading_underscore():
    package = Path(imgrules.__file__).resolve().parent
    public = {"imgrules", "imgrules.__main__", *re.findall(r":mod:`(imgrules\.\w+)`", imgrules.__doc__)}
    assert "imgrules.testing" in public and "imgrules.ast" in public
    offending, seen = [], set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        seen.add(name)
        head, _, last = name.rpartition(".")
        if name in public or any(part.startswith("_") and part not in ("__init__", "__main__")
                                 for part in name.split(".")):
            continue
        if last in PUBLIC_PACKAGE_MODULES.get(head, ()):
            continue
        offending.append(name)
    assert {"imgrules._engine", "imgrules._api", "imgrules.testing.suite"} <= seen
    assert offending == []
