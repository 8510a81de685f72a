"""``imgrules fmt``: print, --check (diff, exit 1), --write (atomic), stdin, errors."""

from __future__ import annotations

import io
import os
import stat
import sys

import pytest

from imgrules._cli import main
from imgrules._syntax import format_text

UGLY = 'rule r "t" when x==1 then recommend "hi"  # keep me\n'
PRETTY = 'rule r "t"\n  when x == 1\n  then recommend "hi"  # keep me\n'
BROKEN = 'rule r "t"\n  when x = 1\n  then recommend "hi"\n'


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "b.rules").write_text(UGLY)
    (tmp_path / "pack" / "a.rules").write_text(PRETTY)
    (tmp_path / "pack" / "sub").mkdir()
    (tmp_path / "pack" / "sub" / "c.rules").write_text("let  x=1\n")
    (tmp_path / "pack" / "notes.txt").write_text("not a pack")
    return tmp_path / "pack"


def test_formatter_sample_is_canonical():
    assert format_text(UGLY) == PRETTY


def test_prints_formatted_text(tree, capsys):
    assert main(["fmt", str(tree / "b.rules")]) == 0
    out = capsys.readouterr()
    assert out.out == PRETTY
    assert (tree / "b.rules").read_text() == UGLY  # printing never writes


def test_check_reports_a_diff_per_changed_file(tree, capsys):
    assert main(["fmt", "--check", str(tree)]) == 1
    out = capsys.readouterr().out
    assert f"--- {tree / 'b.rules'}\n+++ {tree / 'b.rules'} (formatted)\n" in out
    assert '-rule r "t" when x==1 then recommend "hi"  # keep me\n' in out
    assert "+  when x == 1\n" in out
    assert f"--- {tree / 'sub' / 'c.rules'}" in out
    assert "a.rules" not in out  # already formatted
    assert out.index("b.rules") < out.index("c.rules")  # sorted walk
    assert (tree / "b.rules").read_text() == UGLY


def test_check_passes_on_formatted_files(tree, capsys):
    assert main(["fmt", "--check", str(tree / "a.rules")]) == 0
    assert capsys.readouterr().out == ""


def test_write_rewrites_changed_files_and_keeps_permissions(tree, capsys):
    target = tree / "b.rules"
    os.chmod(target, 0o640)
    assert main(["fmt", "--write", str(tree)]) == 0
    assert target.read_text() == PRETTY
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert (tree / "sub" / "c.rules").read_text() == "let x = 1\n"
    assert (tree / "notes.txt").read_text() == "not a pack"
    assert sorted(p.name for p in tree.iterdir()) == ["a.rules", "b.rules", "notes.txt", "sub"]
    assert "reformatted" in capsys.readouterr().err
    assert main(["fmt", "--check", str(tree)]) == 0


def test_write_failure_leaves_the_original(tree, capsys, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["fmt", "--write", str(tree / "b.rules")]) == 2
    assert (tree / "b.rules").read_text() == UGLY
    assert sorted(p.name for p in tree.iterdir()) == ["a.rules", "b.rules", "notes.txt", "sub"]
    err = capsys.readouterr().err
    assert err == f"imgrules fmt: cannot write {tree / 'b.rules'}: Permission denied\n"


def test_syntax_error_file_is_not_rewritten(tree, capsys):
    bad = tree / "bad.rules"
    bad.write_text(BROKEN)
    assert main(["fmt", "--write", str(tree)]) == 1
    assert bad.read_text() == BROKEN
    assert (tree / "b.rules").read_text() == PRETTY  # the others are still formatted
    err = capsys.readouterr().err
    assert f"{bad}:2:10: error[E002]: '=' is not a comparison; write '==' to compare" in err
    assert "   2 |   when x = 1\n" in err


def test_check_on_syntax_error_exits_1(tree, capsys):
    bad = tree / "bad.rules"
    bad.write_text(BROKEN)
    assert main(["fmt", "--check", str(bad)]) == 1
    assert "error[E002]" in capsys.readouterr().err


def test_stdin_to_stdout(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UGLY.encode())))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == PRETTY


def test_stdin_check(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UGLY.encode())))
    assert main(["fmt", "--check", "-"]) == 1
    assert "--- <stdin>\n+++ <stdin> (formatted)\n" in capsys.readouterr().out


def test_stdin_syntax_error(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN.encode())))
    assert main(["fmt", "-"]) == 1
    assert "<stdin>:2:10: error[E002]" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["fmt", "--write", "-"], "imgrules fmt: --write cannot rewrite standard input; drop '-' or --write\n"),
    (["fmt", "does/not/exist.rules"], "imgrules fmt: does/not/exist.rules: no such file or directory\n"),
])
def test_usage_and_io_errors_exit_2(args, message, capsys):
    assert main(args) == 2
    assert capsys.readouterr().err == message


def test_check_and_write_together_is_a_usage_error(tree, capsys):
    assert main(["fmt", "--check", "--write", str(tree)]) == 2
    assert "--check and --write cannot be used together" in capsys.readouterr().err


def test_not_utf8_is_an_io_error(tmp_path, capsys):
    path = tmp_path / "latin.rules"
    path.write_bytes(b'let x = "caf\xe9"\n')
    assert main(["fmt", str(path)]) == 2
    assert capsys.readouterr().err == f"imgrules fmt: {path}: not UTF-8 text (byte 12)\n"


def test_atomic_write_text_creates_and_replaces(tmp_path):
    from imgrules._fsutil import atomic_write_text

    path = tmp_path / "new.txt"
    atomic_write_text(path, "one\n")
    assert path.read_text() == "one\n"
    os.chmod(path, 0o600)
    atomic_write_text(path, "two\n")
    assert path.read_text() == "two\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["new.txt"]


def test_atomic_write_text_cleans_up_when_writing_fails(tmp_path, monkeypatch):
    from imgrules import _fsutil as fsutil

    path = tmp_path / "keep.txt"
    path.write_text("original")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fsutil.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        fsutil.atomic_write_text(path, "new")
    assert path.read_text() == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
