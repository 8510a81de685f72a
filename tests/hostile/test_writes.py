"""Nothing lost: every file the tools write goes through fsutil.atomic_write_text; a
failing run leaves the original intact; fmt keeps permissions, symlinks, line ends and
every comment."""

from __future__ import annotations

import ast as pyast
import os
import re
import stat


from imgrules import _fsutil as fsutil

from .helpers import CORE, ROOT, run

UNFORMATTED = "pack t   # the pack\nlet a   =   1 # one\n# before b\nlet b = a+1\n"


def test_every_writer_in_the_cli_uses_atomic_write_text():
    """No module under _cli/ (or the JUnit writer) opens a file for writing itself."""
    offenders = []
    files = list((ROOT / "src" / "imgrules" / "_cli").glob("*.py")) + \
        [ROOT / "src" / "imgrules" / "testing" / "junit.py"]
    for path in files:
        tree = pyast.parse(path.read_text())
        for node in pyast.walk(tree):
            if isinstance(node, pyast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                modes = [a.value for a in node.args[1:2] + [k.value for k in node.keywords if k.arg == "mode"]
                         if isinstance(a, pyast.Constant)]
                if name in ("write_text", "write_bytes") or (name == "open" and any("w" in str(m) or "a" in str(m)
                                                                                      for m in modes)):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_fmt_write_keeps_comments_permissions_and_symlinks(tmp_path, capsys):
    real = tmp_path / "real.rules"
    real.write_text(UNFORMATTED)
    os.chmod(real, 0o640)
    link = tmp_path / "link.rules"
    os.symlink(real, link)
    code, _, err = run(capsys, "fmt", "--write", str(link))
    assert code == 0 and "reformatted" in err
    assert link.is_symlink() and os.readlink(link) == str(real)
    text = real.read_text()
    assert text == "pack t  # the pack\n\nlet a = 1  # one\n# before b\nlet b = a + 1\n"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_fmt_write_keeps_crlf(tmp_path, capsys):
    path = tmp_path / "t.rules"
    path.write_bytes(UNFORMATTED.replace("\n", "\r\n").encode())
    assert run(capsys, "fmt", "--write", str(path))[0] == 0
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") == 5
    assert run(capsys, "fmt", "--check", str(path))[0] == 0


def test_a_failing_write_leaves_the_original_intact(tmp_path, capsys, monkeypatch):
    path = tmp_path / "t.rules"
    path.write_text(UNFORMATTED)

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "replace", broken)
    code, _, err = run(capsys, "fmt", "--write", str(path))
    assert code == 2 and "No space left on device" in err
    assert path.read_text() == UNFORMATTED
    assert [p.name for p in tmp_path.iterdir()] == ["t.rules"]  # no temporary file left


def test_a_file_with_errors_is_never_rewritten(tmp_path, capsys):
    path = tmp_path / "t.rules"
    broken = UNFORMATTED + "rule r \"unfinished\"\n  when\n"
    path.write_text(broken)
    assert run(capsys, "fmt", "--write", str(path))[0] == 1
    assert path.read_text() == broken


def test_eval_out_is_atomic_and_keeps_the_old_file_on_failure(tmp_path, capsys):
    out = tmp_path / "report.json"
    out.write_text("old report")
    profile = tmp_path / "bad.yaml"
    profile.write_text("as_of: not a date\n")
    pack = str(ROOT / "tests" / "hostile" / "corpus" / "pack" / "hostile.rules")
    assert run(capsys, "eval", "--pack", pack, "--out", str(out), str(profile))[0] == 1
    assert out.read_text() == "old report"


def test_fmt_never_drops_a_comment_of_a_real_pack():
    from imgrules._syntax import format_text

    text = CORE.read_text()
    comments = re.findall(r'^(?:[^"#\n]|"(?:[^"\\\n]|\\.)*")*(#[^\n]*)', text, re.M)
    formatted = format_text(text, "core.rules")
    remaining = formatted
    for comment in comments:  # each comment, in order
        at = remaining.find(comment.rstrip())
        assert at >= 0, f"comment lost or moved out of order: {comment!r}"
        remaining = remaining[at + len(comment.rstrip()):]
