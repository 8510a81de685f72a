"""Profile ``$.paths``: the value a path names in plain data.

Paths are the ones the engine writes into results (``$.exams.step2_ck.score``,
``$.letters[2].status``); explanations read them against the profile they explain,
renderers against the profile a result was made from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# a key (``.name``, or ``['any text']`` for a key that is no name) or an index (``[2]``,
# ``[-1]``)
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?\d+)\]|\['((?:[^'\\]|\\.)*)'\]")
ABSENT = object()  # what walk() returns for a path that leads to no value


def walk(data: Any, path: Any) -> Any:
    """The value at ``$.a.b[2]`` in ``data`` (plain profile data, or what a result read
    back from JSON holds), or :data:`ABSENT` when the path leads nowhere."""
    if not isinstance(path, str) or not path.startswith("$"):
        return ABSENT
    node, pos = data, 1
    while pos < len(path):
        m = _STEP.match(path, pos)
        if m is None:
            return ABSENT
        key = m.group(1) if m.group(1) is not None else m.group(3)
        if key is not None:
            if not isinstance(node, Mapping) or key not in node:
                return ABSENT
            node = node[key]
        else:
            index = int(m.group(2))
            if not isinstance(node, Sequence) or isinstance(node, str) or not (
                    -len(node) <= index < len(node)):
                return ABSENT
            node = node[index]
        pos = m.end()
    return node
