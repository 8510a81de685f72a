"""Rule text cannot run code, read files or reach the network.

Imports resolve dotted pack names inside the pack roots only; the code base never
evaluates user text; the compiled-pack cache unpickles only files it wrote.
"""

from __future__ import annotations

import os
import re
import tokenize
from pathlib import Path

import pytest

from imgrules._loader import LoadError, load_packs

from .helpers import ROOT


def _write(root: Path, name: str, text: str) -> Path:
    path = root.joinpath(*name.split(".")[:-1], name.split(".")[-1] + ".rules")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_symlink_out_of_the_root_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.rules").write_text("pack s.secret\nlet leaked = 1\n")
    root = tmp_path / "root"
    main = _write(root, "s.main", "pack s.main\nimport s.secret\n")
    os.symlink(outside / "secret.rules", root / "s" / "secret.rules")
    packset = load_packs(main)
    [diag] = packset.diagnostics
    assert (diag.code, diag.message) == ("E105", "cannot find pack 's.secret'")
    assert all("outside" not in path for path in packset.sources)


def test_symlinked_folder_out_of_the_root_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    _write(outside, "s.secret", "pack s.secret\n")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside / "s", root / "s")
    main = _write(tmp_path / "other", "m.main", "pack m.main\nimport s.secret\n")
    packset = load_packs(main, roots=[root])
    assert [d.code for d in packset.diagnostics] == ["E105"]


@pytest.mark.parametrize("line", ["import ..secret", "import s/../../etc/passwd", "import /etc/passwd",
                                  'import "/etc/passwd"', "import s.secret.rules/..", "import ~root"])
def test_import_names_cannot_be_paths(tmp_path, line):
    main = _write(tmp_path, "s.main", f"pack s.main\n{line}\n")
    packset = load_packs(main)
    assert packset.root is None and len(packset.sources) == 1
    assert packset.diagnostics and {d.code for d in packset.diagnostics} <= {"E002", "E003", "E004"}


@pytest.mark.parametrize("target", ["../etc.passwd", "img..core", "img.core;rm", "/etc/passwd.x"])
def test_target_names_with_dots_or_slashes_are_not_pack_names(target):
    with pytest.raises(LoadError):
        load_packs(target)


def test_import_cycle_names_the_cycle(tmp_path):
    _write(tmp_path, "c.a", "pack c.a\nimport c.b\n")
    _write(tmp_path, "c.b", "pack c.b\nimport c.c\n")
    _write(tmp_path, "c.c", "pack c.c\nimport c.a\n")
    packset = load_packs(tmp_path / "c" / "a.rules")
    [diag] = packset.diagnostics
    assert (diag.code, diag.message) == ("E107", "import cycle: c.a -> c.b -> c.c -> c.a")
    assert (diag.span.path.endswith("c.rules"), diag.span.line, diag.span.column) == (True, 2, 8)


def test_self_import_is_a_cycle(tmp_path):
    main = _write(tmp_path, "c.a", "pack c.a\nimport c.a\n")
    [diag] = load_packs(main).diagnostics
    assert diag.message == "import cycle: c.a -> c.a"


def test_a_directory_or_device_as_import_is_not_read(tmp_path):
    (tmp_path / "d" / "x.rules").mkdir(parents=True)  # a folder named like a pack file
    main = _write(tmp_path, "d.main", "pack d.main\nimport d.x\n")
    assert [d.code for d in load_packs(main).diagnostics] == ["E105"]
    with pytest.raises(LoadError, match="not a regular file"):
        load_packs("/dev/zero")


# ------------------------------------------------------------------ the code itself

_DANGEROUS = re.compile(r"(?<![\w.])(eval|exec|compile)\(|\bpickle\.loads?\(|\bmarshal\.loads?\(|\bsubprocess\b"
                        r"|\bos\.(system|popen|exec\w*|spawn\w*)\(|\b__import__\(|yaml\.(unsafe_)?load\("
                        r"|\burllib\b|\bsocket\b|\bhttp\.client\b|\brequests\b")
# The only places allowed, each with why it is safe (checked by the tests below).
_ALLOWED = {
    "_compile/network.py": {"exec(", "compile(", "marshal.loads("},  # generated code: constants pooled
    "_compile/cache.py": {"pickle.loads("},                            # signed with the user's secret key
    "_facts/fast.py": {"exec(", "compile("},                           # generated from the schema: constants pooled
}


def test_no_eval_exec_pickle_subprocess_or_network_outside_the_compiler():
    found = {}
    for path in sorted((ROOT / "src" / "imgrules").rglob("*.py")):
        rel = path.relative_to(ROOT / "src" / "imgrules").as_posix()
        for lineno, code in _code_lines(path):
            for match in _DANGEROUS.finditer(code):
                if match.group(0) not in _ALLOWED.get(rel, ()):
                    found.setdefault(rel, []).append(f"{lineno}: {code.strip()}")
    assert found == {}


def _code_lines(path: Path):
    """(line number, the line's code without strings and comments) for a Python file."""
    lines: dict[int, list[str]] = {}
    with open(path, "rb") as handle:
        for tok in tokenize.tokenize(handle.readline):
            if tok.type in (tokenize.NAME, tokenize.OP):
                lines.setdefault(tok.start[0], []).append(tok.string)
    return [(n, re.sub(r" ?([.(]) ?", r"\1", " ".join(parts))) for n, parts in sorted(lines.items())]


def test_user_text_reaches_generated_code_only_as_pooled_constants(tmp_path):
    """Strings and names from the pack are constants in the namespace, never source text."""
    from imgrules import _api as api

    pack = tmp_path / "t.rules"
    payload = "__import__('os').system('echo pwned')"
    pack.write_text('pack t\nprofile {\n  as_of: date\n  x: str\n}\n'
                    f'rule r "R"\n  when x == "{payload}"\n  then recommend "{payload} {{x}}"\n')
    compiled = api.load(pack, use_cache=False)
    assert "pwned" not in compiled.network.source and "rule r" not in compiled.network.source
    results = api.evaluate(compiled, {"as_of": "2026-01-01", "x": payload})
    [finding] = results.to_json()["findings"]
    assert finding["message"] == f"{payload} {payload}"


def test_pack_text_reaches_the_profile_check_only_as_pooled_constants():
    """A pattern with code in it is data to the generated profile check."""
    from imgrules import _api as api
    from imgrules._facts.fast import accept

    payload = "__import__('os').system('echo pwned')"
    schema = api.loads(f'pack t\nenum E {{ a }}\nprofile {{\n  as_of: date\n  x: str matches "{payload}|x"\n'
                       '  e: E?\n}\n', use_cache=False).schema
    assert accept({"x": "x", "e": "a"}, schema.profile, True) == {"x": "x", "e": "a"}
    text = payload.replace("(", "").replace(")", "")  # what the pattern, read as one, matches
    assert accept({"x": text}, schema.profile, True) == {"x": text}


def test_the_cache_ignores_files_it_did_not_write(tmp_path, monkeypatch):
    from imgrules import _api as api
    from imgrules._compile import cache

    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(tmp_path / "cache"))
    pack = tmp_path / "t.rules"
    pack.write_text('pack t\nprofile {\n  as_of: date\n  x: int\n}\n')
    api.load(pack)
    [blob] = (tmp_path / "cache").glob("pack-*.bin")
    assert cache.lookup(str(pack), ()) is not None
    # a changed payload with the old signature: refused without unpickling
    data = blob.read_bytes()
    blob.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert cache.lookup(str(pack), ()) is None
    # a file without our header: refused
    blob.write_bytes(b"not ours" + data)
    assert cache.lookup(str(pack), ()) is None
    # an edited pack file invalidates the entry (content hash)
    api.load(pack)
    pack.write_text(pack.read_text() + "\n# changed\n")
    assert cache.lookup(str(pack), ()) is None
