"""Language rules: which languages the model reads, and which comments it cannot judge."""

from __future__ import annotations

from moderation.extensions import scorer
from moderation.policy.thresholds import Policy
from moderation.scoring.base import ScorerUnavailable


def model_languages() -> frozenset[str]:
    """Return the languages the configured model reads; English if it cannot be prepared."""
    try:
        return scorer.get().languages
    except ScorerUnavailable:
        return frozenset({"en"})


def unreadable(policy: Policy, language: str | None, languages: frozenset[str]) -> bool:
    """Tell whether the model cannot read the comment's language, so a human must decide."""
    return policy.language_check and language is not None and language not in languages
