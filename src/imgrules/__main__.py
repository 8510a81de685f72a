"""``python -m imgrules``: the same command as ``imgrules``."""

from ._cli import run

if __name__ == "__main__":
    run()
