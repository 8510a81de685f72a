"""Sphinx configuration for the imgrules documentation (MyST Markdown, furo theme).

Build: ``.venv/bin/python -m sphinx -W --keep-going -b html docs docs/_build/html``;
examples: ``.venv/bin/python -m sphinx -W -b doctest docs docs/_build/doctest``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import imgrules  # noqa: E402

project = "imgrules"
author = "the imgrules authors"
copyright = "the imgrules authors"  # noqa: A001 - Sphinx's name
version = release = imgrules.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "imgrules_docs",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
# language.md is the lead's language guide; language-reference.md includes it.
exclude_patterns = ["_build", "_generated", "language.md", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

# Unlabelled code fences are rule text; the imgrules lexer must lex them without errors.
highlight_language = "imgrules"
pygments_style = "sphinx"

html_theme = "furo"
html_title = f"imgrules {release}"
html_static_path = ["_static"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Every reference to our own objects must resolve; outside types are not documented here.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(attrs|click|lark|cattrs|pygments|pathlib|datetime|_dt|dt|collections\.abc|typing|os|enum)\..*"),
    (r"py:class", r"(Path|Iterable|Mapping|Sequence|Callable|Iterator|Any|Union|Optional)"),
    # internal modules are not part of the API reference; their types appear in signatures
    (r"py:.*", r"imgrules\.(_\w+|testing\.\w+|batch\.\w+)\..*"),
]
# ``type[C]`` in a signature is the builtin, not one of our attributes named ``type``
suppress_warnings = ["ref.python"]

# Examples use paths relative to the repository root (examples/...), as a reader would.
doctest_global_setup = f"""
import importlib.util, os
os.chdir({str(HERE.parent)!r})
HAVE_API = importlib.util.find_spec("imgrules._api") is not None
"""
