"""Matching a family of built-in phrases against a comment."""

from __future__ import annotations

import re

SHOWN_CHARACTERS = 100  # the matched phrase is shown to the moderator, so keep it short


def first_match(patterns: list[re.Pattern], text: str) -> str | None:
    """Return the text of the first pattern that matches, cut for display, or None."""
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(0)[:SHOWN_CHARACTERS]
    return None
