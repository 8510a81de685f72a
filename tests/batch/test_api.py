"""``evaluate_many``: the same results as one-by-one evaluation, in input order, lazily."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from imgrules import _api as api
from imgrules.batch import BatchResult, ProfileText, evaluate_many, pack_for_data
from imgrules.batch.run import DEFAULT_CHUNK, WINDOW_PER_JOB

from .cohort import EXAMPLES, base_profiles, cohort, to_line


@pytest.fixture(scope="module")
def bases():
    return base_profiles()


@pytest.fixture(scope="module")
def small(bases):
    return list(cohort(18, bases))


def one_by_one(profiles, as_of=None):
    packs = {}
    out = []
    for profile in profiles:
        name = pack_for_data(profile)
        pack = packs.setdefault(name, api.load(name))
        out.append(api.evaluate(pack, profile, as_of=as_of).to_json())
    return out


def test_jobs_1_and_2_match_one_by_one_evaluate(small):
    expected = one_by_one(small)
    for jobs in (1, 2):
        got = list(evaluate_many(None, small, jobs=jobs))
        assert [r.index for r in got] == list(range(len(small)))
        assert [r.id for r in got] == [p["applicant"]["id"] for p in small]
        assert all(r.ok for r in got)
        # the same JSON text, not merely equal dicts
        assert [json.dumps(r.result_json) for r in got] == [json.dumps(e) for e in expected]


def test_workers_do_not_fork_a_process_that_runs_other_threads(small):
    """Forking while another thread holds a lock can hang the worker for ever (a Dask
    client leaves threads behind): then workers start from a fork server, same results."""
    import threading

    from imgrules.batch.run import start_method

    expected = [r.result_json for r in evaluate_many(None, small[:6], jobs=1)]
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    try:
        assert start_method() in ("forkserver", "spawn")
        assert [r.result_json for r in evaluate_many(None, small[:6], jobs=2)] == expected
    finally:
        release.set()
        other.join()


def test_as_of_is_passed_through(small):
    day = dt.date(2027, 5, 1)
    got = list(evaluate_many(None, small[:4], jobs=2, as_of=day))
    assert [r.result_json for r in got] == one_by_one(small[:4], as_of=day)
    assert {r.result_json["as_of"] for r in got} == {"2027-05-01"}


def test_a_fixed_pack_by_name_object_or_path(small):
    pack = api.load("img.reapplication")
    by_object = [r.result_json for r in evaluate_many(pack, small[:3], jobs=1)]
    by_name = [r.result_json for r in evaluate_many("img.reapplication", small[:3], jobs=1)]
    assert by_object == by_name == [api.evaluate(pack, p).to_json() for p in small[:3]]
    assert {p["name"] for r in by_object for p in r["packs"]} == {"img.core", "img.reapplication"}


def test_files_text_and_mappings_are_all_profiles(bases):
    path = str(EXAMPLES[0])
    text = ProfileText("people.jsonl:7", to_line(bases[1]))
    got = list(evaluate_many(None, [path, text, bases[2]], jobs=2))
    assert [r.source for r in got] == [path, "people.jsonl:7", "<item 2>"]
    assert [r.result_json for r in got] == one_by_one(bases[:3])


def test_bad_profiles_give_error_results_and_the_run_goes_on(small):
    bad_field = json.loads(json.dumps(small[1], default=str))
    bad_field["applicant"]["graduation_year"] = "soon"
    bad_field["applicant"]["id"] = "BAD-1"
    items = [small[0], bad_field, ProfileText("in.jsonl:3", "{not json"), 42, small[2]]
    got = list(evaluate_many(None, items, jobs=2))
    assert [r.ok for r in got] == [True, False, False, False, True]
    assert got[1].id == "BAD-1"
    assert any(i["path"] == "$.applicant.graduation_year" for i in got[1].error["issues"])
    assert got[2].source == "in.jsonl:3" and got[2].id is None
    assert got[2].error["issues"][0]["path"] == "$"
    assert "JSON" in got[2].error["issues"][0]["message"]
    assert "line" not in got[2].error["issues"][0]  # the source carries the line already
    assert got[3].error["issues"][0]["path"] == "$" and "int" in got[3].error["issues"][0]["message"]
    assert got[4].result_json == one_by_one([small[2]])[0]
    record = got[1].record()
    assert list(record) == ["id", "source", "error"]


def test_a_yaml_file_error_keeps_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(EXAMPLES[0].read_text(encoding="utf-8").replace(
        "track: ", "track: nonsense_", 1), encoding="utf-8")
    (result,) = evaluate_many(None, [str(path)], jobs=1)
    assert not result.ok
    issue = next(i for i in result.error["issues"] if i["path"] == "$.track")
    assert isinstance(issue["line"], int) and issue["line"] > 0


def test_a_good_record_is_the_contract_tagged_with_id_and_source(small):
    (result,) = evaluate_many(None, small[:1], jobs=1)
    record = result.record()
    assert list(record)[:2] == ["id", "source"]
    assert {k: v for k, v in record.items() if k not in ("id", "source")} == result.result_json


class Counting:
    """A generator of profiles that counts how far it has been pulled."""

    def __init__(self, profiles, n):
        self.profiles, self.n, self.pulled = profiles, n, 0

    def __iter__(self):
        for i in range(self.n):
            self.pulled += 1
            yield self.profiles[i % len(self.profiles)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_input_is_consumed_lazily(small, jobs):
    source = Counting(small, 5000)
    results = evaluate_many(None, source, jobs=jobs)
    assert source.pulled == 0  # nothing happens before the first result is asked for
    first = next(results)
    assert first.index == 0
    bound = 1 if jobs == 1 else jobs * WINDOW_PER_JOB * DEFAULT_CHUNK + DEFAULT_CHUNK
    assert source.pulled <= bound
    for _ in range(100):
        next(results)
    # still a bounded window ahead of what was taken, not the whole input
    assert source.pulled <= 101 + bound
    results.close()


def test_bad_arguments():
    with pytest.raises(ValueError, match="jobs"):
        list(evaluate_many("img.core", [], jobs=0))
    with pytest.raises(TypeError, match="pack"):
        evaluate_many(3.5, [])
    assert isinstance(BatchResult(0, None, "x", {}), BatchResult)
