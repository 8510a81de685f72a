"""The engine's speed targets, measured as callers use it. ``python benchmarks/targets.py [--quick]``.

Every per-profile row evaluates *and reads every result* as a caller does: each finding's
kind, rule and message, each derived fact's fields, through ``Session.evaluate`` and
``results.findings`` / ``results.derived``. Each ratio compares two timings taken in the
same run, interleaved round by round (best of several rounds), against a baseline that
computes the same results: a hand-written Python function checked against imgrules on
every profile before anything is timed, or the commit this work started from.

Prints a markdown table (workload, imgrules, baseline, ratio, target, met) and writes it to
``benchmarks/results/targets.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from imgrules._check import check_pack  # noqa: E402
from imgrules._compile import compile_pack  # noqa: E402
from imgrules._engine import Session  # noqa: E402
from imgrules._loader import load_packs  # noqa: E402
from run import best_of_each, machine, synthetic  # noqa: E402 - the other benchmarks' timing and machine line

AS_OF, APP = dt.date(2026, 11, 22), dt.date(2027, 9, 15)
SPECS = ["internal_medicine", "family_medicine", "pediatrics", "psychiatry", "neurology"]
BASE_COMMIT = "e29267c"  # the commit the one-evaluator rebuild started from
ROUNDS = 7


def interleaved(fns, rounds=ROUNDS) -> list[float]:
    """The best time of each function over ``rounds`` rounds, run one after the other in
    each round (``run.best_of_each``: a load that comes and goes affects them alike)."""
    return best_of_each(fns, rounds)


def compiled(text: str):
    fd, path = tempfile.mkstemp(suffix=".rules")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    try:
        return compile_pack(check_pack(load_packs(path)))
    finally:
        os.unlink(path)


def read(results) -> tuple:
    """What a caller reads: (kind, rule, message) of each finding, each derived fact."""
    findings = sorted((f.kind, f.rule, f.message) for f in results.findings)
    derived = {(d.type, *[v for _, v in d.fields]) for d in results.derived}
    return findings, derived


# ---------------------------------------------------------------- triage, 30 rules
def triage_profiles(n: int, rnd: random.Random) -> list[dict]:
    out = []
    for i in range(n):
        exps = [{"id": f"e{j}", "specialty": rnd.choice(SPECS), "months": rnd.randint(1, 4),
                 "setting": rnd.choice(["inpatient", "outpatient"]), "us": rnd.random() < .7}
                for j in range(rnd.randint(0, 5))]
        letters = [{"id": f"l{j}", "specialty": rnd.choice(SPECS), "us_based": rnd.random() < .6,
                    "status": rnd.choice(["planned", "requested", "received", "received"])}
                   for j in range(rnd.randint(0, 6))]
        for letter in letters:
            if exps and rnd.random() < .7:
                letter["experience"] = rnd.choice(exps)["id"]
        p = {"as_of": AS_OF, "application_date": APP, "attempts": rnd.choice([1, 1, 1, 2]),
             "yog": rnd.randint(2012, 2025), "targets": rnd.sample(SPECS, rnd.randint(0, 3)),
             "letters": letters, "experiences": exps}
        for field, value in (("step2", rnd.randint(200, 260)), ("step1_pass", rnd.random() < .9),
                             ("interviews", rnd.randint(0, 10)), ("programs", rnd.randint(5, 80))):
            if rnd.random() < .9:
                p[field] = value
        out.append(p)
    return out


def triage_by_hand(p: dict) -> tuple:
    """Hand-written Python computing what packs/triage30.rules computes."""
    findings, derived, tiers = [], set(), {}

    def flag(rule, message):
        findings.append(("flag", rule, message))

    def recommend(rule, message):
        findings.append(("recommendation", rule, message))

    step2, attempts = p.get("step2"), p["attempts"]
    if attempts >= 2:
        tiers["step2"] = "concerning"
    elif step2 is not None:
        tiers["step2"] = "concerning" if step2 <= 224 else "competitive" if step2 >= 240 else "borderline"
    years_out = AS_OF.year - p["yog"]
    tiers["yog"] = "competitive" if years_out <= 3 else "borderline" if years_out <= 6 else "concerning"
    exps, letters, targets = p["experiences"], p["letters"], p["targets"]
    us_months = sum(e["months"] for e in exps if e["us"])
    tiers["usce"] = "competitive" if us_months >= 6 else "borderline" if us_months >= 3 else "concerning"
    received = sum(1 for lt in letters if lt["us_based"] and lt["status"] == "received")
    tiers["letters"] = "competitive" if received >= 3 else "borderline" if received >= 1 else "concerning"
    for component, level in tiers.items():
        derived.add(("tier", component, level))
    advice = set()
    if p.get("step1_pass") is False:
        flag("step1_fail", "Step 1 is not passed")
        advice.add("exam")
    level = tiers.get("step2")
    if level in ("borderline", "concerning"):
        flag("weak_step2", f"Step 2 CK is {level}")
        advice.add("step3")
    if level == "competitive":
        recommend("strong_step2", "Put your Step 2 CK score forward")
    if tiers["yog"] == "concerning":
        flag("old_grad", f"Graduated {years_out} years ago")
        advice.add("recency")
    if tiers["usce"] != "competitive":
        findings.append(("flag", "thin_usce", f"{us_months} months of US clinical experience"))
        advice.add("usce")
    if tiers["letters"] != "competitive":
        findings.append(("flag", "few_letters", f"{received} US letters received"))
        advice.add("letters")
    plans = {"step3": ("step3_plan", "Schedule Step 3 between T-7 and T-5"),
             "recency": ("recency_plan", "Add a recent hands-on US rotation"),
             "usce": ("usce_plan", "Arrange a US clinical rotation"),
             "letters": ("letters_plan", "Ask US supervisors for letters now"),
             "exam": ("exam_plan", "Pass Step 1 before anything else")}
    for topic in advice:
        derived.add(("advice", topic))
        recommend(*plans[topic])
    levels = list(tiers.values())
    if levels.count("concerning") >= 2:
        flag("many_concerns", "Several parts of the file are concerning")
    if len(levels) == 4 and all(v == "competitive" for v in levels):
        recommend("all_good", "Your file is strong: apply broadly in your targets")
    interviews = p.get("interviews")
    if interviews == 0:
        flag("no_interviews", "No interviews last cycle")
    elif interviews is not None and 1 <= interviews <= 2:
        flag("few_interviews", "Few interviews last cycle")
    if p.get("programs") is not None and p["programs"] < 30:
        recommend("many_programs", "Apply to more programs")
    if not targets:
        flag("no_targets", "Choose one or two target specialties")
    if len(targets) > 2:
        flag("three_targets", "Narrow to two target specialties")
    for s in targets:
        for lt in letters:
            if lt["specialty"] == s and lt["us_based"] and lt["status"] == "received":
                recommend("matching_letter", f"Use the letter {lt['id']} for {s}")
    by_id = {e["id"]: e for e in exps}
    for lt in letters:
        if lt["status"] == "planned" and lt["us_based"]:
            findings.append(("reminder", "planned_letter", f"Request letter {lt['id']}"))
        if lt["us_based"] and lt["specialty"] not in targets:
            flag("off_target", f"Letter {lt['id']} is outside your targets")
        e = by_id.get(lt.get("experience"))
        if e is not None and e["specialty"] != lt["specialty"]:
            flag("letter_mismatch", f"Letter {lt['id']} names {lt['specialty']} but {e['id']} was {e['specialty']}")
    us = [e for e in exps if e["us"]]
    if us and not any(e["setting"] == "outpatient" for e in us):
        recommend("inpatient_only", "Add an outpatient US rotation")
    if not us:
        flag("no_us_experience", "No US clinical experience")
    for s in targets:
        if not any(e["specialty"] == s for e in us):
            recommend("target_experience", f"Get US experience in {s}")
    if step2 is None:
        findings.append(("needs_info", "no_score", "Record your Step 2 CK score"))
    return sorted(findings), derived


def bench_triage(n: int, rows: list) -> None:
    net = compile_pack(check_pack(load_packs(str(HERE / "packs" / "triage30.rules"))))
    profiles = triage_profiles(n, random.Random(1))
    for p in profiles:
        got, want = read(Session.evaluate(net, p)), triage_by_hand(p)
        if got != want:
            raise SystemExit(f"triage disagreement on {p}:\n{got}\n{want}")
    evaluate = Session.evaluate
    t_hand, t_engine = interleaved([lambda: [triage_by_hand(p) for p in profiles],
                                    lambda: [read(evaluate(net, p)) for p in profiles]])
    rows.append(("triage, 30 rules (tables, counts, chaining, a join), results read / profile",
                 t_engine / n, t_hand / n, "hand-written", 3.0))


# ---------------------------------------------------------------- + 10,000 rules
def bench_rule_count(n: int, count: int, rows: list) -> None:
    rnd = random.Random(5)
    spec = [(rnd.randint(180, 280), 1990 + i % 35) for i in range(n)]
    head = "pack bench.many\nprofile { as_of: date\n  application_date: date\n  score: int?\n  yog: int? }\n"
    net = compiled(head + "\n".join(f'rule r{i} "R{i}" when score > {t} and yog == {y} then flag info "r{i}"'
                                   for i, (t, y) in enumerate(spec)) + "\n")
    profiles = [{"as_of": AS_OF, "application_date": APP, "score": rnd.randint(180, 280),
                 "yog": 1990 + rnd.randrange(35)} for _ in range(count)]

    def by_hand(p):
        s, y = p["score"], p["yog"]
        return sorted(("flag", f"r{i}", f"r{i}") for i, (t, yy) in enumerate(spec) if s > t and y == yy)

    for p in profiles[:20]:
        if read(Session.evaluate(net, p))[0] != by_hand(p):
            raise SystemExit(f"{n}-rule disagreement on {p}")
    t_hand, t_engine = interleaved([lambda: [by_hand(p) for p in profiles],
                                    lambda: [read(Session.evaluate(net, p)) for p in profiles]], 3)
    rows.append((f"{n:,} rules `score > t_k and yog == k`, results read / profile",
                 t_engine / count, t_hand / count, f"hand-written loop over the {n:,} rules", 0.5))


# ---------------------------------------------------------------- one profile, 1,000 letters
JOIN_PACK = """pack bench.join
enum Specialty { internal_medicine, family_medicine, pediatrics, psychiatry, neurology }
record Letter { id: str
  specialty: Specialty
  experience: str }
record Experience { id: str
  specialty: Specialty }
profile { as_of: date
  application_date: date
  letters: list[Letter]
  experiences: list[Experience] }
rule mismatch "Letter and experience disagree" for l in letters, e in experiences
  when e.id == l.experience and e.specialty != l.specialty
  then flag medium "Letter {l.id} names {l.specialty} but {e.id} was {e.specialty}"
"""


def join_profile(n: int, rnd: random.Random) -> dict:
    exps = [{"id": f"e{i}", "specialty": rnd.choice(SPECS)} for i in range(n)]
    letters = [{"id": f"l{i}", "specialty": rnd.choice(SPECS), "experience": f"e{rnd.randrange(n)}"}
               for i in range(n)]
    return {"as_of": AS_OF, "application_date": APP, "letters": letters, "experiences": exps}


def join_by_hand(p: dict) -> list:
    by_id = {e["id"]: e for e in p["experiences"]}
    out = []
    for lt in p["letters"]:
        e = by_id.get(lt["experience"])
        if e is not None and e["specialty"] != lt["specialty"]:
            out.append(("flag", "mismatch",
                        f"Letter {lt['id']} names {lt['specialty']} but {e['id']} was {e['specialty']}"))
    return sorted(out)


def bench_join(n: int, rows: list) -> None:
    net = compiled(JOIN_PACK)
    p = join_profile(n, random.Random(7))
    if read(Session.evaluate(net, p))[0] != join_by_hand(p):
        raise SystemExit("join disagreement")
    t_hand, t_engine = interleaved([lambda: join_by_hand(p), lambda: read(Session.evaluate(net, p))])
    rows.append((f"one profile, {n:,} letters and {n:,} experiences, a join flagging each mismatch, "
                 "results read", t_engine, t_hand, "hand-written", 3.0))


# ---------------------------------------------------------------- incremental
def bench_incremental(n: int, rows: list) -> None:
    net = compiled(JOIN_PACK)
    p = join_profile(n, random.Random(9))
    session = Session(net).set_profile(p)
    session.run()
    rnd = random.Random(3)
    current = dict(p, letters=list(p["letters"]))

    def change():
        i = rnd.randrange(n)
        letter = {"id": f"l{i}", "specialty": rnd.choice(SPECS), "experience": f"e{rnd.randrange(n)}"}
        current["letters"][i] = letter
        session.update(f"$.letters[{i}]", letter)
        return read(session.run())

    if change() != read(Session.evaluate(net, current)):
        raise SystemExit("incremental disagreement")
    t_fresh, t_change = interleaved([lambda: read(Session.evaluate(net, current)), change], 5)
    rows.append((f"change 1 of {n:,} letters: incremental run vs a fresh evaluation, results read",
                 t_change, t_fresh, "a fresh evaluation", "20x faster"))


# ---------------------------------------------------------------- compile
def bench_compile(n: int, rows: list) -> None:
    fd, path = tempfile.mkstemp(suffix=".rules")
    with os.fdopen(fd, "w") as fh:
        fh.write(synthetic(n)[0])  # run.py's synthetic pack: n rules of three shapes
    try:
        checked = check_pack(load_packs(path))
    finally:
        os.unlink(path)
    (t,) = interleaved([lambda: compile_pack(checked)], 1)
    rows.append((f"compile {n:,} simple rules (checked pack -> network)", t, None, "", "1.5 s"))


# ---------------------------------------------------------------- shipped packs, before / after
SHIPPED = r"""
import gc, sys, time, yaml
from pathlib import Path
import imgrules
try:
    from imgrules._api import profile_data
except ImportError:  # a tree from before the private modules' leading underscore
    from imgrules.api import profile_data
root = Path(sys.argv[1])
work = []
for ex in sorted((root / "examples").glob("*.yaml")):
    data = yaml.safe_load(ex.read_text())
    pack = imgrules.load("img.reapplication" if data.get("track") == "reapplicant" else "img.first_application")
    for m in range(12):
        try:
            work.append((pack, profile_data(pack, data, None), m))
        except Exception:
            pass
import datetime as dt
def run():
    for pack, data, m in work:
        as_of = dt.date(2026, 11, 22) - dt.timedelta(days=61 * m)
        imgrules.evaluate(pack, data, as_of).to_json()
run()
best = 1e9
for _ in range(int(sys.argv[2])):
    gc.collect(); t = time.perf_counter(); run(); best = min(best, time.perf_counter() - t)
print(best / len(work))
"""


def bench_shipped(rows: list, rounds: int) -> None:
    """Each tree with its own packs and examples, in a subprocess of its own."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        try:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASE_COMMIT, "src", "rules",
                                      "grammar", "examples"], capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            rows.append(("shipped packs: Session.evaluate + to_json() per example profile", None, None,
                         f"commit {BASE_COMMIT} not in this clone's history", "3x faster"))
            return
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        script = Path(tmp) / "shipped.py"
        script.write_text(SHIPPED)

        def timed(tree: Path) -> float:
            env = dict(os.environ, PYTHONPATH=str(tree / "src"), IMGRULES_CACHE_DIR=str(Path(tmp) / tree.name))
            out = subprocess.run([sys.executable, str(script), str(tree), "5"], env=env,
                                 capture_output=True, text=True, check=True)
            return float(out.stdout.split()[-1])

        now, before = [], []
        for _ in range(rounds):
            now.append(timed(ROOT))
            before.append(timed(base))
        rows.append(("shipped packs: Session.evaluate + to_json() per example profile at 12 dates",
                     min(now), min(before), f"commit {BASE_COMMIT}", "3x faster"))


# ---------------------------------------------------------------- imgrules eval, wall
def bench_eval_wall(rows: list) -> None:
    exe = Path(sys.executable).with_name("imgrules")
    if not exe.exists():
        rows.append(("`imgrules eval PROFILE` wall time, compiled pack cached", None, None,
                     "imgrules is not installed beside this Python", "0.15 s"))
        return
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as bytecode:
        # Warm as an installed copy is: the pack cached, and Python's own bytecode written
        # (to a directory of its own, so the tree is left alone) even where the machine
        # sets PYTHONDONTWRITEBYTECODE; otherwise every start compiles ~50 modules afresh.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(IMGRULES_CACHE_DIR=cache, PYTHONPYCACHEPREFIX=bytecode)
        cmd = [str(exe), "eval", str(ROOT / "examples" / "reapplicant-weak-step2.yaml")]
        subprocess.run(cmd, env=env, capture_output=True)  # fills both caches
        times = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True)
            times.append(time.perf_counter() - t)
    rows.append(("`imgrules eval PROFILE` wall time, compiled pack cached", min(times), None, "", "0.15 s"))


# ---------------------------------------------------------------- table
def _time(seconds) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def table(rows: list) -> str:
    out = ["| workload | imgrules | baseline | ratio | target | met |", "|---|---|---|---|---|---|"]
    for name, mine, base, base_name, target in rows:
        ratio, met = "-", "?"
        if mine is not None and base is not None:
            if isinstance(target, str) and target.endswith("faster"):
                factor = base / mine
                ratio = f"{factor:.1f}x faster than {base_name}"
                met = "yes" if factor >= float(target.split("x")[0]) else "no"
            else:
                ratio = f"{mine / base:.2f}x {base_name}"
                met = "yes" if mine / base <= target else "no"
            shown = f"≤ {target}x" if isinstance(target, float) else target
        else:
            seconds = float(target.split()[0]) if isinstance(target, str) and target.endswith(" s") else None
            if mine is not None and seconds is not None:
                met = "yes" if mine <= seconds else "no"
            shown = f"≤ {target}" if isinstance(target, str) and target.endswith(" s") else str(target)
            ratio = base_name or "-"
        out.append(f"| {name} | {_time(mine)} | {_time(base)} | {ratio} | {shown} | {met} |")
    return "\n".join(out)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer profiles and rounds")
    args = ap.parse_args(argv)
    quick = args.quick
    rows: list = []
    bench_triage(300 if quick else 2000, rows)
    bench_rule_count(10_000, 50 if quick else 200, rows)
    bench_join(1000, rows)
    bench_incremental(10_000, rows)
    bench_compile(10_000, rows)
    bench_shipped(rows, 1 if quick else 3)
    bench_eval_wall(rows)
    text = machine() + "\n\n" + table(rows) + "\n"
    print(text)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "targets.md").write_text(text)


if __name__ == "__main__":
    main()
