"""Phrases that send a comment to a human whatever the model says."""

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


def find_hold_phrase(text: str) -> str | None:
    """Return a built-in threat or group-attack phrase found in text, or None."""
    from moderation.services.group_attacks import find_group_attack
    from moderation.services.threats import find_threat

    return find_threat(text) or find_group_attack(text)
