"""The run-time meaning of the language, in one place.

Everything that decides what a pack *means* when it is evaluated lives in this package:
the statuses of deadlines and windows and how they are decided. The generated code
(:mod:`imgrules.compile`), the session (:mod:`imgrules.engine`) and the explanations
(:mod:`imgrules.trace`) call these functions rather than restating them, so changing how,
say, missing data is reported is a change here and nowhere else.

The package imports nothing from the pipeline above it (syntax, checker, compiler,
engine): any stage may use it.
"""

from .milestones import (
    DEADLINE_STATUSES,
    NEEDS_INFO,
    WINDOW_STATUSES,
    deadline_status,
    window_status,
)

__all__ = ["DEADLINE_STATUSES", "NEEDS_INFO", "WINDOW_STATUSES", "deadline_status",
           "window_status"]
