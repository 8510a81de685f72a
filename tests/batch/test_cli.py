"""``imgrules batch``: inputs, order, error records, exit codes, --out, usage errors."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from imgrules import _api as api
from imgrules.batch import pack_for_data
from imgrules._cli import main

from .cohort import EXAMPLES, base_profiles, cohort, to_line, write_jsonl


def run(capsys, *args: str) -> tuple[int, list[dict], str]:
    code = main(["batch", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def expected(profile_or_path) -> dict:
    from imgrules._facts import load_profile_file

    data = (load_profile_file(profile_or_path).data
            if isinstance(profile_or_path, (str, Path)) else profile_or_path)
    return api.evaluate(api.load(pack_for_data(data)), profile_or_path).to_json()


def body(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("id", "source")}


@pytest.fixture()
def folder(tmp_path):
    # names chosen so that sorted order differs from the examples' own order
    names = ["b.yaml", "a.yml", "c.json", "d.toml", "notes.txt"]
    bases = base_profiles()
    shutil.copy(EXAMPLES[0], tmp_path / names[0])
    shutil.copy(EXAMPLES[1], tmp_path / names[1])
    (tmp_path / names[2]).write_text(to_line(bases[2]), encoding="utf-8")
    (tmp_path / names[3]).write_text('as_of = 2026-11-22\napplication_date = 2027-09-15\n'
                                     'track = "first_time"\n[applicant]\nid = "T-9"\n'
                                     'graduation_year = 2021\ntarget_specialties = ["pediatrics"]\n',
                                     encoding="utf-8")
    (tmp_path / names[4]).write_text("not a profile", encoding="utf-8")
    return tmp_path


def test_a_folder_is_read_sorted_and_only_profile_files(capsys, folder):
    code, records, err = run(capsys, str(folder), "--jobs", "2")
    assert code == 0, err
    assert [Path(r["source"]).name for r in records] == ["a.yml", "b.yaml", "c.json", "d.toml"]
    assert records[0]["id"] == "A-104" and records[1]["id"] == "A-102"
    assert records[3]["id"] == "T-9"
    assert body(records[0]) == expected(str(folder / "a.yml"))
    assert err == ""  # no progress bar when stderr is not a terminal


def test_globs_files_and_order_of_inputs(capsys, folder):
    code, records, _ = run(capsys, str(folder / "d.toml"), str(folder / "*.y*ml"), "-j", "1")
    assert code == 0
    assert [Path(r["source"]).name for r in records] == ["d.toml", "a.yml", "b.yaml"]


def test_jsonl_with_a_bad_line(capsys, tmp_path):
    profiles = list(cohort(5))
    lines = [to_line(p) for p in profiles]
    lines.insert(2, "{oops\n")
    lines.insert(4, "\n")  # blank lines are skipped but still counted
    path = tmp_path / "people.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    code, records, err = run(capsys, str(path), "--jobs", "2")
    assert code == 1
    assert "1 profile could not be evaluated" in err
    assert [r["source"] for r in records] == [f"{path}:{n}" for n in (1, 2, 3, 4, 6, 7)]
    bad = records[2]
    assert bad == {"id": None, "source": f"{path}:3", "error": bad["error"]}
    assert bad["error"]["issues"][0]["path"] == "$"
    assert [r["id"] for r in records if "error" not in r] == [p["applicant"]["id"] for p in profiles]
    assert body(records[5]) == expected(profiles[4])


def test_error_records_and_exit_code_1_for_bad_profiles(capsys, tmp_path):
    good = tmp_path / "good.yaml"
    shutil.copy(EXAMPLES[3], good)
    bad = tmp_path / "bad.yaml"
    bad.write_text("as_of: 2026-11-22\ntrack: reapplicant\napplicant: {id: B-1, "
                   "graduation_year: soon}\n", encoding="utf-8")
    code, records, _ = run(capsys, str(bad), str(good), "-j", "1")
    assert code == 1
    assert records[0]["id"] == "B-1" and records[0]["source"] == str(bad)
    paths = {i["path"] for i in records[0]["error"]["issues"]}
    assert "$.applicant.graduation_year" in paths
    assert all(set(i) <= {"path", "message", "line"} for i in records[0]["error"]["issues"])
    assert "error" not in records[1]


def test_stdin_jsonl(capsys, monkeypatch, tmp_path):
    import io

    profiles = list(cohort(3))
    data = "".join(to_line(p) for p in profiles).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, records, _ = run(capsys, "-", "-j", "1")
    assert code == 0
    assert [r["source"] for r in records] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert body(records[1]) == expected(profiles[1])


def test_out_is_written_atomically(capsys, tmp_path):
    out = tmp_path / "results.jsonl"
    out.write_text("old\n", encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", cohort(4))
    code, records, _ = run(capsys, str(source), "--out", str(out), "-j", "2")
    assert code == 0 and records == []
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["C-00000", "C-00001", "C-00002", "C-00003"]
    # a run that stops with a usage error leaves the old file as it was
    out.write_text("old\n", encoding="utf-8")
    code, _, err = run(capsys, str(source), "--out", str(out), "--pack", str(tmp_path / "no.rules"))
    assert code == 2 and "--pack" in err
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    # through a symlink: the target is replaced, the link kept
    link = tmp_path / "link.jsonl"
    link.symlink_to(out)
    assert run(capsys, str(source), "--out", str(link), "-j", "1")[0] == 0
    assert link.is_symlink() and len(out.read_text(encoding="utf-8").splitlines()) == 4


def test_as_of_and_pack_options(capsys, tmp_path):
    code, records, _ = run(capsys, str(EXAMPLES[0]), "--as-of", "2027-06-01",
                           "--pack", "img.reapplication", "-j", "1")
    assert code == 0
    assert records[0]["as_of"] == "2027-06-01"
    assert [p["name"] for p in records[0]["packs"]] == ["img.core", "img.reapplication"]


@pytest.mark.parametrize("args, needle", [
    (["{t}/missing.yaml"], "missing.yaml: no such file or folder"),
    (["{t}/*.nothing"], "the pattern matches no profile files"),
    (["{t}"], "no profiles in this folder"),
    (["{e}", "--jobs", "0"], "--jobs: must be at least 1"),
    (["{e}", "--as-of", "tomorrow"], "--as-of: 'tomorrow' is not a date"),
    (["{e}", "--summary", "s.txt", "--summary-format", "pdf"], "not one of text, markdown, html"),
    (["{e}", "--out", "{t}/no/such/dir/out.jsonl"], "--out: cannot write"),
    (["-", "-"], "can be given only once"),
    ([], "Missing argument"),
])
def test_usage_errors_exit_2(capsys, tmp_path, args, needle):
    args = [a.format(t=tmp_path, e=EXAMPLES[0]) for a in args]
    code, records, err = run(capsys, *args)
    assert code == 2
    assert records == []
    assert needle in err
    assert "Traceback" not in err


def test_an_internal_error_is_a_record_and_exit_70(capsys, monkeypatch):
    from imgrules import _api as api_module

    real = api_module.evaluate

    def broken(pack, profile, as_of=None):
        if isinstance(profile, dict) or "A-104" not in str(getattr(profile, "data", "")):
            return real(pack, profile, as_of=as_of)
        raise RuntimeError("boom")

    monkeypatch.setattr(api_module, "evaluate", broken)
    code, records, err = run(capsys, str(EXAMPLES[0]), str(EXAMPLES[1]), "-j", "1")
    assert code == 70
    assert "error" not in records[0]
    assert records[1]["id"] == "A-104" and records[1]["error"]["internal"] is True
    assert "boom" in records[1]["error"]["issues"][0]["message"]
    assert "Traceback" not in err
