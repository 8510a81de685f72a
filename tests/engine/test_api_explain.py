"""api.load/evaluate with the compiled-pack cache, and explain (why / why not)."""

from __future__ import annotations

import pickle

from imgrules import _api as api
from imgrules._compile import cache
from imgrules._engine import Session

from .helpers import HEADER, profile

PACK = "pack t\n" + HEADER + '''
rule t1 "T1" for l in letters when l.status == received then derive tier(l.id, competitive)
rule use "Use" for t in tier then recommend "{t.component}"
rule need "Need" when score > 3 then remind "s"
'''


def test_load_evaluate_and_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(tmp_path / "cache"))
    pack_file = tmp_path / "t.rules"
    pack_file.write_text(PACK)
    first = api.load(pack_file)
    assert cache.lookup(str(pack_file), ()) is not None  # stored
    prof = profile(letters=[{"id": "a", "status": "received"}])
    r = api.evaluate(first, prof)
    assert [f.message for f in r.findings] == ["a"]
    # a corrupt cache file is ignored
    for f in (tmp_path / "cache").glob("pack-*"):
        f.write_bytes(b"garbage")
    assert cache.lookup(str(pack_file), ()) is None
    api.load(pack_file)
    assert cache.lookup(str(pack_file), ()) is not None
    # any change to the pack file invalidates the entry
    pack_file.write_text(PACK.replace('"{t.component}"', '"tier {t.component}"'))
    assert cache.lookup(str(pack_file), ()) is None
    assert [f.message for f in api.evaluate(api.load(pack_file), prof).findings] == ["tier a"]


def test_network_pickles_and_evaluates_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    pack_file = tmp_path / "t.rules"
    pack_file.write_text(PACK)
    net = api.load(pack_file).network
    clone = pickle.loads(pickle.dumps(net))
    prof = profile(letters=[{"id": "a", "status": "received"}], score=5)
    assert Session(clone).set_profile(prof).run() == Session(net).set_profile(prof).run()


def test_explain_why_and_why_not(tmp_path, monkeypatch):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    pack_file = tmp_path / "t.rules"
    pack_file.write_text(PACK)
    pack = api.load(pack_file)
    prof = profile(letters=[{"id": "a", "status": "received"}])
    why = api.explain(pack, prof, "use")
    assert why.fired
    assert why.derivations[0].rests_on[0].provenance[0].matched == ("$.letters[0]",)
    # facts read in the language's syntax: a str field quoted, an enum value bare
    assert 'rests on tier(component: "a", level: competitive)' in why.text()
    why_not = api.explain(pack, prof, "need")
    assert not why_not.fired and why_not.missing == ("$.score",)


def test_explain_shows_the_date_it_evaluated_on(tmp_path, monkeypatch):
    """With ``as_of`` given, the derivation tree and the why-not values show that date,
    not the profile's own (which would contradict the verdict)."""
    import datetime as dt

    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(tmp_path / "cache"))
    pack_file = tmp_path / "t.rules"
    pack_file.write_text("pack t\n" + HEADER + '''
rule late "Late" when as_of >= 2027-01-01 then remind "late"
rule early "Early" when as_of < 2027-01-01 and score > 3 then remind "early"
''')
    pack = api.load(pack_file)
    prof = profile(as_of=dt.date(2026, 11, 22), score=5)
    day = dt.date(2027, 3, 1)
    late = api.explain(pack, prof, "late", as_of=day).to_json()
    early = api.explain(pack, prof, "early", as_of=day).to_json()
    assert late["fired"] and not early["fired"]
    for text in (str(late), str(early)):
        assert "2027-03-01" in text and "2026-11-22" not in text
