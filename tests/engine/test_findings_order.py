"""Findings come in the order of :meth:`Finding.sort_key` (urgent deadlines first, then
severity, due date, rule id, priority, message, provenance), whatever the engine packs
into the keys it sorts by."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import imgrules
from imgrules._api import profile_data

from imgrules._engine import Session

from .helpers import network, profile, run

ROOT = Path(__file__).resolve().parents[2]

PACK = '''
rule a_low "A" priority 5 then flag low "same"
rule a_low2 "A2" priority 9 then flag low "same"
rule b "B" for l in letters then flag high "{l.id}"
rule c "C" for l in letters then flag high "{l.id}"
rule rec "R" then recommend "r"
rule info_z "Z" then flag info "z" derive tier("z", concerning)
rule crit "C" then flag critical "c"
deadline late "Late" priority 3 by T-10 require false
deadline late2 "Late 2" by T-10 require false
deadline soon "Soon" severity high by T-5 require false
deadline done "Done" by T-6 require true
deadline unknown "Unknown" by T-4 require score > 3
window w "W" during T-12..T-6
window w2 "W2" priority 2 during T-12..T-6
'''

LETTERS = [{"id": i, "status": "received"} for i in ("x", "a", "m", "a")]


def _in_key_order(findings) -> bool:
    keys = [f.sort_key() for f in findings]
    return keys == sorted(keys)


@pytest.mark.parametrize("as_of", [dt.date(2026, 3, 1), dt.date(2026, 11, 22), dt.date(2027, 5, 10),
                                   dt.date(2027, 9, 20)])
def test_findings_of_a_pack_text_are_in_sort_key_order(as_of):
    r = run(PACK, profile(as_of=as_of, letters=LETTERS))
    assert len(r.findings) >= 12
    assert _in_key_order(r.findings)


def test_findings_of_the_shipped_packs_are_in_sort_key_order():
    checked = 0
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        data = yaml.safe_load(example.read_text())
        pack = imgrules.load("img.reapplication" if data.get("track") == "reapplicant"
                             else "img.first_application")
        for m in range(0, 24, 3):
            as_of = dt.date(2026, 11, 22) - dt.timedelta(days=31 * m)
            results = imgrules.evaluate(pack, profile_data(pack, data, None), as_of)
            assert _in_key_order(results.findings), (example.name, as_of)
            checked += 1
    assert checked >= 20


_NET = None


def _net():
    global _NET
    if _NET is None:
        _NET = network(PACK)
    return _NET


ids = st.lists(st.sampled_from("xam"), max_size=7)


@settings(max_examples=60, deadline=None)
@given(first=ids, then=ids, as_of=st.sampled_from([dt.date(2026, 3, 1), dt.date(2027, 9, 20)]))
def test_runs_of_one_rules_findings_are_ordered_by_message_then_provenance(first, then, as_of):
    # b and c fire once per letter with its id as message: runs of equal sort prefixes
    # (one rule) hold several messages, and a repeated id equal messages
    s = Session(_net()).set_profile(profile(as_of=as_of, letters=[{"id": i, "status": "received"} for i in first]))
    r = s.run()
    assert _in_key_order(r.findings)
    assert sorted(f.message for f in r.findings if f.rule == "b") == sorted(first)
    for i in then:
        s.insert("letters", {"id": i, "status": "received"})
    if first:
        s.retract("$.letters[0]")
    again = s.run()
    assert _in_key_order(again.findings)
    assert again.findings == run(_net(), profile(as_of=as_of, letters=[
        {"id": i, "status": "received"} for i in [*first[1:], *then]])).findings
