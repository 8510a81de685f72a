"""Rule text in and out: parsing (Lark, behind this package only) and formatting."""

from .dump import dump_ast
from .parser import parse
from .printer import format_pack, format_text

__all__ = ["parse", "format_pack", "format_text", "dump_ast"]
