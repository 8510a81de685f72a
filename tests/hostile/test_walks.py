"""``check DIR``, ``fmt --check DIR`` and a folder given to the API never leave the folder:
a link to a file or folder outside it is not read, so a planted link cannot make imgrules
quote (in an error's snippet) the first line of a credentials file."""

from __future__ import annotations

import os

import pytest

import imgrules
from imgrules._fsutil import files_below
from imgrules._loader import LoadError

from .helpers import run

SECRET = "aws_secret_access_key = AKIAFAKESECRET"


@pytest.fixture
def folder(tmp_path):
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "credentials").write_text(SECRET + "\n")
    (outside / "deep" / "more.rules").write_text(SECRET + "\n")
    inside = tmp_path / "packs"
    (inside / "sub").mkdir(parents=True)
    (inside / "ok.rules").write_text("pack ok\n\nlet a = 1\n")
    os.symlink(inside / "ok.rules", inside / "sub" / "same.rules")          # inside: kept
    os.symlink(outside / "credentials", inside / "creds.rules")             # a file outside
    os.symlink(outside / "credentials", inside / "sub" / "creds.rules")
    os.symlink(outside / "deep", inside / "sub" / "linked")                 # a folder outside
    os.symlink(inside, inside / "sub" / "loop")                             # a folder loop
    os.symlink(tmp_path / "missing.rules", inside / "dangling.rules")       # leads nowhere
    return inside


def test_files_below_lists_only_files_inside(folder):
    assert [p.relative_to(folder).as_posix() for p in files_below(folder)] == ["ok.rules", "sub/same.rules"]
    assert [p.name for p in files_below(folder, recursive=False)] == ["ok.rules"]


def test_check_dir_never_reads_a_file_outside(capsys, folder):
    code, out, err = run(capsys, "check", str(folder))
    assert "AKIA" not in out + err
    assert "in 2 files" in out and "creds" not in out + err


def test_fmt_check_dir_never_reads_a_file_outside(capsys, folder):
    code, out, err = run(capsys, "fmt", "--check", str(folder))
    assert code == 0 and "AKIA" not in out + err


def test_a_folder_target_of_the_api_ignores_links_out(tmp_path):
    outside = tmp_path / "outside.rules"
    outside.write_text(SECRET + "\n")
    folder = tmp_path / "one"
    folder.mkdir()
    os.symlink(outside, folder / "only.rules")
    with pytest.raises(LoadError) as caught:
        imgrules.load(str(folder), use_cache=False)
    assert "found 0" in str(caught.value) and "AKIA" not in str(caught.value)
