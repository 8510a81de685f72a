"""Plain words for what an applicant reads: enum ids as labels, profile paths as phrases,
plurals, topics, and pack-relative locations for the advisor.

One place, so every renderer says the same thing the same way. :func:`label` shows an
enum value by the display label its pack declares (``internal_medicine "Internal
Medicine"``), within :func:`declared`; an id without one it humanises
(``internal_medicine`` -> "Internal Medicine") with a table of the acronyms and exam
names the guidance uses.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

# the display labels the evaluated packs declare, while a report is rendered
_DECLARED: ContextVar[Mapping[str, str]] = ContextVar("imgrules_declared_labels", default={})


def declared_labels(schema: Any) -> dict[str, str]:
    """``{value: label}`` of every enum value a checked schema declares a label for (a
    value of two enums keeps the first enum's label, enums in name order)."""
    out: dict[str, str] = {}
    for _name, enum in sorted(getattr(schema, "enums", {}).items()):
        for value, text in getattr(enum, "labels", ()):
            out.setdefault(value, text)
    return out


@contextlib.contextmanager
def declared(labels: Mapping[str, str]) -> Iterator[None]:
    """Within the block, :func:`label` (and so :func:`plain`) uses these labels first."""
    token = _DECLARED.set(dict(labels))
    try:
        yield
    finally:
        _DECLARED.reset(token)

# whole ids or id words that are not simply capitalised
KNOWN = {
    "step1": "Step 1", "step2": "Step 2", "step2_ck": "Step 2 CK", "step3": "Step 3",
    "step_1": "Step 1", "step_2_ck": "Step 2 CK", "step_3": "Step 3", "ck": "CK",
    "usce": "USCE", "img": "IMG", "imgs": "IMGs", "ecfmg": "ECFMG", "eras": "ERAS",
    "nrmp": "NRMP", "soap": "SOAP", "usmle": "USMLE", "lor": "letter", "lors": "letters",
    "yog": "years since graduation", "ps": "personal statement", "qi": "QI", "us": "US",
    "im": "IM", "md": "MD", "do": "DO", "cv": "CV", "pgy": "PGY", "icu": "ICU", "er": "ER",
    "ob": "OB", "gyn": "GYN", "obgyn": "OB/GYN", "ent": "ENT", "id": "ID",
}
# the tier components of the profile contract, as a person names them
COMPONENTS = {"step1": "Step 1", "step2_ck": "Step 2 CK", "yog": "Years since graduation",
              "usce": "US clinical experience", "lors": "Letters"}

_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# ``(exams.step1)`` or ``($.documents.x)``: a profile path quoted in a pack message
_PATH_IN_TEXT = re.compile(r"\s*\((?:\$\.)?[a-z_][a-z0-9_]*(?:(?:\.[a-z_][a-z0-9_]*)|\[\d+\])+\)")


def declared_label(value: Any) -> str | None:
    """The label the evaluated packs declare for an enum value (see :func:`declared`)."""
    return _DECLARED.get().get(str(value))


def label(value: Any) -> str:
    """An enum id or field name as a label: ``internal_medicine`` -> "Internal Medicine",
    ``step2_ck`` -> "Step 2 CK", ``usce`` -> "USCE"; a value whose pack declares a label
    (see :func:`declared`) reads as that label. Other text is returned as it is."""
    text = str(value)
    own = _DECLARED.get().get(text)
    if own is not None:
        return own
    if text in KNOWN:
        return KNOWN[text]
    if not re.fullmatch(r"[a-z][a-z0-9_]*", text):
        return text
    words = [KNOWN.get(w, w.capitalize()) for w in text.split("_") if w]
    return " ".join(words)


def phrase(value: Any) -> str:
    """A field name inside a sentence: lower case except acronyms (``target_program_types``
    -> "target program types", ``usce_months`` -> "USCE months")."""
    text = str(value)
    if text in KNOWN:
        return KNOWN[text]
    return " ".join(KNOWN.get(w, w) for w in text.split("_") if w)


def plain(text: Any) -> str:
    """Pack text for the applicant: snake_case ids become labels and quoted profile paths
    are dropped (the advisor's view keeps the text as written)."""
    out = _PATH_IN_TEXT.sub("", str(text))
    return _SNAKE.sub(lambda m: label(m.group(0)), out)


def sentence(value: Any) -> str:
    """An id as a short phrase with a capital: ``interview_or_fit`` -> "Interview or fit"."""
    text = phrase(value)
    return text[:1].upper() + text[1:]


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 interview invite``, ``2 interview invites``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


_INDEX = re.compile(r"\[\d+\]")
# a whole section of the profile, as the "tell us" list names it
SECTIONS = {
    "documents": "which documents you have (personal statement, Narrative Tracker, plan)",
    "reapply": "your decisions for this re-application", "targets": "your targets for the year",
    "eras": "your ERAS status", "ecfmg": "your ECFMG status", "eras_draft": "your ERAS draft",
    "outside_reviews": "who has reviewed your application", "mentors": "your mentors",
    "programs": "your program list", "exams": "your exam results", "research": "your research",
    "letters": "your letters", "experiences": "your clinical experiences",
}


def record_phrase(path: str) -> str:
    """What to record for a missing profile path, in the words of the "tell us" list:
    ``$.documents.gap_list`` -> "whether you have a gap list",
    ``$.letters[0].upload_confirmed`` -> "upload confirmed for each of your letters"."""
    parts = [p for p in _INDEX.sub("", str(path)).lstrip("$").split(".") if p]
    if not parts:
        return "your profile"
    if len(parts) == 1 and parts[0] in SECTIONS:
        return SECTIONS[parts[0]]
    in_list = "[" in str(path)
    leaf = phrase(parts[-1])
    state = re.fullmatch(
        r"([a-z0-9_]+)_(locked|confirmed|done|started|passed|submitted|required)", parts[-1])
    if state:
        return f"whether your {phrase(state.group(1))} is {state.group(2)}" + (
            f" for each of your {phrase(parts[-2])}" if in_list and len(parts) >= 2 else "")
    if in_list and len(parts) >= 2:
        return f"{leaf} for each of your {phrase(parts[-2])}"
    if len(parts) == 1:
        return f"your {leaf}"
    if parts[0] == "documents":
        return f"whether you have a {leaf}"
    if parts[0] == "exams":
        return f"your {label(parts[1])} result" if len(parts) == 2 else \
            f"your {label(parts[1])} {leaf}"
    if parts[-1].endswith("_until"):
        return f"until when you were {phrase(parts[-1][:-len('_until')])}"
    if parts[0] == "applicant" and "_" not in parts[-1]:
        return f"whether you are {leaf}"  # applicant.nontraditional
    return f"your {leaf}"


# topic -> words that put a finding under it (matched in its rule id and title), in order:
# the first topic with a match wins, so the specific ones come first
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Your last cycle", ("autopsy", "dx", "last cycle", "prior cycle", "classify",
                         "explanation", "switch", "yog")),
    ("Exams", ("step1", "step2", "step3", "step 1", "step 2", "step 3", "exam", "usmle",
               "score")),
    ("Letters", ("letter", "lor", "writer", "referee")),
    ("US clinical experience", ("usce", "rotation", "clinical", "observership", "extern",
                                "sub-i", "setting", "exposure", "workflow", "responsibility",
                                "day-one")),
    ("Programs", ("program", "geograph", "img-friendly", "img_friendly", "community",
                  "spreadsheet", "visa")),
    ("Mentors", ("mentor", "fit", "matched", "faculty", "outside")),
    ("Your story", ("statement", "narrative", "story", "stories", "why", "through-line",
                    "through_line", "theme", "reflection", "tracker", "ps_", "alignment",
                    "identity", "progression")),
    ("ERAS and the Match", ("eras", "ecfmg", "submit", "nrmp", "soap", "interview", "match",
                            "application", "cv", "drafting")),
    ("Research", ("research", "qi", "abstract", "poster", "publication", "project",
                  "author", "manuscript")),
    ("Planning", ("plan", "alloc", "time", "gantt", "block", "decide", "target", "gap", "gaps",
                  "specialty", "foundation", "deferral", "structure", "runway", "milestone")),
)
OTHER_TOPIC = "Other"


def topic(finding: Mapping[str, Any]) -> str:
    """The topic a finding folds under: the pack's own ``topic`` when it gives one,
    otherwise the first of :data:`TOPICS` whose words occur in its rule id or title."""
    own = finding.get("topic")
    if own:
        return label(own)
    hay = f"{finding.get('rule', '')} {finding.get('title', '')}".lower()
    words = set(re.split(r"[^a-z0-9-]+", hay.replace("_", " ")))
    for name, keys in TOPICS:
        for key in keys:
            if (key in words) if key.isalpha() and len(key) <= 4 else (key in hay):
                return name
    return OTHER_TOPIC


def location(provenance: Any) -> str:
    """Where a rule is written, relative to its pack's folder: ``img/core.rules:608``
    (never a path of the machine it was evaluated on)."""
    if not isinstance(provenance, Mapping):
        return ""
    path = str(provenance.get("file") or provenance.get("path") or "").replace("\\", "/")
    line = provenance.get("line")
    if not path:
        return ""
    pack = str(provenance.get("pack") or "")
    suffix = "/".join(pack.split(".")) + ".rules" if pack else ""
    if suffix and (path == suffix or path.endswith("/" + suffix)):
        short = suffix
    else:
        short = path.rsplit("/", 1)[-1]
    return f"{short}:{line}" if line else short
