"""Whole commands in fresh processes: the README's main command gives the same output
whatever another install left in the cache, and runs compiling the same pack at once
never leave a corrupt cache and print the same output."""

from __future__ import annotations

import shutil

from imgrules._cachedir import TEMP_PREFIX

from .helpers import EXAMPLE, FOREIGN_TITLE, ROOT, TITLE, imgrules, make_install, user_dirs

README_COMMAND = ["eval", "examples/reapplicant-weak-step2.yaml"]


def shown(title: str) -> str:
    """A title as the report shows it (without the quotes it has in the pack)."""
    return title.strip('"')


def _says(output: str, message: str) -> bool:
    """Whether the text report shows ``message`` (its lines are wrapped)."""
    return " ".join(message.split()) in " ".join(output.split())


def test_the_readme_command_ignores_another_install_s_cache(tmp_path):
    assert "imgrules eval examples/reapplicant-weak-step2.yaml" in (ROOT / "README.md").read_text()
    other = make_install(tmp_path / "other-venv")
    prefilled, empty = user_dirs(tmp_path / "prefilled"), user_dirs(tmp_path / "empty")
    filling = imgrules(README_COMMAND, prefilled, site=other)
    assert filling.returncode == 0 and _says(filling.stdout, shown(FOREIGN_TITLE))  # the other install's result
    assert list((tmp_path / "prefilled" / "cache").glob("pack-*.bin"))
    with_theirs = imgrules(README_COMMAND, prefilled)
    fresh = imgrules(README_COMMAND, empty)
    assert fresh.returncode == with_theirs.returncode == 0, fresh.stderr + with_theirs.stderr
    assert with_theirs.stdout == fresh.stdout
    assert with_theirs.stderr == fresh.stderr
    assert not _says(with_theirs.stdout, shown(FOREIGN_TITLE))
    assert _says(with_theirs.stdout, shown(TITLE))


def test_processes_compiling_the_same_pack_at_once(tmp_path):
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    pack = tmp_path / "rules" / "img" / "reapplication.rules"
    args = ["eval", "--pack", pack, EXAMPLE, "--format", "json"]
    expected = imgrules(args, {"IMGRULES_CACHE_DIR": ""})
    assert expected.returncode == 0, expected.stderr
    for round_ in range(2):  # each round from an empty cache and no key: both race for both
        env = user_dirs(tmp_path / f"round-{round_}")
        runs = [imgrules(args, env, background=True) for _ in range(3)]
        outputs = [run.communicate(timeout=120) + (run.returncode,) for run in runs]
        for out, err, code in outputs:
            assert (code, err) == (0, "")
            assert out == expected.stdout
        cache_dir = tmp_path / f"round-{round_}" / "cache"
        assert not [p for p in cache_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]
        assert len(list(cache_dir.glob("pack-*.bin"))) == 1
        # the entry they left is whole and valid: the next run hits it and agrees
        again = imgrules(args, env)
        assert again.stdout == expected.stdout
