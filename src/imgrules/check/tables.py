"""Pass tables (in progress)."""


def run(ctx) -> None:
    return None
