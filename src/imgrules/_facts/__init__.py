"""Profiles: reading YAML/JSON/TOML safely, validating against a pack's schema with
``$.path`` errors, and imgrules' own cattrs converter for Python objects."""

from .api import coerce_profile, load_profile
from .errors import ProfileError, ProfileIssue, ProfileReadError
from .reader import DEFAULT_MAX_BYTES, RawProfile, load_profile_file, load_profile_text
from .validate import Profile, validate_profile

__all__ = [
    "DEFAULT_MAX_BYTES", "Profile", "ProfileError", "ProfileIssue", "ProfileReadError",
    "RawProfile", "coerce_profile", "issues_from_cattrs", "load_profile", "load_profile_file",
    "load_profile_text", "make_converter", "structure", "to_plain",
    "validate_profile",
]


def __getattr__(name: str):
    # the converter imports cattrs: loading a profile file for a compiled pack does not need it
    if name in ("issues_from_cattrs", "make_converter", "structure", "to_plain"):
        from . import convert

        return getattr(convert, name)
    raise AttributeError(f"module 'imgrules._facts' has no attribute {name!r}")
