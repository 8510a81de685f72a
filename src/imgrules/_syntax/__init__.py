"""Rule text in and out: parsing (Lark, behind this package only) and formatting.

``parse`` is the parser behind the limits of ``imgrules._limits`` (see
``imgrules._syntax.guard``): deep nesting, huge files and stray control characters are diagnostics.
"""

from .dump import dump_ast
from .guard import parse_limited as parse
from .printer import format_pack, format_text

__all__ = ["parse", "format_pack", "format_text", "dump_ast"]
