"""Syntax-error recovery cost against file size. ``python benchmarks/recovery.py [--quick]``

A file whose first line is a syntax error followed by N valid ``let`` lines is checked
(parse + error recovery) for growing N; the table prints the seconds and the ratio of each
row's time to the first row's against the ratio of sizes. Linear recovery keeps the two
ratios close; the quadratic recovery this replaced took 12 s for 20,000 lines and 44 s for
40,000 on the same kind of machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from imgrules._syntax import parse  # noqa: E402


def bad_first_line(n: int) -> str:
    return "let = 1\n" + "".join(f"let v{i} = {i}\n" for i in range(n))


def seconds(text: str) -> float:
    best = float("inf")
    for attempt in range(3):  # a different path each time: parse remembers recent results
        began = time.perf_counter()
        pack, diagnostics = parse(text, f"big{attempt}.rules")
        best = min(best, time.perf_counter() - began)
        assert pack is None and len(diagnostics) == 1
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller files")
    sizes = [2_500, 5_000, 10_000] if ap.parse_args().quick else [5_000, 10_000, 20_000, 40_000]
    first = None
    print("| let lines | seconds | size ratio | time ratio |")
    print("|---:|---:|---:|---:|")
    for n in sizes:
        took = seconds(bad_first_line(n))
        first = first or (n, took)
        print(f"| {n:,} | {took:.2f} | {n / first[0]:.1f} | {took / first[1]:.1f} |")


if __name__ == "__main__":
    main()
