"""Pass unsat (in progress)."""


def run(ctx) -> None:
    return None
