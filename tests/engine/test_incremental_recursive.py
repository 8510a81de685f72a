"""Incremental runs withdraw facts that only a recursive unit still supports from itself
(found by the slow differential test: rules deriving ``tier`` from ``tier``)."""

from __future__ import annotations

from imgrules._engine import Session

from .helpers import network, profile

PACK = '''
rule seed "S" for l in letters when l.status == planned then derive tier("a", competitive)
rule keep1 "K1" for t in tier when t.level == competitive then derive tier(t.component, competitive)
  remind "{t.component} {t.level}"
rule keep2 "K2" for t in tier when t.level == competitive then derive tier(t.component, competitive)
  remind "{t.component} {t.level}"
'''


def test_retracting_the_seed_withdraws_self_supported_facts():
    net = network(PACK)
    s = Session(net).set_profile(profile(letters=[{"id": "a", "status": "planned"}]))
    assert len(s.run().derived) == 1
    s.retract("$.letters[0]")
    r = s.run()
    assert r.derived == () and r.findings == ()
    assert r == Session(net).set_profile(profile()).run()
    s.insert("letters", {"id": "b", "status": "planned"})
    again = s.run()
    assert again == Session(net).set_profile(profile(letters=[{"id": "b", "status": "planned"}])).run()
    assert len(again.findings) == 2
