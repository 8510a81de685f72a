"""Rule text in and out: parsing (Lark, behind this package only) and formatting."""

from .parser import parse

__all__ = ["parse"]
