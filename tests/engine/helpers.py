"""Small helpers: compile pack text written in a test, evaluate a profile with it."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import tempfile

from imgrules._check import check_pack
from imgrules._compile import compile_pack
from imgrules._engine import Session
from imgrules._loader import load_packs

_COUNTER = itertools.count()

HEADER = """
enum Level { competitive, borderline, concerning }
enum Status { planned, requested, received }
record Letter { id: str
  writer: str?
  status: Status
  strong: bool?
  weeks: int? }
record Exam { score: int?
  attempts: int? }
record Exams { step2: Exam? }
profile { as_of: date
  application_date: date
  score: int?
  name: str?
  exams: Exams?
  letters: list[Letter] }
fact tier { component: str
  level: Level }
"""

D = dt.date


def checked_of(text: str, header: bool = True):
    fd, path = tempfile.mkstemp(suffix=".rules", prefix=f"t{next(_COUNTER)}_")
    with os.fdopen(fd, "w") as fh:
        fh.write("pack t\n" + (HEADER if header else "") + text)
    try:
        checked = check_pack(load_packs(path))
    finally:
        os.unlink(path)
    errors = [d for d in checked.diagnostics if d.is_error]
    if errors:
        raise ValueError("\n".join(str(d.span) + ": " + d.message for d in errors))
    return checked


def network(text: str, header: bool = True):
    return compile_pack(checked_of(text, header))


def profile(**kw):
    base = {"as_of": D(2026, 11, 22), "application_date": D(2027, 9, 15), "letters": []}
    base.update(kw)
    return base


def run(text_or_net, prof=None, **kw):
    net = network(text_or_net) if isinstance(text_or_net, str) else text_or_net
    return Session(net, **kw).set_profile(prof if prof is not None else profile()).run()
