"""The pack loader: roots, imports, cycles, escapes, limits, the parse cache."""

from __future__ import annotations

import os

import pytest

from imgrules._loader import LoadError, is_pack_name, load_packs


def write(root, name: str, text: str):
    path = root.joinpath(*name.split(".")[:-1], name.split(".")[-1] + ".rules")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_resolve_from_the_implied_root_deps_first(tmp_path):
    write(tmp_path, "lib.base", "pack lib.base\nenum A { x }\n")
    write(tmp_path, "lib.mid", "pack lib.mid\nimport lib.base\n")
    root = write(tmp_path, "app.main", "pack app.main\nimport lib.mid\nimport lib.base\n")
    packset = load_packs(root)
    assert packset.diagnostics == ()
    assert [p.header.name.text for p in packset.packs] == ["lib.base", "lib.mid", "app.main"]
    assert packset.root is packset.packs[-1]
    assert set(packset.sources) == {p.path for p in packset.packs}


def test_dotted_name_target_and_explicit_roots(tmp_path):
    write(tmp_path / "r", "x.y", "pack x.y\n")
    packset = load_packs("x.y", roots=[tmp_path / "r"])
    assert [p.header.name.text for p in packset.packs] == ["x.y"]
    with pytest.raises(LoadError, match="cannot find pack 'x.z'"):
        load_packs("x.z", roots=[tmp_path / "r"])


def test_missing_import_says_where_it_looked_and_suggests(tmp_path):
    write(tmp_path, "img.core", "pack img.core\n")
    root = write(tmp_path, "img.app", "pack img.app\nimport img.cor\n")
    packset = load_packs(root)
    [diag] = packset.diagnostics
    assert diag.code == "E105"
    assert diag.message == "cannot find pack 'img.cor'"
    assert any(n.startswith("looked in ") and "img/cor.rules" in n for n in diag.notes)
    assert "did you mean 'img.core'?" in diag.notes
    assert (diag.span.line, diag.span.column) == (2, 8)


def test_import_cycle_is_named(tmp_path):
    write(tmp_path, "c.a", "pack c.a\nimport c.b\n")
    write(tmp_path, "c.b", "pack c.b\nimport c.a\n")
    packset = load_packs(tmp_path / "c" / "a.rules")
    assert [d.message for d in packset.diagnostics] == ["import cycle: c.a -> c.b -> c.a"]


def test_each_file_parsed_once_for_diamonds(tmp_path, monkeypatch):
    import imgrules._loader as loader

    calls = []
    real = loader.parse
    monkeypatch.setattr(loader, "parse", lambda text, path, *more: calls.append(path) or real(text, path, *more))
    write(tmp_path, "d.base", "pack d.base\n")
    write(tmp_path, "d.left", "pack d.left\nimport d.base\n")
    write(tmp_path, "d.right", "pack d.right\nimport d.base\n")
    root = write(tmp_path, "d.top", "pack d.top\nimport d.left\nimport d.right\n")
    packset = load_packs(root)
    assert len(calls) == 4
    assert [p.header.name.text for p in packset.packs] == ["d.base", "d.left", "d.right", "d.top"]


def test_symlink_out_of_the_root_is_not_followed(tmp_path):
    outside = tmp_path / "outside.rules"
    outside.write_text("pack evil.x\n")
    root = tmp_path / "root"
    (root / "evil").mkdir(parents=True)
    os.symlink(outside, root / "evil" / "x.rules")
    main = write(root, "app.m", "pack app.m\nimport evil.x\n")
    packset = load_packs(main)
    assert [d.code for d in packset.diagnostics] == ["E105"]


def test_pack_names_are_identifiers_only():
    assert is_pack_name("img.core")
    for bad in ("..", "img..core", "img/core", "img.core.", "../x", "1x", ""):
        assert not is_pack_name(bad)


def test_name_mismatch_and_limits(tmp_path):
    write(tmp_path, "m.lib", "pack m.other\n")
    root = write(tmp_path, "m.app", "pack m.app\nimport m.lib\n")
    assert [d.code for d in load_packs(root).diagnostics] == ["E106"]
    big = write(tmp_path, "m.big", "pack m.big\n" + "# pad\n" * 100)
    root2 = write(tmp_path, "m.app2", "pack m.app2\nimport m.big\n")
    diags = load_packs(root2, max_file_size=200).diagnostics
    assert [d.code for d in diags] == ["E108"] and "too large" in diags[0].message
    with pytest.raises(LoadError, match="too large"):
        load_packs(big, max_file_size=200)
    assert [d.code for d in load_packs(root2, max_files=1).diagnostics] == ["E109"]


def test_unreadable_target_raises_load_error(tmp_path):
    with pytest.raises(LoadError, match="No such file"):
        load_packs(tmp_path / "nope.rules")
    with pytest.raises(LoadError, match="directory"):
        load_packs(str(tmp_path) + "/")
    bad = tmp_path / "bin.rules"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(LoadError, match="UTF-8"):
        load_packs(bad)


def test_syntax_errors_are_diagnostics(tmp_path):
    root = write(tmp_path, "s.x", "pack s.x\nrule r \"R\" when then recommend \"x\"\n")
    packset = load_packs(root)
    assert packset.packs == () and packset.root is None
    assert packset.diagnostics and packset.diagnostics[0].code.startswith("E0")
