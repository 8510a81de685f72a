"""The HTML pages' templates: Jinja2 with escaping as the default.

Every ``{{ value }}`` in a template is escaped unless the value is already markup
(:class:`markupsafe.Markup`): ``<``, ``&`` and quotes become entities and control
characters are shown escaped (``\\x1b``, ``\\u202e``, see :mod:`imgrules._safetext`), in
element content and attributes alike. Code that builds markup itself (the plan's and the
cohort's charts) does so with :func:`markup` over escaped parts.

The templates ship in ``imgrules/_render/templates/``. A folder named by the environment
variable ``IMGRULES_TEMPLATES`` is searched first: a file there with a shipped template's
name replaces it (a clinic's colours, words or language), the rest stay as shipped.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined,
                    Template)
from markupsafe import Markup

from .._safetext import escape_controls

OVERRIDE_VARIABLE = "IMGRULES_TEMPLATES"

__all__ = ["OVERRIDE_VARIABLE", "css_class", "esc", "macro", "markup", "render_template", "text"]


def esc(value: Any) -> str:
    """Text for HTML element content or a quoted attribute; control characters shown
    escaped (``\\x1b``, ``\\u202e``): a document must not read otherwise than it is."""
    return html.escape(escape_controls(str(value), keep="\n"), quote=True)


def text(value: Any) -> Markup:
    """``value`` as markup: escaped with :func:`esc` unless it is markup already."""
    return value if isinstance(value, Markup) else Markup(esc(value))


def markup(template: str, *parts: Any, **named: Any) -> Markup:
    """``template`` (trusted markup written in code) with ``{}`` holes filled by the
    escaped ``parts``: ``markup('<b>{}</b>', name)``."""
    return Markup(template).format(*(text(p) for p in parts),
                                   **{k: text(v) for k, v in named.items()})


def css_class(value: Any) -> str:
    """A CSS class suffix from a status word: only safe characters survive."""
    return "".join(ch for ch in str(value) if ch.isascii() and (ch.isalnum() or ch in "_-"))


@lru_cache(maxsize=4)
def _environment(override: str) -> Environment:
    loaders = [FileSystemLoader(override)] if override else []
    loaders.append(PackageLoader("imgrules._render", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, finalize=text,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["cls"] = css_class
    return env


def _template(name: str) -> Template:
    # the override folder (IMGRULES_TEMPLATES) is read at each call: a test or a server
    # may switch it
    return _environment(os.environ.get(OVERRIDE_VARIABLE, "")).get_template(name)


def render_template(name: str, **context: Any) -> str:
    """The template ``name`` rendered with ``context``."""
    return _template(name).render(**context)


def macro(template: str, name: str) -> Callable[..., Markup]:
    """The macro ``name`` of ``template``, to call from Python: code that builds markup
    uses the same pieces as the templates (``macro("macros.html.j2", "badge")``)."""
    return getattr(_template(template).module, name)
