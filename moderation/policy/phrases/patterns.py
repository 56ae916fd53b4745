"""Matching a family of built-in phrases against a comment."""

from __future__ import annotations

import re

SHOWN_CHARACTERS = 100  # the matched phrase is shown to the moderator, so keep it short

# A claim in quotation marks ("...", “...”, «...», or '...' standing apart from words).
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{3,400})[\"“”«»]|(?<!\w)'([^']{3,400})'(?!\w)")
# Words that report or name what someone else said, earlier in the same sentence:
# "a commenter wrote that ...", "stop calling ...", "the myth that ...".
_REPORTING = re.compile(
    # Base forms ("say", "write", "call") are left out: "I'd say ..." and "Write one more
    # piece and ..." are the writer's own words.
    r"\b(?:says|said|saying|wrote|writes|claims?|claimed|claiming|"
    r"calls|called|calling|shouts|shouted|shouting|tweets|tweeted|tweeting|"
    r"statements?|remarks?|idea|myth|lie|lies|slogans?|chants|chanted|chanting)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]\s")
# What "I said" or "we wrote" reports is the writer's own view.
_FIRST_PERSON = re.compile(r"\b(?:I|we|I've|we've|I'd|we'd)\s+$", re.IGNORECASE)


def is_quoted(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] lies inside quotation marks."""
    return any(quoted.start() <= start and end <= quoted.end()
               for quoted in _QUOTED.finditer(text))


def is_reported(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] is quoted or reported speech rather than the writer's own."""
    if is_quoted(text, start, end):
        return True
    sentence_start = 0
    for boundary in _SENTENCE_END.finditer(text, 0, start):
        sentence_start = boundary.end()
    # The nearest reporting word before the phrase is the one that frames it.
    reporting = max(_REPORTING.finditer(text, sentence_start, start), default=None,
                    key=lambda found: found.start())
    return reporting is not None and not _FIRST_PERSON.search(text, 0, reporting.start())


def first_match(patterns: list[re.Pattern], text: str, *, reported=is_quoted) -> str | None:
    """Return the text of the first pattern that matches as the writer's own words, or None.

    A phrase that ``reported`` calls someone else's words is left to the model:
    counter-speech quotes the hate it denounces, and the phrases never reject.
    """
    for pattern in patterns:
        for match in pattern.finditer(text):
            if not reported(text, match.start(), match.end()):
                return match.group(0)[:SHOWN_CHARACTERS]
    return None
