"""imgrules: a declarative rules engine with a language advisors can read."""

__version__ = "0.1.0"
