"""Where a pack says a float, results hold a float (``imgrules._semantics.values.as_float``):
a derived fact's float field, a table's float output, a finding's ``with`` value of type
float. An expression of type float may give an int (``if c then 1 else 1.5``, an int
field derived into a float one), and ``1 == 1.0``: without this, the same fact or finding
was written ``1`` or ``1.0`` depending on which derivation came first, and a session
changed step by step kept the form of an earlier profile where a fresh evaluation of the
same profile wrote the other."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from imgrules._engine import Session

from .helpers import network

PACK = """profile { as_of: date
  application_date: date
  score: int?
  ratio: float?
  flag: bool? }
fact val { x: float }
fact count { n: int
  share: float }
rule from_ratio "R" when ratio is present then derive val(ratio)
rule from_score "S" when score is present then derive val(score)
rule counted "C" when score is present then derive count(n: score, share: score)
rule said "D" when flag is present then remind "d" with {x: if flag then 1 else 1.5 - 0.5, n: 2}
table shares "T" hit first given flag derive count(n: 7)
  row true => 3
  row false => 4.5
"""

BASE = {"as_of": dt.date(2027, 1, 1), "application_date": dt.date(2027, 9, 15)}


@pytest.fixture(scope="module")
def net():
    return network(PACK, header=False)


def text(results) -> str:
    return json.dumps(results.to_json(), sort_keys=True, default=str)


def test_a_float_output_is_a_float_and_an_int_output_stays_an_int(net):
    r = Session.evaluate(net, dict(BASE, score=20, flag=True))
    facts = {(d.type, *(v for _, v in d.fields)) for d in r.derived}
    assert facts == {("val", 20.0), ("count", 20, 20.0), ("count", 7, 3.0)}
    for d in r.derived:
        for name, value in d.fields:
            assert type(value) is (int if name == "n" else float), (d, name)
    (said,) = [f for f in r.findings if f.rule == "said"]
    assert said.data == (("x", 1.0), ("n", 2)) and type(said.data[0][1]) is float
    assert type(said.data[1][1]) is int
    assert '"x": 1.0' in text(r) and '"n": 2' in text(r)


@pytest.mark.parametrize("first, then", [
    ({"score": 20}, {"ratio": 20.0}),                 # a second derivation of the same fact
    ({"score": 20, "ratio": 20.0}, {"score": None}),   # the int-deriving firing retracted
    ({"ratio": 20.0}, {"score": 20}),
    ({"flag": True}, {"flag": False}),                 # finding data: 1 -> 1.0
    ({"flag": False}, {"flag": True}),                 # a table's row output: 4.5 -> 3
])
def test_a_changed_session_writes_what_a_fresh_evaluation_writes(net, first, then):
    session = Session(net).set_profile(dict(BASE, **first))
    session.run().to_json()
    final = dict(BASE, **first)
    for field, value in then.items():
        session.update(f"$.{field}", value)
        if value is None:
            final.pop(field)
        else:
            final[field] = value
    assert text(session.run()) == text(Session.evaluate(net, final))

