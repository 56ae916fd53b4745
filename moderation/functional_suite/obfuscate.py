"""Spelling tricks readers use to slip hateful words past a filter, applied deterministically."""

from __future__ import annotations

import random

# Letters swapped for look-alike digits or symbols; the reverse map undoes it in the tests.
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
UNLEET = {v: k for k, v in LEET.items()}
VOWELS = "aeiouAEIOU"

METHODS = ("swap", "drop", "repeat", "leet", "spaced", "joined")


def swap_letters(word: str, rng: random.Random) -> str:
    """Swap two adjacent, different letters, keeping the first letter where possible."""
    options = [i for i in range(1, len(word) - 1) if word[i] != word[i + 1]]
    options = options or [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
    if not options:
        return word
    i = rng.choice(options)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def drop_letter(word: str, rng: random.Random) -> str:
    """Drop one letter inside the word (never the first or last, so it stays readable)."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def repeat_letter(word: str, rng: random.Random) -> str:
    """Repeat one letter, a vowel where there is one, two or three extra times."""
    options = [i for i, c in enumerate(word) if c in VOWELS] or list(range(len(word)))
    i = rng.choice(options)
    return word[: i + 1] + word[i] * rng.choice((2, 3)) + word[i + 1 :]


def leetspeak(word: str, rng: random.Random) -> str:
    """Replace some letters with look-alike digits; at least one is always replaced."""
    spots = [i for i, c in enumerate(word) if c.lower() in LEET]
    if not spots:
        return word
    chosen = {i for i in spots if rng.random() < 0.5} or {rng.choice(spots)}
    return "".join(LEET[c.lower()] if i in chosen else c for i, c in enumerate(word))


def space_letters(word: str, rng: random.Random) -> str:
    """Put a space between every letter ("v e r m i n")."""
    return " ".join(word)


_WORD_METHODS = {
    "swap": swap_letters,
    "drop": drop_letter,
    "repeat": repeat_letter,
    "leet": leetspeak,
    "spaced": space_letters,
}


def obfuscate(text: str, spans: tuple[tuple[int, int], ...], method: str,
              rng: random.Random) -> str:
    """Apply method to the words at spans (start, end) of text; other letters stay put."""
    if method not in METHODS:
        raise ValueError(f"unknown obfuscation {method!r}; use one of {METHODS}")
    # Right to left, so earlier offsets stay valid as lengths change.
    for start, end in sorted(spans, reverse=True):
        if method == "joined":
            text = _join_around(text, start, end)
        else:
            text = text[:start] + _WORD_METHODS[method](text[start:end], rng) + text[end:]
    return text


def _join_around(text: str, start: int, end: int) -> str:
    """Remove the spaces that separate the key word from the words on either side."""
    after = end
    while after < len(text) and text[after] == " ":
        after += 1
    before = start
    while before > 0 and text[before - 1] == " ":
        before -= 1
    # Only join to a neighbouring word, not across punctuation that ends a clause.
    left = text[:before] if before == 0 or text[before - 1].isalnum() else text[:start]
    right = text[after:] if after < len(text) and text[after].isalnum() else text[end:]
    return left + text[start:end] + right
