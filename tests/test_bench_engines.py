"""benchmarks/engines.py: CLIPS computes what imgrules and the hand-written functions compute.

The benchmark compares timings only after checking agreement; these tests keep that check
honest (edge profiles, a deliberate disagreement) so the comparison cannot silently rot.
The CLIPS tests skip when clipspy (the `bench` extra) is not installed.
"""

from __future__ import annotations

import copy
import importlib.util
import random
import subprocess
import sys
from pathlib import Path

import pytest

ENGINES = Path(__file__).resolve().parent.parent / "benchmarks" / "engines.py"


@pytest.fixture(scope="module")
def engines():
    spec = importlib.util.spec_from_file_location("imgrules_bench_engines", ENGINES)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def clips(engines):
    mod = engines.load_clips()
    if mod is None:
        pytest.skip("clipspy is not installed (pip install 'imgrules[bench]' or pip install clipspy)")
    return mod


def edge_profiles(base):
    """Table boundaries and letter cases the random profiles may miss.

    Within the generator's domain (attempts and interviews always given, score sometimes
    missing): with attempts missing, imgrules leaves the step2 table undecided while the
    hand-written function falls through to the score.
    """
    def p(**kw):
        out = {"as_of": base.AS_OF, "application_date": base.APP, "attempts": 1, "interviews": 5,
               "targets": ["pediatrics"],
               "letters": [{"id": "l0", "specialty": "pediatrics", "us_based": True}]}
        out.update(kw)
        return {k: v for k, v in out.items() if v is not None}
    return [p(score=224, interviews=2), p(score=225, interviews=3), p(score=239, interviews=7),
            p(score=240, interviews=8), p(score=260, attempts=2), p(attempts=2), p(score=None),
            p(interviews=0), p(score=250, letters=[]),
            p(score=250, targets=["neurology", "pediatrics"],
              letters=[{"id": "a", "specialty": "neurology", "us_based": True},
                       {"id": "b", "specialty": "neurology", "us_based": False},
                       {"id": "c", "specialty": "psychiatry", "us_based": True}])]


def test_triage_agrees_with_hand_written_and_imgrules(engines, clips):
    base = engines.base
    profiles = base.triage_profiles(20, random.Random(7)) + edge_profiles(base)
    cl, net = engines.ClipsTriage(clips), engines.triage_net()
    findings = set()
    for p in profiles:
        want = base.triage_by_hand(p)
        assert cl.evaluate(p) == want, p
        assert engines.imgrules_triage(net, p) == want, p
        findings.update(rule for rule, _ in want[1])
    # every rule of the pack fires somewhere, so no CLIPS rule goes untested
    assert findings == {"weak_step2", "step3_plan", "structural", "matching_letter", "no_us_letter"}
    engines.check_triage(cl, net, profiles)  # the benchmark's own check passes too


def test_a_disagreement_stops_the_benchmark(engines, clips, monkeypatch):
    base = engines.base
    profiles = edge_profiles(base)[:3]
    real = base.triage_by_hand
    monkeypatch.setattr(base, "triage_by_hand", lambda p: (real(p)[0], real(p)[1][1:]))
    with pytest.raises(SystemExit, match="CLIPS disagrees with the hand-written function"):
        engines.check_triage(engines.ClipsTriage(clips), engines.triage_net(), profiles)


def test_synthetic_packs_agree(engines, clips):
    base = engines.base
    text, spec = base.synthetic(100)
    cl = engines.ClipsSynthetic(clips, spec)
    profiles = engines.synthetic_profiles(100, 30)
    # a profile inside and one just outside the score range of range rule r2 (lo..hi)
    _, _, kind, lo, hi = spec[2]
    for score in (lo, hi, hi + 1):
        profiles.append({"as_of": base.AS_OF, "application_date": base.APP, "code": 999,
                         "kind": kind, "score": score})
    fired = 0
    for p in profiles:
        want = sorted(base.synthetic_by_hand(spec, p))
        assert cl.evaluate(p) == want, p
        fired += len(want)
    assert fired > 0
    assert cl.evaluate(profiles[-2]) == ["r2"] and cl.evaluate(profiles[-1]) == []
    engines.check_synthetic(100, cl, base.compile_pack(base.checked_text(text)), spec, profiles)


def test_repeated_evaluations_hold_no_clips_memory(engines, clips):
    """Facts never reach Python as objects, so CLIPS frees them on reset (clipspy would not)."""
    base = engines.base
    cl = engines.ClipsTriage(clips)
    profiles = base.triage_profiles(50, random.Random(3))
    before = copy.deepcopy(profiles)
    for p in profiles:
        cl.evaluate(p)
    used = cl.env.eval("(mem-used)")
    for p in profiles:
        cl.evaluate(p)
    assert cl.env.eval("(mem-used)") == used
    assert profiles == before  # the profiles are read, never changed


def test_clips_error_names_the_source(engines, clips):
    with pytest.raises(SystemExit, match="CLIPS rejected generated constructs"):
        engines._environment(clips, ["(defrule broken (profile"])


def test_without_clipspy_prints_how_to_install(engines, monkeypatch, capsys):
    monkeypatch.setattr(engines, "load_clips", lambda: None)
    assert engines.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "pip install 'imgrules[bench]'" in out


def test_script_without_clipspy_exits_cleanly(engines):
    """Run as a script, benchmarks/clips/ is on sys.path and must not pass for clipspy."""
    if engines.load_clips() is not None:
        pytest.skip("clipspy is installed: the script would run the whole benchmark")
    r = subprocess.run([sys.executable, str(ENGINES), "--quick"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("clipspy is not installed") and r.stdout.count("\n") == 1
