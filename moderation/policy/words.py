"""Banned and suspect word matching that sees through simple obfuscation."""

from __future__ import annotations

import functools
import re

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                      "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"})
# Leading and trailing punctuation goes, except characters that stand for letters ("a$$").
_EDGE = re.compile(r"^[^\w@$]+|[^\w$]+$")
_NOT_LETTER = re.compile(r"[^a-z]")
_RUN = re.compile(r"(.)\1+")
_LONG_RUN = re.compile(r"(.)\1\1")


def _normalise(token: str) -> str:
    """Lower-case a token, undo leetspeak and drop separators inside it."""
    token = _EDGE.sub("", token.lower())
    return _NOT_LETTER.sub("", token.translate(LEET))


def _tokens(text: str) -> list[str]:
    """Split text into normalised words, joining spelled-out runs like 'f u c k'."""
    words: list[str] = []
    letters: list[str] = []
    for raw in text.split():
        word = _normalise(raw)
        if len(word) == 1:
            letters.append(word)
            continue
        if len(letters) > 1:
            words.append("".join(letters))
        letters = []
        if word:
            words.append(word)
    if len(letters) > 1:
        words.append("".join(letters))
    return words


def _phrases(words: list[str]) -> dict[int, dict[str, str]]:
    """Group listed entries by their number of words, keyed by their normalised form."""
    grouped: dict[int, dict[str, str]] = {}
    for word in words:
        parts = [_normalise(part) for part in word.split()]
        key = "".join(parts)
        if key:
            grouped.setdefault(len([p for p in parts if p]), {})[key] = word
    return grouped


@functools.lru_cache(maxsize=256)
def _listed(words: tuple[str, ...]) -> dict[int, dict[str, str]]:
    """Return the grouped entries of a word list, built once per distinct list."""
    return _phrases(list(words))


def _match(token: str, exact: dict[str, str]) -> str | None:
    """Return the listed word a token is, directly or once elongated letters are squeezed."""
    if token in exact:
        return exact[token]
    # Only elongated tokens ("shiiit") are squeezed, so "as" never matches "ass".
    if _LONG_RUN.search(token):
        squeezed = {_RUN.sub(r"\1", key): word for key, word in exact.items()}
        return squeezed.get(_RUN.sub(r"\1", token))
    return None


def find_word(text: str, words: list[str]) -> str | None:
    """Return the first listed word or phrase the text contains as whole words, else None."""
    if not words:
        return None
    tokens = _tokens(text)
    for size, exact in sorted(_listed(tuple(words)).items()):
        for start in range(len(tokens) - size + 1):
            match = _match("".join(tokens[start:start + size]), exact)
            if match:
                return match
    return None
