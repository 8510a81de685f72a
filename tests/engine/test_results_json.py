"""``Results.to_json()`` writes the output contract: the same text as the plain writer (the
cattrs converter over plain findings and facts), and data of its own on every call.

The engine shares a deadline's finding between evaluations (by its state) and a rule's
findings that are the same for every profile; their JSON is written once and copied per
call, so a caller that edits one result must not change the next.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

import imgrules
from imgrules._api import profile_data
from imgrules._results import Results, converter, finding_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATES = [dt.date(2026, 11, 22) - dt.timedelta(days=61 * m) for m in range(12)]


def shipped(example: Path):
    """The example's pack and profile data (the shipped packs' benchmark does the same)."""
    data = yaml.safe_load(example.read_text())
    pack = imgrules.load("img.reapplication" if data.get("track") == "reapplicant"
                         else "img.first_application")
    return pack, profile_data(pack, data, None)


def plain(r: Results) -> Results:
    """``r`` with every finding and derived fact a plain attrs value (no lazy parts)."""
    return Results(r.as_of, r.application_date, r.months_to_go, r.packs,
                   tuple(d.plain() if hasattr(d, "plain") else d for d in r.derived),
                   tuple(f.plain() if hasattr(f, "plain") else f for f in r.findings),
                   r.undecided, r.violations)


def text(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_to_json_writes_what_the_plain_writer_writes(example):
    pack, data = shipped(example)
    conv = converter()
    for as_of in DATES:
        r = imgrules.evaluate(pack, data, as_of)
        first = text(r.to_json())
        assert first == text(conv.unstructure(plain(r)))
        assert text(r.to_json()) == first  # written again from what the first call kept
        assert text(imgrules.evaluate(pack, data, as_of).to_json()) == first


def containers(value, out: list) -> list:
    if isinstance(value, dict):
        out.append(value)
        for v in value.values():
            containers(v, out)
    elif isinstance(value, list):
        out.append(value)
        for v in value:
            containers(v, out)
    return out


def vandalise(value) -> None:
    for c in containers(value, []):
        if isinstance(c, dict):
            for k in c:
                c[k] = "edited"
            c["added"] = 1
        else:
            c[:] = ["edited"]


@pytest.mark.parametrize("example", EXAMPLES[:4], ids=lambda p: p.stem)
def test_each_to_json_call_gives_data_of_its_own(example):
    pack, data = shipped(example)
    for as_of in DATES[::3]:
        r = imgrules.evaluate(pack, data, as_of)
        first, second = r.to_json(), r.to_json()
        kept = copy.deepcopy(first)
        assert first == kept and len(kept["findings"]) > 10
        mine = {id(c) for c in containers(first, [])}
        assert not mine & {id(c) for c in containers(second, [])}
        vandalise(first)
        vandalise(second)
        assert r.to_json() == kept
        assert imgrules.evaluate(pack, data, as_of).to_json() == kept  # the shared findings
        explained = [finding_json(f) for f in r.findings]  # as explanations write them
        assert explained == kept["findings"]
