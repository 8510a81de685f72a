"""Generated globals of every kind never collide, whatever the indices (_compile/symbols.py).

The live bug this pins: maps and deadline/window message functions were both named
``M<i>``, so a pack with a map and a deadline passed ``check`` and failed every evaluation.
"""

from __future__ import annotations

import pytest

from .helpers import D, run

BUG = """
enum C { a, b }
profile { as_of: date
  application_date: date
  c: C? }
map name_of: C -> str { a: "A", b: "B" }
deadline d "D" by T-5 require name_of(c) == "A"
"""


def _profile(**kw):
    base = {"as_of": D(2026, 11, 22), "application_date": D(2027, 9, 15)}
    base.update(kw)
    return base


def test_map_beside_a_deadline_message():
    from .helpers import network

    net = network(BUG, header=False)
    done = next(f for f in run(net, _profile(c="a")).findings if f.rule == "d")
    assert done.status == "done"
    late = next(f for f in run(net, _profile(c="b")).findings if f.rule == "d")
    assert late.status == "upcoming"


def _pack(n: int) -> str:
    """``n`` of every declaration kind, each reading what the others define, so that each
    kind's i-th generated global exists beside every other kind's i-th."""
    out = ["enum C { a, b }",
           "profile { as_of: date", "  application_date: date", "  c: C?", "  score: int? }",
           "fact f { n: int }"]
    for i in range(n):
        out.append(f'map m{i}: C -> str {{ a: "A{i}", b: "B{i}" }}')
        out.append(f"let l{i} = coalesce(score, 0) + {i}")
        out.append(f"let p{i}(x) = x + {i}")
        out.append(f'deadline d{i} "D{i}" by T-{i + 1} require m{i}(c) == "A{i}" '
                   f'message "deadline {{m{i}(c)}} {{l{i}}}"')
        out.append(f'window w{i} "W{i}" during T-{i + 2}..T-{i + 1} message "window {{m{i}(c)}}"')
        out.append(f'table t{i} "T{i}"\n  hit first\n  given c\n  derive f()\n'
                   f'  row a => {i}\n  row b => {i + 100}')
        out.append(f'rule r{i} "R{i}"\n  for x in f\n  when x.n == {i} and p{i}(l{i}) >= {2 * i} '
                   f'and score > {i}\n  then flag low "r{i} {{m{i}(c)}} {{x.n}}"')
        out.append(f'invariant v{i} "V{i}" require l{i} >= {i}')
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("n", [1, 3, 12])
def test_every_kind_at_every_index(n):
    from .helpers import network

    net = network(_pack(n), header=False)
    r = run(net, _profile(c="a", score=50))
    by_rule = {f.rule: f for f in r.findings}
    for i in range(n):
        assert by_rule[f"d{i}"].status == "done"
        assert by_rule[f"d{i}"].message == f"deadline A{i} {50 + i}"
        assert by_rule[f"w{i}"].message == f"window A{i}"
        assert by_rule[f"r{i}"].message == f"r{i} A{i} {i}"
    assert {d.fields for d in r.derived} == {(("n", i),) for i in range(n)}
    assert r.violations == ()
