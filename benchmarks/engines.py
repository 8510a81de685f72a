"""imgrules against another rules engine (CLIPS, via clipspy). ``python benchmarks/engines.py [--quick]``.

The workloads are the ones of ``benchmarks/run.py`` (imported from it, not copied): the
triage pack and the synthetic 10 / 100 / 1,000-rule packs. CLIPS gets the same rules
(``clips/triage.clp``, and generated text for the synthetic packs), built once per pack like
imgrules compiles once; per profile it resets, asserts the facts, runs and collects the
result facts. Every engine must compute exactly what the hand-written function computes on
every profile, or the run stops: timing engines that disagree would be meaningless.

Prints markdown tables (per-profile times, build times) measured in one run, timings
interleaved round by round. Without clipspy it prints how to install it and exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRIAGE_CLP = HERE / "clips" / "triage.clp"
INSTALL = ("clipspy is not installed: `pip install 'imgrules[bench]'` (or `pip install clipspy`) "
           "to compare imgrules with CLIPS.")


def _load_run():
    """benchmarks/run.py as a module (it is a script, not a package member)."""
    spec = importlib.util.spec_from_file_location("imgrules_bench_run", HERE / "run.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


base = _load_run()


def load_clips():
    """The clips module, or None when clipspy is not installed."""
    try:
        import clips
    except ImportError:
        return None
    # without clipspy, `python benchmarks/engines.py` imports benchmarks/clips/ (the .clp
    # files, first on sys.path) as an empty namespace package
    return clips if hasattr(clips, "Environment") else None


def _environment(clips, constructs: list[str] | None = None, path: Path | None = None):
    """A CLIPS environment holding the given constructs; a construct CLIPS rejects stops the run."""
    env = clips.Environment()
    try:
        if path is not None:
            env.load(str(path))
        for c in constructs or ():
            env.build(c)
    except clips.CLIPSError as e:
        where = path if path is not None else "generated constructs"
        raise SystemExit(f"CLIPS rejected {where}: {e}") from None
    return env


# ---------------------------------------------------------------- triage
class ClipsTriage:
    """The triage pack in CLIPS: built once, then reset / load-profile / run / results per profile.

    Facts go in and out through two deffunctions of triage.clp, never through clipspy's fact
    objects: those keep retracted facts alive, so memory and reset time grew with every profile.
    """

    def __init__(self, clips):
        self.sym, self.nil = clips.Symbol, clips.Symbol("nil")
        self.env = _environment(clips, path=TRIAGE_CLP)

    def evaluate(self, p):
        """(derived facts, sorted findings), in the shape of run.triage_by_hand."""
        env, sym, nil = self.env, self.sym, self.nil
        letters = []
        for l in p["letters"]:
            letters += (l["id"], sym(l["specialty"]), l["us_based"])
        env.reset()
        env.call("load-profile", *[nil if p.get(k) is None else p[k] for k in ("score", "attempts", "interviews")],
                 [sym(s) for s in p["targets"]], letters)
        env.run()
        return parse_triage(env.call("results"))


ARITY = {"tier": 2, "diagnosis": 1, "advice": 1, "finding": 2}


def parse_triage(flat):
    """The flat multifield of the `results` deffunction as (derived set, sorted findings)."""
    derived, findings, i = set(), [], 0
    while i < len(flat):
        kind = str(flat[i])
        values = tuple(str(v) for v in flat[i + 1:i + 1 + ARITY[kind]])
        i += 1 + ARITY[kind]
        if kind == "finding":
            findings.append(values)
        else:
            derived.add((kind, *values))
    return derived, sorted(findings)


def triage_net():
    """The compiled imgrules triage pack, exactly as run.py builds it."""
    return base.compile_pack(base.check_pack(base.load_packs(str(HERE / "packs" / "triage.rules"))))


def imgrules_triage(net, p):
    """imgrules' results in the shape of run.triage_by_hand (what ClipsTriage.evaluate gives)."""
    return base.engine_view(base.Session(net).set_profile(p).run())


def check_triage(clips_triage, net, profiles):
    """Stop the run unless CLIPS, imgrules and the hand-written function agree on every profile."""
    for p in profiles:
        want = base.triage_by_hand(p)
        for name, got in (("CLIPS", clips_triage.evaluate(p)), ("imgrules", imgrules_triage(net, p))):
            if got != want:
                raise SystemExit(f"triage: {name} disagrees with the hand-written function on {p}:\n"
                                 f"  {name}: {got}\n  hand-written: {want}")


# ---------------------------------------------------------------- synthetic rule counts
SYN_HEADER = [
    "(deftemplate profile (slot code) (slot kind) (slot score))",
    "(deftemplate finding (slot rule))",
    # returns TRUE, not the fact: a fact that reaches Python is never freed (see ClipsTriage)
    "(deffunction load-profile (?code ?kind ?score)"
    " (assert (profile (code ?code) (kind ?kind) (score ?score))) TRUE)",
    "(deffunction results () (bind ?out (create$))"
    " (do-for-all-facts ((?f finding)) TRUE (bind ?out (create$ ?out ?f:rule))) ?out)",
]


def synthetic_clips(spec) -> list[str]:
    """The rules of run.synthetic(n) as CLIPS constructs (same spec, same rule names)."""
    out = list(SYN_HEADER)
    for i, (t, code, kind, lo, hi) in enumerate(spec):
        if t == 0:
            lhs = f"(profile (code {code}))"
        elif t == 1:
            lhs = f"(profile (code {code}) (kind {kind}))"
        else:
            lhs = f"(profile (kind {kind}) (score ?s&~nil&:(<= {lo} ?s {hi})))"
        out.append(f"(defrule r{i} {lhs} => (assert (finding (rule r{i}))))")
    return out


class ClipsSynthetic:
    """One synthetic pack in CLIPS, built once; evaluate() gives the sorted names of the rules that fired."""

    def __init__(self, clips, spec):
        self.sym = clips.Symbol
        self.env = _environment(clips, synthetic_clips(spec))

    def evaluate(self, p):
        env = self.env
        env.reset()
        env.call("load-profile", p["code"], self.sym(p["kind"]), p["score"])
        env.run()
        return sorted(str(r) for r in env.call("results"))


def synthetic_profiles(n_rules, n_profiles):
    """The profiles run.bench_rules generates for a pack of n_rules (same seed, same shape)."""
    return base.synthetic_profiles(n_rules, n_profiles, random.Random(n_rules))


def imgrules_synthetic(net, p):
    """The sorted names of the rules that fired (what ClipsSynthetic.evaluate gives)."""
    return sorted(f.rule for f in base.Session(net).set_profile(p).run().findings)


def check_synthetic(n, clips_pack, net, spec, profiles):
    for p in profiles:
        want = sorted(base.synthetic_by_hand(spec, p))
        for name, got in (("CLIPS", clips_pack.evaluate(p)), ("imgrules", imgrules_synthetic(net, p))):
            if got != want:
                raise SystemExit(f"{n} rules: {name} disagrees with the hand-written loop on {p}:\n"
                                 f"  {name}: {got}\n  hand-written: {want}")


# ---------------------------------------------------------------- timing
REPEAT = 5


def interleaved(*fns, repeat=REPEAT):
    """The best time of each function over `repeat` rounds, one call of each per round.

    Interleaving spreads the load of a shared machine over every engine instead of landing
    on whichever was being timed when another job started.
    """
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, out in zip(fns, times):
            out.append(base.best(fn, repeat=1))
    return [min(t) for t in times]


def dropped(fn, profiles):
    """Evaluate every profile and drop each result at once (a batch that writes as it goes)."""
    def go():
        for p in profiles:
            fn(p)
    return go


VARIANTS = ["hand-written", "imgrules run(), results kept in a list (as run.py)",
            "imgrules run(), each result dropped",
            "imgrules run() + results read (the output CLIPS gives)",
            "CLIPS reset, assert, run, collect"]


def rows_for(name, n, hand, imgrules_run, imgrules_read, clips_eval, profiles):
    """Table rows of one workload: each variant per profile, against hand-written and CLIPS."""
    times = interleaved(lambda: [hand(p) for p in profiles],
                        lambda: [imgrules_run(p) for p in profiles],
                        dropped(imgrules_run, profiles),
                        dropped(imgrules_read, profiles),
                        lambda: [clips_eval(p) for p in profiles])
    t_hand, t_clips = times[0], times[-1]
    out = []
    for variant, t in zip(VARIANTS, times):
        vs_clips = "" if variant.startswith(("hand", "CLIPS")) else f"{t / t_clips:.2f}x"
        out.append(f"| {name} | {variant} | {t / n * 1e6:.1f} µs | {t / t_hand:.1f}x | {vs_clips} |")
    return out


def bench_triage(clips, n):
    profiles = base.triage_profiles(n, random.Random(1))
    net, cl = triage_net(), ClipsTriage(clips)
    check_triage(cl, net, profiles)
    Session = base.Session
    return rows_for(f"triage ({n} profiles)", n, base.triage_by_hand,
                    lambda p: Session(net).set_profile(p).run(),
                    lambda p: imgrules_triage(net, p), cl.evaluate, profiles)


def bench_synthetic(clips, counts, n_profiles):
    rows, build_rows = [], []
    Session = base.Session
    for n in counts:
        text, spec = base.synthetic(n)
        t0 = time.perf_counter()
        net = base.compile_pack(base.checked_text(text))
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        cl = ClipsSynthetic(clips, spec)
        t_clips_build = time.perf_counter() - t0
        build_rows.append(f"| {n} rules | {t_build * 1000:.0f} ms | {t_clips_build * 1000:.0f} ms |")
        profiles = synthetic_profiles(n, n_profiles)
        check_synthetic(n, cl, net, spec, profiles)
        rows += rows_for(f"{n} rules ({n_profiles} profiles)", n_profiles,
                         lambda p: base.synthetic_by_hand(spec, p),
                         lambda p: Session(net).set_profile(p).run(),
                         lambda p: imgrules_triage(net, p), cl.evaluate, profiles)
    return rows, build_rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer profiles (500 triage, 200 per synthetic pack)")
    args = ap.parse_args(argv)
    clips = load_clips()
    if clips is None:
        print(INSTALL)
        return 0
    n_triage, n_syn = (500, 200) if args.quick else (2000, 1000)
    rows = bench_triage(clips, n_triage)
    syn_rows, build_rows = bench_synthetic(clips, [10, 100, 1000], n_syn)
    out = [base.machine(), "",
           "Per profile; every engine agrees with the hand-written function on every profile.", "",
           "| workload | engine | time / profile | vs hand-written | vs CLIPS |",
           "|---|---|---|---|---|", *rows, *syn_rows, "",
           "| build once | imgrules (parse + check + compile) | CLIPS (build) |", "|---|---|---|",
           *build_rows]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
