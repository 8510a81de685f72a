"""The run-time meaning of the language, in one place.

Everything that decides what a pack *means* when it is evaluated lives in this package:

- :mod:`.values`: values and the one representation of missing/unknown (:class:`Unk`);
- :mod:`.ops`: comparisons, arithmetic on numbers, dates and durations, membership,
  ranges, sets, builtin calls, ``coalesce`` and maps, under three-valued logic;
- :mod:`.collections`: filters and aggregates (Kleene: what is known decides);
- :mod:`.intervals`: spans of days, the months they cover and the gaps they leave;
- :mod:`.tables`: cell tests and hit policies;
- :mod:`.milestones`: the statuses of deadlines and windows, the inputs an undecided one
  names, and rule timing;
- :mod:`.render`: how values read in messages, explanations and JSON.

The generated code (:mod:`imgrules._compile`), the session (:mod:`imgrules._engine`) and the
explanations and coverage (:mod:`imgrules._trace`) call these functions rather than
restating them, so changing how, say, missing data is reported is a change here and
nowhere else; how a missing input's ``$.path`` is spelled is the profile's addressing
scheme, not semantics (``imgrules._engine.runtime.path_at``). ``tests/reference.py`` is
the one deliberately independent evaluator the engine is checked against. The package
imports nothing from the pipeline above it (syntax, checker, compiler, engine): any
stage may use it.
"""

from .milestones import (
    DEADLINE_STATUSES,
    NEEDS_INFO,
    WINDOW_STATUSES,
    dated_deadline_status,
    dated_due,
    dated_state,
    dated_window_status,
    deadline_status,
    month_state,
    month_text,
    phase,
    timing_bounds,
    window_status,
)
from .values import UNKNOWN, Dur, Unk, as_float, merge, months_to_go, truth

__all__ = ["DEADLINE_STATUSES", "NEEDS_INFO", "UNKNOWN", "WINDOW_STATUSES", "Dur", "Unk", "as_float",
           "dated_deadline_status", "dated_due", "dated_state", "dated_window_status", "deadline_status", "merge",
           "month_state", "month_text", "months_to_go", "phase", "timing_bounds",
           "truth", "window_status"]
