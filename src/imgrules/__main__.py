"""``python -m imgrules``: the same command as ``imgrules``."""

from .cli import run

if __name__ == "__main__":
    run()
