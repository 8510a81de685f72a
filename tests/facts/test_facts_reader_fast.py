"""The fast YAML path (libyaml) reads exactly what the pure-Python loader reads, and the
commands parse a profile once."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from imgrules._facts import ProfileError, load_profile_text
from imgrules._facts import reader as R

ROOT = Path(__file__).resolve().parents[2]
PROFILES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "tests").rglob("*.yaml"))
needs_libyaml = pytest.mark.skipif(R._FastLoader is None, reason="PyYAML without libyaml")


def _read(text: str, fast: bool, monkeypatch):
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(R, "_FastLoader", None)
        try:
            return ("ok",) + R._read_yaml(text, "p")
        except ProfileError as exc:
            return ("error", [issue.render() for issue in exc.issues])


def _mutations(texts, count, seed=11):
    rng = random.Random(seed)
    pieces = [":", " ", "\n", "- ", "[", "]", "{", "}", ",", "&a", "*a", "'", '"', "#", "|", ">", "\n  ",
              "<<: ", "...", "x", "1", "~", "\u00e9", "\t", "?", "!", "\ufeff", "\x85", "\x07"]
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(pieces) + text[i:] if rng.random() < 0.5 else \
                text[:i] + text[i + rng.randint(1, 5):]
        yield text


@needs_libyaml
def test_libyaml_and_pure_python_read_the_same(monkeypatch):
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in PROFILES]
    assert texts
    for text in texts + list(_mutations(texts, 60)):
        if text.strip() in ("---", "..."):
            continue  # an empty document: no data, its line is never shown
        assert _read(text, True, monkeypatch) == _read(text, False, monkeypatch), text


@needs_libyaml
def test_plain_text_does_not_need_the_pure_loader(monkeypatch):
    def refuse(text, source):
        raise AssertionError("the pure-Python loader was used")

    monkeypatch.setattr(R, "_compose_pure", refuse)
    raw = load_profile_text("as_of: 2026-01-15\nletters:\n  - {id: l1, status: received}\n", "yaml",
                            "fast-path.yaml")
    assert raw.data["letters"] == [{"id": "l1", "status": "received"}]
    assert raw.lines["$.letters[0].status"] == 3
    # duplicate keys and alias bombs are still ours to find, on the fast path too
    with pytest.raises(ProfileError, match="duplicate key 'a'"):
        load_profile_text("a: 1\nb: 2\na: 3\nfast: 1\n", "yaml")
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + \
        [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(ProfileError, match="expands to more than"):
        load_profile_text("\n".join(bomb) + "\n", "yaml")


@needs_libyaml
@pytest.mark.parametrize("text", ["a:\tb\n", "a: {b: c? d}\n", "a: !x 1\n", "a: \x07\n"])
def test_text_libyaml_reads_differently_goes_to_the_pure_loader(text, monkeypatch):
    used = []
    real = R._compose_pure
    monkeypatch.setattr(R, "_compose_pure", lambda t, s: used.append(t) or real(t, s))
    _read(text, True, monkeypatch)
    assert used == [text]


@needs_libyaml
def test_libyaml_errors_are_reported_with_pyyaml_messages(monkeypatch):
    text = "a: [1, 2\nb: 3\n"
    assert _read(text, True, monkeypatch) == _read(text, False, monkeypatch)
    deep = "a: " + "[" * 2000 + "]" * 2000 + "\n"  # beyond libyaml's nesting limit
    assert _read(deep, True, monkeypatch) == _read(deep, False, monkeypatch)


def test_eval_and_plan_read_the_profile_once(monkeypatch, capsys):
    """The file picks the pack, is evaluated and shows values in reasons: parsed once."""
    from imgrules._cli import main

    calls = []
    real = R._READERS["yaml"]
    monkeypatch.setitem(R._READERS, "yaml", lambda text, source: calls.append(source) or real(text, source))
    example = str(ROOT / "examples" / "reapplicant-weak-step2.yaml")
    for command in ("eval", "plan"):
        calls.clear()
        assert main([command, example, "--format", "json"]) == 0
        assert calls == [example], command
    capsys.readouterr()


def test_yaml_module_has_the_loaders_we_rely_on():
    assert issubclass(R._Loader, yaml.SafeLoader)
    assert R._FastLoader is None or issubclass(R._FastLoader, yaml.constructor.SafeConstructor)


def test_ascii_text_is_sent_to_the_pure_loader_as_the_full_test_would():
    # ASCII text is tested with a small pattern, other text with the full character set
    for code in range(128):
        text = f"a: x{chr(code)}y\n"
        assert R._pure_only_text(text) == bool(R._pure_only().search(text)), repr(chr(code))
    assert [R._pure_only_text(t) for t in ("a: caf\u00e9\n", "a: x\ufeffy\n", "a: \u00e9\x07\n")] == \
        [False, True, True]
