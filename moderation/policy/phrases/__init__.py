"""Phrases that send a comment to a human whatever the model says."""

from __future__ import annotations

from moderation.policy.phrases import group_attacks, threats
from moderation.policy.phrases.group_attacks import find_group_attack
from moderation.policy.phrases.patterns import first_match
from moderation.policy.phrases.slurs import SLURS, find_slur
from moderation.policy.phrases.threats import find_threat


def find_hold_phrase(text: str) -> str | None:
    """Return a built-in threat, group-attack phrase or slur found in text, or None."""
    return find_threat(text) or find_group_attack(text) or find_slur(text)


def _anywhere(text: str, start: int, end: int) -> bool:
    """Treat every match as the writer's own: the phrase was already held as such."""
    return False


def phrase_family(text: str) -> str | None:
    """Return which built-in family ('threat', 'group_attack', 'slur') a held phrase is."""
    if first_match(threats.PATTERNS, text, reported=_anywhere):
        return "threat"
    if first_match(group_attacks.PATTERNS, text, reported=_anywhere):
        return "group_attack"
    if text in SLURS:
        return "slur"
    return None
