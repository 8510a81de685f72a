"""Checking profile data against the schema the packs declare: every problem, by path.

The output is plain Python data (dicts, lists, ``datetime.date``, enum values as ``str``)
that the engine turns into facts. Absent required list fields become ``[]``; absent
optional fields (optional lists too) stay absent, so the engine sees them as MISSING;
``null`` means absent. Values
must also keep the bounds their fields declare (``in 0..``, ``size 1..2``, ``matches``,
``in start..``): see :mod:`imgrules._bounds`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import attrs

from .. import _types as T
from .._field_limits import violations
from .errors import ProfileError, ProfileIssue, join
from .fast import Unsure, checker
from .sizes import DATE_FIRST, DATE_LAST, FLOAT_LIMIT, INT_LIMIT, ISO_DATE, MAX_ITEMS, MAX_TEXT

MAX_ISSUES = 100


def _did_you_mean(word: str, choices) -> str:
    """The diagnostics' suggestion, imported with the first unknown name: reading a valid
    profile (``imgrules eval`` on a cached pack) does not load the diagnostics."""
    from .._diagnostics import did_you_mean

    return did_you_mean(word, choices)


@attrs.frozen
class Profile:
    """A validated profile: plain data, and the file it came from (None for data given in Python)."""

    data: Mapping[str, Any]
    source_path: str | None = None


def validate_profile(data: Any, schema: T.Schema, partial: bool = False, *,
                     source: str | None = None, lines: Mapping[str, int] | None = None,
                     today: dt.date | None = None) -> Profile:
    """Check ``data`` against ``schema.profile``; return a :class:`Profile` or raise ProfileError.

    ``partial`` (pack tests) allows required fields to be absent. Outside partial mode
    ``as_of`` defaults to ``today`` (the real today unless given). ``lines`` maps paths
    to line numbers for the issues' ``line``.

    Data that is plainly right takes the fast path (:mod:`imgrules._facts.fast`, once
    enough profiles of the schema were checked to make building it worthwhile); any other
    is checked in full, and only the full check words problems.
    """
    result = fast_check(data, schema, partial, today)
    if result is not None:
        return Profile(result, source)
    return check_profile(data, schema, partial, source=source, lines=lines, today=today)


def fast_check(data: Any, schema: T.Schema, partial: bool = False, today: dt.date | None = None,
               record: type | None = None) -> dict | None:
    """The data :func:`validate_profile` gives when the fast path takes ``data``, else None;
    its records made as ``record`` (a dict subclass) when that is given."""
    rtype = schema.profile
    fast = checker(rtype, partial, record) if rtype is not None else None
    if fast is not None and (today is None or type(today) is dt.date and DATE_FIRST <= today <= DATE_LAST):
        try:
            result = fast(data)
        except Unsure:
            return None
        if not partial and "as_of" not in result and rtype.field("as_of"):
            result["as_of"] = today or dt.date.today()
        return result
    return None


def check_profile(data: Any, schema: T.Schema, partial: bool = False, *,
                  source: str | None = None, lines: Mapping[str, int] | None = None,
                  today: dt.date | None = None) -> Profile:
    """:func:`validate_profile` without its fast path: every value checked, every
    problem found and worded."""
    if schema.profile is None:
        raise ProfileError([ProfileIssue("$", "the rule packs declare no profile { ... } to check against")],
                           source)
    checker = _Checker(partial, lines or {})
    if today is not None:  # a date given by the caller (``--as-of``): a date, bounded like the profile's
        today = (checker.wrong("$.as_of", "a date", today) if isinstance(today, str)
                 else checker.date(today, "$.as_of"))
    if not isinstance(data, Mapping):
        checker.fail("$", f"a profile must be a mapping of fields, got {_describe(data)}")
        raise ProfileError(checker.issues, source)
    result = checker.record(data, schema.profile, "$", default_as_of=not partial)
    if not partial and "as_of" not in result and not checker.issues and schema.profile.field("as_of"):
        result["as_of"] = today or dt.date.today()
    if checker.issues:
        issues = checker.issues
        if len(issues) > MAX_ISSUES:
            issues = [*issues[:MAX_ISSUES],
                      ProfileIssue("$", f"... and {len(issues) - MAX_ISSUES} more problems")]
        raise ProfileError(issues, source)
    return Profile(result, source)


class _Checker:
    def __init__(self, partial: bool, lines: Mapping[str, int]):
        self.partial = partial
        self.lines = lines
        self.issues: list[ProfileIssue] = []

    def fail(self, path: str, message: str) -> None:
        self.issues.append(ProfileIssue(path, message, self.lines.get(path)))

    def record(self, data: Mapping, rtype: T.RecordType, path: str,
               default_as_of: bool = False) -> dict:
        result: dict[str, Any] = {}
        for key, value in data.items():
            if not isinstance(key, str):
                self.fail(path, f"field names must be text, got {_describe(key)}")
                continue
            field = rtype.field(key)
            where = join(path, key)
            if field is None:
                hint = _did_you_mean(key, rtype.field_names)
                self.fail(where, f"unknown field '{key}' " + (f"({hint})" if hint else
                          f"(fields of {_owner(rtype)}: {', '.join(rtype.field_names)})"))
                continue
            if value is None:
                if isinstance(field.type, T.ListType) and not field.optional:
                    result[key] = []
                    self.empty_list(field, where)
                elif not field.optional:
                    self.fail(where, f"'{key}' is required and cannot be null")
                continue  # null on an optional field: absent
            # a date field with declared bounds: those speak first, the calendar window after
            declared = field.limits.declared
            bounded_date = declared and field.type == T.DATE
            checked = self.date(value, where, window=False) if bounded_date else self.value(value, field.type, where)
            if checked is _INVALID:
                continue
            if declared:
                found = list(violations(checked, field.limits, where))
                for bad_path, message in found:
                    self.fail(bad_path, message)
                if bounded_date and not found:
                    checked = self.date_in_window(checked, where)
            if checked is not _INVALID:
                result[key] = checked
        self.order(result, rtype, path)
        for field in rtype.fields:
            if field.name in data and data[field.name] is not None or field.name in result:
                continue
            if isinstance(field.type, T.ListType) and not field.optional:
                result[field.name] = []
                self.empty_list(field, join(path, field.name))
            elif not field.optional and not self.partial and field.name not in data:
                if default_as_of and field.name == "as_of" and path == "$":
                    continue
                self.fail(path, f"missing required field '{field.name}' ({field.type.describe()})")
        return result

    def empty_list(self, field: T.Field, path: str) -> None:
        """A list left out or null is empty, and must allow that (unless the data is partial)."""
        if not self.partial:
            for bad_path, message in violations([], field.limits, path):
                self.fail(bad_path, message)

    def order(self, result: Mapping[str, Any], rtype: T.RecordType, path: str) -> None:
        """Fields declared ``in other..`` may not be below the record's ``other``."""
        for field in rtype.fields:
            if not field.limits.declared:
                continue
            other = field.limits.after
            if other is None or field.name not in result or other not in result:
                continue
            value, low = result[field.name], result[other]
            if isinstance(value, type(low)) and value < low:
                word = "before" if isinstance(value, dt.date) else "less than"
                note = f". {field.limits.message}" if field.limits.message else ""
                self.fail(join(path, field.name), f"{_plain(value)} is {word} {other} ({_plain(low)}){note}")

    def value(self, value: Any, typ: T.Type, path: str) -> Any:
        if isinstance(typ, T.RecordType):
            if not isinstance(value, Mapping):
                return self.wrong(path, f"a mapping of fields ({_owner(typ)})", value)
            return self.record(value, typ, path)
        if isinstance(typ, T.ListType):
            if not isinstance(value, (list, tuple)):
                return self.wrong(path, f"a list of {_plural(typ.item)}", value)
            if len(value) > MAX_ITEMS:
                self.fail(path, f"more than {MAX_ITEMS} items")
                return _INVALID
            items = []
            for i, item in enumerate(value):
                where = join(path, i)
                if item is None:
                    self.fail(where, f"expected {_an(typ.item)}, got null")
                    continue
                checked = self.value(item, typ.item, where)
                if checked is not _INVALID:
                    items.append(checked)
            return items
        if isinstance(typ, T.EnumType):
            return self.enum(value, typ, path)
        prim = typ.name if type(typ) is T.Prim else None
        if prim == "str" and type(value) is str and len(value) <= MAX_TEXT:  # the most common
            return value
        if prim == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return self.wrong(path, "an integer", value)
            if abs(value) > INT_LIMIT:
                self.fail(path, f"{_short(value)} is out of range (at most {INT_LIMIT:,} either side of 0)")
                return _INVALID
            return value
        if prim == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return self.wrong(path, "a number", value)
            if isinstance(value, float) and not math.isfinite(value) or abs(value) > FLOAT_LIMIT:
                self.fail(path, f"{_short(value)} is out of range")
                return _INVALID
            return float(value)
        if prim == "bool":
            if not isinstance(value, bool):
                return self.wrong(path, "true or false", value)
            return value
        if prim == "str":
            if not isinstance(value, str):
                hint = " (put it in quotes to make it text)" if isinstance(value, (bool, int, float, dt.date)) else ""
                return self.wrong(path, "text", value, hint)
            if len(value) > MAX_TEXT:
                self.fail(path, f"text longer than {MAX_TEXT} characters")
                return _INVALID
            return value
        if prim == "date":
            return self.date(value, path)
        self.fail(path, f"fields of type {typ.describe()} cannot be given in a profile")
        return _INVALID

    def enum(self, value: Any, typ: T.EnumType, path: str) -> Any:
        if type(value) is str and value in typ.values:
            return value
        allowed = ", ".join(typ.values)
        if not isinstance(value, str):
            return self.wrong(path, f"one of {allowed}", value)
        if value in typ.values:
            return value
        hint = _did_you_mean(value, typ.values)
        self.fail(path, f"{_short(value)} is not one of {allowed}" + (f" ({hint})" if hint else ""))
        return _INVALID

    def date(self, value: Any, path: str, window: bool = True) -> Any:
        """A date from ``value``; outside DATE_FIRST..DATE_LAST an issue, unless not ``window``."""
        if isinstance(value, dt.datetime):
            self.fail(path, f"expected a date (YYYY-MM-DD), got a date and time {value.isoformat()}")
            return _INVALID
        if isinstance(value, dt.date):
            return self.date_in_window(value, path) if window else value
        if not isinstance(value, str):
            return self.wrong(path, "a date (YYYY-MM-DD)", value)
        if not ISO_DATE.match(value):
            self.fail(path, f"{_short(value)} is not a date in the form YYYY-MM-DD")
            return _INVALID
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as exc:
            self.fail(path, f"{_short(value)} is not a valid date ({exc})")
            return _INVALID
        return self.date_in_window(day, path) if window else day

    def date_in_window(self, day: dt.date, path: str) -> Any:
        problem = date_out_of_window(day)
        if problem:
            self.fail(path, problem)
            return _INVALID
        return day

    def wrong(self, path: str, expected: str, value: Any, hint: str = "") -> Any:
        self.fail(path, f"expected {expected}, got {_describe(value)}{hint}")
        return _INVALID


_INVALID = object()


def date_out_of_window(day: dt.date) -> str | None:
    """Why ``day`` is refused as a profile date (outside DATE_FIRST..DATE_LAST), or None."""
    if DATE_FIRST <= day <= DATE_LAST:
        return None
    return f"{day.isoformat()} is out of range (dates from {DATE_FIRST.isoformat()} to {DATE_LAST.isoformat()})"


def _owner(rtype: T.RecordType) -> str:
    return "the profile" if rtype.kind == "profile" else rtype.name


def _an(typ: T.Type) -> str:
    if isinstance(typ, T.RecordType):
        return f"a mapping ({typ.name})"
    if isinstance(typ, T.EnumType):
        return f"one of {', '.join(typ.values)}"
    names = {"int": "an integer", "float": "a number", "bool": "true or false", "str": "text",
             "date": "a date"}
    return names.get(typ.describe(), typ.describe())


def _plural(typ: T.Type) -> str:
    if isinstance(typ, (T.RecordType, T.EnumType)):
        return typ.name
    names = {"int": "integers", "float": "numbers", "bool": "booleans", "str": "texts", "date": "dates"}
    return names.get(typ.describe(), typ.describe())


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _short(value: Any) -> str:
    """A value quoted for a message, cut short when long."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**24:
        return f"a number of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(value: Any) -> str:
    """'text '232'', 'an integer 3', 'a list'... for 'expected X, got Y'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a boolean)"
    if isinstance(value, int):
        return f"the integer {_short(value)}"
    if isinstance(value, float):
        return f"the number {_short(value)}"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a value of type {type(value).__name__}"
