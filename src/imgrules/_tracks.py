"""Which shipped pack applies to a profile: the profile contract's ``track`` names it.

Shared by ``eval``, ``plan`` and ``batch`` so that all three pick packs the same way; kept
in its own small module so that ``eval`` does not import the batch machinery.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# the shipped pack for each track (the profile contract's `track`)
TRACK_PACKS = {"first_time": "img.first_application", "reapplicant": "img.reapplication"}
# a track that is missing or wrong still gets every profile issue reported, by this pack
FALLBACK_PACK = "img.core"


def pack_for_data(data: Any) -> str:
    """The shipped pack name for a profile's ``track`` (raw profile data as read);
    ``img.core`` when the track is missing or unknown, so that evaluation reports the bad
    track together with every other issue."""
    track = data.get("track") if isinstance(data, Mapping) else None
    return TRACK_PACKS.get(track, FALLBACK_PACK) if isinstance(track, str) else FALLBACK_PACK
