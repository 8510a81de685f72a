"""No list size stalls an evaluation of the shipped packs (issue: hostile sizes).

Generated profiles carry lists of 0-3,000 letters, experiences, research items, programs
and prior cycles, copied from the example profiles with fresh ids. On the shipped packs
each one either evaluates, inside the engine's own time limit, or is refused with the
size error naming the list's ``$.path`` and its maximum. On a copy of the packs whose
``size ..N`` bounds are removed (the first line of defence gone), every evaluation under
``Limits(max_seconds=...)`` finishes or stops with an EvaluationLimitError that names a
rule: never a hang, never another exception. No test here reads a clock.
"""

from __future__ import annotations

import copy
import re
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import imgrules
from imgrules import EvaluationLimitError, Limits, ProfileError, Results

from .helpers import ROOT

# The profile contract's list sizes, as img.core states them (`size ..N`).
BOUNDS = {"letters": 50, "experiences": 100, "research": 100, "programs": 600, "prior_cycles": 20}
EXAMPLES = {  # pack -> an example profile of its track, whose items are copied
    "img.first_application": "strong-first-timer.yaml",
    "img.reapplication": "reapplicant-red-flag.yaml",
}
# Ample for the bounded sizes (they take milliseconds); a trip here is a real regression.
GENEROUS = Limits(max_seconds=20)
# Small, so that the unbounded cases stop early and the test stays short.
TIGHT = Limits(max_seconds=0.3)
SETTINGS = settings(max_examples=12, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _example(pack: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / EXAMPLES[pack]).read_text(encoding="utf-8"))


def _grown(profile: dict, sizes: dict[str, int]) -> dict:
    """``profile`` with each list in ``sizes`` grown or cut to that many items, copies of
    its own items with fresh, unique ids (or names, for programs)."""
    out = copy.deepcopy(profile)
    for key, n in sizes.items():
        items = profile.get(key) or []
        if not items:
            continue
        grown = []
        for i in range(n):
            item = dict(items[i % len(items)])
            for name in ("id", "name"):
                if name in item:
                    item[name] = f"{name}-{i}"
            grown.append(item)
        out[key] = grown
    return out


def _sizes(pack: str):
    """Sizes for the lists the pack's example has: anywhere in 0-3,000, with the bound
    and one past it drawn often."""
    keys = sorted(k for k, v in _example(pack).items() if isinstance(v, list) and v and k in BOUNDS)
    size = {k: st.one_of(st.integers(0, 3000), st.sampled_from([0, BOUNDS[k], BOUNDS[k] + 1]))
            for k in keys}
    return st.fixed_dictionaries(size)


@pytest.fixture(scope="module")
def shipped():
    return {name: imgrules.load(name, use_cache=False) for name in EXAMPLES}


@pytest.fixture(scope="module")
def unbounded(tmp_path_factory):
    """The shipped packs, copied with every upper-only list bound (``size ..N``) removed;
    a bound that carries its own message stays (the message would explain nothing)."""
    root = tmp_path_factory.mktemp("packs")
    shutil.copytree(ROOT / "rules" / "img", root / "img")
    for path in (root / "img").glob("*.rules"):
        text = path.read_text(encoding="utf-8")
        stripped = re.sub(r" size \.\.[0-9]+(?! message)", "", text)
        path.write_text(stripped, encoding="utf-8")
    assert "size ..50 unique id" not in (root / "img" / "core.rules").read_text(encoding="utf-8")
    return {name: imgrules.load(root / "img" / f"{name.split('.')[1]}.rules", roots=[root],
                                use_cache=False)
            for name in EXAMPLES}


@SETTINGS
@given(data=st.data(), pack=st.sampled_from(sorted(EXAMPLES)))
def test_shipped_packs_evaluate_or_refuse_the_size(shipped, data, pack):
    sizes = data.draw(_sizes(pack), label="sizes")
    profile = _grown(_example(pack), sizes)
    over = {k: n for k, n in sizes.items() if n > BOUNDS[k]}
    if not over:
        assert isinstance(imgrules.evaluate(shipped[pack], profile, limits=GENEROUS), Results)
        event("within the bounds: evaluated")
        return
    event("over a bound: refused")
    with pytest.raises(ProfileError) as err:
        imgrules.evaluate(shipped[pack], profile, limits=GENEROUS)
    messages = {issue.path: issue.message for issue in err.value.issues}
    for key, n in over.items():
        assert messages[f"$.{key}"] == f"{n} items, more than the maximum {BOUNDS[key]}"


@SETTINGS
@given(data=st.data(), pack=st.sampled_from(sorted(EXAMPLES)))
def test_without_size_bounds_the_time_limit_still_holds(unbounded, data, pack):
    sizes = data.draw(_sizes(pack), label="sizes")
    profile = _grown(_example(pack), sizes)
    try:
        result = imgrules.evaluate(unbounded[pack], profile, limits=TIGHT)
    except EvaluationLimitError as exc:
        assert exc.rule, f"no rule named: {exc}"
        assert "max_seconds" in str(exc) and f"'{exc.rule}'" in str(exc)
        event("stopped by the time limit")
    else:
        assert isinstance(result, Results)
        event("finished")


def test_the_copy_really_is_unbounded(unbounded):
    """The second test means something only if the copy accepts what the packs refuse."""
    pack = "img.first_application"
    profile = _grown(_example(pack), {"letters": 400})
    try:
        imgrules.evaluate(unbounded[pack], profile, limits=TIGHT)
    except EvaluationLimitError:
        pass  # past the size check: evaluation started
