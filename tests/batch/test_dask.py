"""Dask: the same results as the local run, on a small LocalCluster (skipped without Dask)."""

from __future__ import annotations

import json

import pytest

from imgrules.batch import ProfileText, evaluate_bag, evaluate_dataframe, evaluate_many
from imgrules.batch.model import choice_for
from imgrules.batch.on_dask import run_dask
from imgrules._cli import main

from .cohort import cohort, to_line, write_jsonl

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed "
                                                          "(pip install 'imgrules[dask]')")


@pytest.fixture(scope="module")
def client():
    import logging

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def profiles():
    items = list(cohort(20))
    items.insert(5, ProfileText("x.jsonl:6", "[1, 2]"))  # not a mapping: an error record
    return items


@pytest.fixture(scope="module")
def local(profiles):
    return list(evaluate_many(None, profiles, jobs=1))


def test_run_dask_equals_the_local_run(client, profiles, local):
    got = list(run_dask(choice_for(None), iter(profiles), client, chunk_size=3, window=2))
    assert got == local
    assert not got[5].ok and got[5].source == "x.jsonl:6"


def test_the_pack_is_scattered_once(client, profiles):
    before = set(client.who_has())
    results = run_dask(choice_for("img.reapplication"), profiles[:6], client, chunk_size=2)
    list(results)
    # the only data besides chunk results: one scattered pack choice, for 3 chunks
    new = {key for key in set(client.who_has()) - before if not key.startswith("run_chunk")}
    assert len(new) == 1 and next(iter(new)).startswith("PackChoice-")


def test_evaluate_bag(client, profiles, local):
    import dask.bag as db

    mappings = [p for p in profiles if isinstance(p, dict)]
    bag = db.from_sequence(mappings, npartitions=3)
    records = evaluate_bag(None, bag).compute()
    expected = [r.result_json for r in local if r.ok]
    assert [{k: v for k, v in r.items() if k not in ("id", "source")} for r in records] == expected
    assert [r["id"] for r in records] == [p["applicant"]["id"] for p in mappings]


def test_evaluate_dataframe(client, profiles, local):
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed")
    texts = [to_line(p) if isinstance(p, dict) else p.text for p in profiles]
    frame = dd.from_pandas(pd.DataFrame({"profile": texts}), npartitions=4)
    out = evaluate_dataframe(None, frame).compute()
    assert list(out.columns) == ["id", "source", "result", "error"]
    assert list(out.index) == list(range(len(profiles)))
    assert [None if r is None else json.loads(r) for r in out["result"]] == [
        r.result_json for r in local]
    assert json.loads(out["error"][5])["issues"][0]["path"] == "$"
    assert out["source"][0] == "<row 0>"


def test_cli_dask_local_equals_local(capsys, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", cohort(10))
    assert main(["batch", str(source), "-j", "1"]) == 0
    expected = capsys.readouterr().out
    assert main(["batch", str(source), "-j", "2", "--dask", "local"]) == 0
    assert capsys.readouterr().out == expected


def test_cli_unreachable_scheduler(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("imgrules.batch.on_dask.CONNECT_TIMEOUT", "1s")
    source = write_jsonl(tmp_path / "in.jsonl", cohort(1))
    code = main(["batch", str(source), "--dask", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 2 and "--dask: cannot reach the scheduler" in err
