"""Pass unused (in progress)."""


def run(ctx) -> None:
    return None
