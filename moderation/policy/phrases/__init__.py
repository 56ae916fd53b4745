"""Phrases that send a comment to a human whatever the model says."""

from __future__ import annotations

from moderation.policy.phrases.group_attacks import find_group_attack
from moderation.policy.phrases.threats import find_threat


def find_hold_phrase(text: str) -> str | None:
    """Return a built-in threat or group-attack phrase found in text, or None."""
    return find_threat(text) or find_group_attack(text)
