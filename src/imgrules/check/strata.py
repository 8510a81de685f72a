"""Pass strata (in progress)."""


def run(ctx) -> None:
    return None
