"""Functional categories: each with its expected outcome and its sentence templates."""

from __future__ import annotations

from dataclasses import dataclass

HOLD = "hold"
PUBLISH = "publish"


@dataclass(frozen=True)
class Category:
    """A functional category: what readers would see and what the service must do with it."""

    # Templates use {plural}, {singular}, {a_singular}, {adj}, {member}, {slur}, {slurs}
    # for a group and any slot of words.SLOTS; a capital first letter ({Plural}) capitalises
    # the word at a sentence start. Key hateful words sit in [brackets]: the obfuscated
    # categories rewrite only those, so the rest of the sentence stays as readers wrote it.

    name: str
    expected: str
    description: str
    templates: tuple[str, ...] = ()
    # Obfuscated categories are derived from plain ones instead of templates.
    obfuscation: str | None = None


def _cats() -> tuple[Category, ...]:
    from moderation.functional_suite.templates_hold import HOLD_CATEGORIES
    from moderation.functional_suite.templates_publish import PUBLISH_CATEGORIES

    return HOLD_CATEGORIES + OBFUSCATED_CATEGORIES + PUBLISH_CATEGORIES


# Plain hold categories whose cases are obfuscated: the plainest forms of group hate.
OBFUSCATION_SOURCES = (
    "hate_stated", "dehumanisation", "threat_group", "wish_harm", "call_for_violence",
    "slur", "hate_opinion", "hate_question",
)

OBFUSCATED_CATEGORIES: tuple[Category, ...] = tuple(
    Category(f"obfuscated_{method}", HOLD, f"hateful cases with {what} in the key word",
             obfuscation=method)
    for method, what in (
        ("swap", "two adjacent letters swapped"),
        ("drop", "a letter dropped"),
        ("repeat", "a letter repeated"),
        ("leet", "digits or symbols for letters"),
        ("spaced", "spaces between the letters"),
        ("joined", "the spaces around it removed"),
    )
)


def categories() -> tuple[Category, ...]:
    """Return every category in report order: hold first, then publish."""
    return _cats()
