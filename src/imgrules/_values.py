"""Runtime values shared by the engine, the profile loader and the tests.

``MISSING`` stands for a fact the profile does not give. It is not ``False``: a
condition that needs it is undecided (see the engine's three-valued logic).
"""

from __future__ import annotations


class _Missing:
    __slots__ = ()
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        raise TypeError("MISSING has no truth value; test it with 'is MISSING'")

    def __reduce__(self):
        return (_Missing, ())


MISSING = _Missing()
