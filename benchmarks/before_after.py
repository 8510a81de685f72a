"""Do two versions of the engine give the same results? ``python benchmarks/before_after.py [COMMIT]``.

Evaluates every example profile of COMMIT (default: the commit the one-evaluator rebuild
started from) at 12 ``as_of`` dates, with COMMIT's own packs, once with COMMIT's engine and
once with this tree's, each in a subprocess of its own, and compares ``to_json()``.
Provenance's ``file`` (absolute then, pack-relative now) is left out. Differences are
printed by kind; a finding whose status moved to ``needs_info`` is counted apart (the
rebuild's intended change: a deadline whose requirement cannot be decided); with those
statuses set back, the findings (compared as sets: a status change moves a finding in the
order) and every other part of the results must be the same. Exit status 1 when not.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_COMMIT = "e29267c"

DUMP = r"""
import sys, json, glob, datetime as dt, yaml
import imgrules
rules, examples = sys.argv[1], sys.argv[2]
out = {}
for ex in sorted(glob.glob(examples + "/*.yaml")):
    data = yaml.safe_load(open(ex))
    name = "reapplication" if data.get("track") == "reapplicant" else "first_application"
    pack = imgrules.load(f"{rules}/img/{name}.rules")
    for m in range(12):
        as_of = dt.date(2026, 11, 22) - dt.timedelta(days=61 * m)
        key = f"{ex.rsplit('/', 1)[-1]}@{as_of}"
        try:
            out[key] = imgrules.evaluate(pack, data, as_of).to_json()
        except Exception as exc:  # reported as a difference
            out[key] = f"{type(exc).__name__}: {exc}"
json.dump(out, sys.stdout, default=str, sort_keys=True)
"""


def _strip(x):
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k != "file"}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


def _dump(src: Path, rules: Path, examples: Path, tmp: Path) -> dict:
    script = tmp / "dump.py"
    script.write_text(DUMP)
    env = dict(os.environ, PYTHONPATH=str(src), IMGRULES_CACHE_DIR=str(tmp / f"cache-{src.parent.name}"))
    done = subprocess.run([sys.executable, str(script), str(rules), str(examples)], env=env,
                          capture_output=True, text=True, check=True)
    return _strip(json.loads(done.stdout))


def compare(old: dict, new: dict) -> tuple[collections.Counter, list]:
    """Status changes to needs_info, and every other difference."""
    statuses: collections.Counter = collections.Counter()
    other = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if not isinstance(a, dict) or not isinstance(b, dict):
            other.append(f"{key}: {str(a)[:120]} / {str(b)[:120]}")
            continue
        restored = []
        for f in b["findings"]:
            match = next((g for g in a["findings"] if {**g, "status": None} == {**f, "status": None}), None)
            if f.get("status") == "needs_info" and match is not None and match.get("status") != "needs_info":
                statuses[f"{match['status']} -> needs_info"] += 1
                f = match
            restored.append(f)
        a_rest = {k: v for k, v in a.items() if k != "findings"}
        b_rest = {k: v for k, v in b.items() if k != "findings"}
        if a_rest != b_rest:
            other.append(f"{key}: {sorted(k for k in a_rest if a_rest[k] != b_rest.get(k))} differ")
        key_of = lambda f: json.dumps(f, sort_keys=True)  # noqa: E731
        if sorted(map(key_of, a["findings"])) != sorted(map(key_of, restored)):
            other.append(f"{key}: findings differ")
    return statuses, other


def main(argv=None) -> int:
    commit = (argv or sys.argv[1:] or [BASE_COMMIT])[0]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        base = tmp / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src", "rules", "grammar",
                                  "examples"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        rules, examples = base / "rules", base / "examples"
        old = _dump(base / "src", rules, examples, tmp)
        new = _dump(ROOT / "src", rules, examples, tmp)
    statuses, other = compare(old, new)
    print(f"{len(old)} evaluations ({commit}'s examples x 12 dates, {commit}'s packs)")
    for change, n in statuses.most_common():
        print(f"  {n:5} findings: {change} (intended: the requirement cannot be decided)")
    print(f"  {len(other)} other differences")
    for line in other[:40]:
        print("   ", line)
    return 1 if other else 0


if __name__ == "__main__":
    raise SystemExit(main())
