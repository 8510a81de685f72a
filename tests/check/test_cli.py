"""``imgrules check``: exit codes, text and JSON output."""

from __future__ import annotations

import json

from imgrules._cli import main

from .helpers import PACKS, PRELUDE

CLEAN = PACKS / "mini" / "core.rules"


def test_clean_pack_exits_zero(capsys):
    assert main(["check", str(CLEAN)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "0 errors, 0 warnings in 1 file"


def test_errors_exit_one_with_rendered_diagnostics(tmp_path, capsys):
    bad = tmp_path / "bad.rules"
    bad.write_text(PRELUDE + 'rule r "R"\n  when as_of > 3\n  then recommend "x"\n')
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "error[E204]: cannot compare date with int" in out
    assert "|   when as_of > 3" in out and "^" in out
    assert "\x1b[" not in out  # not a terminal: no colour
    assert out.rstrip().endswith("in 1 file")


def test_warnings_fail_only_under_strict(tmp_path, capsys):
    warn = tmp_path / "warn.rules"
    warn.write_text(PRELUDE + 'rule r "R"\n  covers notanid\n  then derive tier(component: yog, level: borderline)\n')
    assert main(["check", str(warn)]) == 0
    assert "0 errors, 1 warning in 1 file" in capsys.readouterr().out
    assert main(["check", "--strict", str(warn)]) == 1


def test_json_document(tmp_path, capsys):
    bad = tmp_path / "bad.rules"
    bad.write_text(PRELUDE + 'rule r "R"\n  when as_of > 3\n  then recommend "x"\n')
    assert main(["check", "--format", "json", str(bad), str(CLEAN)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"] == {"errors": 1, "warnings": 1, "files": 2, "strict": False}
    codes = sorted(d["code"] for d in doc["diagnostics"])
    assert codes == ["E204", "W505"]
    first = next(d for d in doc["diagnostics"] if d["code"] == "E204")
    assert first["line"] == PRELUDE.count("\n") + 2 and first["severity"] == "error"


def test_missing_file_is_an_io_error(capsys):
    assert main(["check", "does/not/exist.rules"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "imgrules: cannot read does/not/exist.rules: No such file"


def test_directory_checks_every_rules_file_sorted(tmp_path, capsys):
    (tmp_path / "b.rules").write_text(PRELUDE.replace("pack t", "pack b"))
    (tmp_path / "a.rules").write_text(PRELUDE.replace("pack t", "pack a"))
    assert main(["check", "--format", "json", str(tmp_path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [p.rsplit("/", 1)[-1] for p in doc["files"]] == ["a.rules", "b.rules"]


def test_pack_root_option(tmp_path, capsys):
    lib = tmp_path / "lib" / "x"
    lib.mkdir(parents=True)
    (lib / "base.rules").write_text(PRELUDE.replace("pack t", "pack x.base"))
    app = tmp_path / "app.rules"
    app.write_text('pack app\nimport x.base\nrule r "R"\n  then derive tier(component: yog, level: borderline)\n')
    assert main(["check", str(app)]) == 1
    capsys.readouterr()
    assert main(["check", "--pack-root", str(tmp_path / "lib"), str(app)]) == 0


def test_usage_error_exits_two(capsys):
    assert main(["check"]) == 2
    assert main(["check", "--format", "xml", str(CLEAN)]) == 2
