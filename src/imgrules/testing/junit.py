"""JUnit XML for pack tests, in the schema CI systems display (one testsuite per pack)."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .._fsutil import atomic_write_text


def junit_tree(runs: Iterable) -> ET.ElementTree:
    suites = ET.Element("testsuites", name="imgrules")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for run in runs:
        suite = ET.SubElement(suites, "testsuite", name=run.path)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        elapsed = 0.0
        if run.broken:
            counts["tests"] = counts["errors"] = 1
            case = ET.SubElement(suite, "testcase", classname=run.path, name="<pack>", time="0")
            error = ET.SubElement(case, "error", message="the pack has errors")
            error.text = "\n".join(f"{d.span}: {d.message}" for d in run.diagnostics)
        for outcome in run.outcomes:
            counts["tests"] += 1
            elapsed += outcome.seconds
            case = ET.SubElement(suite, "testcase", classname=run.path, name=outcome.name,
                                 file=outcome.path, line=str(outcome.line), time=f"{outcome.seconds:.4f}")
            if outcome.status == "error":
                counts["errors"] += 1
                ET.SubElement(case, "error", message=_clean(outcome.message)).text = _clean(outcome.message)
            elif outcome.status == "failed":
                counts["failures"] += 1
                details = [r.detail for r in outcome.expectations if not r.ok]
                failure = ET.SubElement(case, "failure", message=_clean(details[0] if details else "failed"))
                failure.text = _clean("\n".join(details + ([outcome.explanation] if outcome.explanation else [])))
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{elapsed:.4f}")
    for key, value in totals.items():
        suites.set(key, str(value))
    return ET.ElementTree(suites)


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters: drop them."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def write_junit(path: str | os.PathLike, runs: Iterable) -> None:
    tree = junit_tree(runs)
    ET.indent(tree)
    atomic_write_text(path, ET.tostring(tree.getroot(), encoding="unicode", xml_declaration=True) + "\n")
