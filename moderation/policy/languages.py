"""Language rules: which model judges a comment's language, and which comments go to a human.

English (and text with no language to tell) is scored by the main model. A language with
a shipped per-language model is decided automatically where the site accepts it; any
other language, and text whose language is undetermined, waits for a moderator.
"""

from __future__ import annotations

from moderation.extensions import scorer
from moderation.policy.thresholds import Policy
from moderation.scoring import ngrams
from moderation.scoring.base import ScorerUnavailable
from moderation.scoring.language import UNDETERMINED
from moderation.scoring.ngrams import NgramModel, scored_languages


def model_languages() -> frozenset[str]:
    """Return the languages the configured main model reads; English if it cannot load."""
    try:
        return scorer.get().languages
    except ScorerUnavailable:
        return frozenset({"en"})


def accepted_languages(auto_languages: list[str] | None) -> frozenset[str]:
    """Return the per-language models' languages a site takes automatic decisions in.

    None (a site that never chose) means every language the service scores.
    """
    shipped = scored_languages()
    return shipped if auto_languages is None else shipped & frozenset(auto_languages)


def language_model(language: str | None, auto_languages: list[str] | None
                   ) -> NgramModel | None:
    """Return the per-language model that judges a comment, or None for the main model.

    A configured main model that reads the language itself (Detoxify's multilingual one)
    keeps it: it scores all six labels.
    """
    if language is None or language not in accepted_languages(auto_languages):
        return None
    if language in model_languages():
        return None
    return ngrams.language_model(language)


def readable_languages(own: NgramModel | None) -> frozenset[str]:
    """Return the languages whose scores the routing may act on for this comment."""
    return model_languages() | ({own.language} if own is not None else frozenset())


def unreadable(policy: Policy, language: str | None, languages: frozenset[str]) -> str | None:
    """Return why a human must judge this comment's language, or None when a model may."""
    if not policy.language_check or language is None or language in languages:
        return None
    return "language_unclear" if language == UNDETERMINED else "language_unsupported"
