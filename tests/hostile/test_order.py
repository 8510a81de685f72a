"""The JSON output does not depend on the order of a profile's lists: every ``missing``
and ``needs_info`` array is sorted (indexes by number) and, once each path names its
item by id instead of by position, the whole output is the same for every permutation."""

from __future__ import annotations

import json
import random
import re

import pytest
import yaml

from .helpers import CORPUS, ROOT, run

PACK = str(CORPUS / "order" / "letters.rules")
_INDEX = re.compile(r"\$\.(\w+)\[(\d+)\]")


def _letters(n: int) -> list[dict]:
    out = []
    for i in range(n):
        letter = {"id": f"l{i}"}
        if i % 3 == 0:
            letter["status"] = "received"
        if i % 4 == 1:
            letter["writer"] = "z"
        out.append(letter)
    return out


def _order(path: str) -> tuple:
    parts = re.split(r"(\d+)", path)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def _arrays(document) -> list[list[str]]:
    found = [f["missing"] for f in document["findings"] if "missing" in f]
    return found + [u["needs_info"] for u in document["undecided"]]


def _by_id(document, profile) -> str:
    """The output with every ``$.list[i]`` written ``$.list[id]`` and arrays re-sorted."""
    def name(match):
        return f"$.{match.group(1)}[{profile[match.group(1)][int(match.group(2))]['id']}]"

    text = _INDEX.sub(name, json.dumps(document, sort_keys=True))
    renamed = json.loads(text)
    for f in renamed["findings"]:
        if "missing" in f:
            f["missing"].sort()
    for u in renamed["undecided"]:
        u["needs_info"].sort()
    renamed["undecided"].sort(key=lambda u: json.dumps(u, sort_keys=True))
    return json.dumps(renamed, sort_keys=True)


def _evaluate(capsys, tmp_path, pack, profile) -> dict:
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(profile))
    args = ["eval", "--format", "json", str(path)] if pack is None else \
        ["eval", "--pack", pack, "--format", "json", str(path)]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("pack, profile, rounds", [
    (PACK, {"as_of": "2026-01-01", "application_date": "2026-09-01", "letters": _letters(14)}, 50),
    (None, yaml.safe_load((ROOT / "examples" / "missing-facts.yaml").read_text()), 20),
], ids=["letters", "missing-facts"])
def test_permutations_give_sorted_arrays_and_the_same_output(capsys, tmp_path, pack, profile, rounds):
    lists = [k for k, v in profile.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
    assert lists
    outputs = set()
    rng = random.Random(15)
    for _ in range(rounds):
        for key in lists:
            rng.shuffle(profile[key])
        document = _evaluate(capsys, tmp_path, pack, profile)
        arrays = _arrays(document)
        assert arrays
        for array in arrays:
            assert array == sorted(set(array), key=_order), array
        outputs.add(_by_id(document, profile))
    assert len(outputs) == 1
