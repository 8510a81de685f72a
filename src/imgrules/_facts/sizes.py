"""The validator's own limits on profile values, whatever the packs declare: kept in one
place for the full check (:mod:`.validate`), its fast path (:mod:`.fast`) and the JSON
Schema (:mod:`.json_schema`)."""

from __future__ import annotations

import datetime as dt
import re

INT_LIMIT = 10**9          # |int| above this is a typo or an attack, never a profile fact
FLOAT_LIMIT = 1e15
MAX_TEXT = 10_000          # characters in one text value
MAX_ITEMS = 10_000         # elements in one list
# Dates a profile may hold: a wide window around any real application, so that the date
# arithmetic of a pack (months before a deadline, durations of years) stays inside
# Python's calendar (years 1-9999) instead of failing inside an evaluation.
DATE_FIRST = dt.date(1800, 1, 1)
DATE_LAST = dt.date(2999, 12, 31)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
