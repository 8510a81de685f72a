"""The conformance corpus's canonical projection of ``Results.to_json()`` (documented in
tests/cases/README.md): what is semantics, without provenance or presentation."""

from __future__ import annotations

import json

FINDING_KEYS = ("kind", "rule", "message", "severity", "status", "due_date", "missing", "data")


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def project(data: dict) -> dict:
    derived = [{k: v for k, v in d.items() if k != "provenance"} for d in data["derived"]]
    return {
        "months_to_go": data["months_to_go"],
        "derived": sorted(derived, key=canonical),
        "findings": [{k: f[k] for k in FINDING_KEYS if k in f} for f in data["findings"]],
        "undecided": sorted(({"rule": u["rule"], "needs_info": list(u["needs_info"])}
                             for u in data["undecided"]), key=canonical),
        "violations": sorted(data["violations"]),
    }
