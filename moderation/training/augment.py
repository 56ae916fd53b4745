"""Obfuscated-spelling copies of toxic comments (sh1t, b!tch, f.u.c.k)."""

from __future__ import annotations

import random
import re
from collections import Counter

from moderation.training.datasets import Example

_LEET = {"a": "@4", "e": "3", "i": "1!", "o": "0", "s": "$5", "t": "7", "u": "*v", "l": "1"}
_WORD = re.compile(r"[A-Za-z]+")


def toxic_lexicon(examples: list[Example], *, min_count: int = 3) -> set[str]:
    """Return words the raters marked toxic more often than not, from toxic_spans."""
    marked: Counter[str] = Counter()
    for example in examples:
        marked.update(example.meta.get("toxic_words", ()))
    seen: Counter[str] = Counter()
    for example in examples:
        if example.kind == "comment" and example.source == "toxic_spans":
            seen.update(word.lower() for word in _WORD.findall(example.text))
    # A word marked in at least half of the comments it occurs in carries the toxicity itself.
    return {
        word
        for word, count in marked.items()
        if len(word) >= 3 and count >= min_count and count >= 0.5 * seen[word]
    }


def obfuscate_word(word: str, rng: random.Random) -> str:
    """Return word spelled the way people dodge word filters."""
    style = rng.randrange(4)
    if style == 0:
        return ".".join(word)
    if style == 1:
        positions = [i for i, ch in enumerate(word) if ch.lower() in _LEET]
        if not positions:
            return word[0] + "*" * (len(word) - 1)
        i = rng.choice(positions)
        return word[:i] + rng.choice(_LEET[word[i].lower()]) + word[i + 1 :]
    if style == 2:
        return word[0] + "*" * (len(word) - 2) + word[-1]
    return " ".join(word) if len(word) <= 6 else word[:2] + "-" + word[2:]


def obfuscate(text: str, lexicon: set[str], rng: random.Random) -> str | None:
    """Return text with its toxic words obfuscated, or None when it has none."""
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        if match.group(0).lower() in lexicon:
            changed = True
            return obfuscate_word(match.group(0), rng)
        return match.group(0)

    result = _WORD.sub(replace, text)
    return result if changed else None


def misspell(text: str, rng: random.Random) -> str | None:
    """Return text with one or two longer words misspelt or run into the next word."""
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
    if not candidates:
        return None
    for i in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2)))):
        word = words[i]
        if len(word) < 4:  # emptied by running the previous word into it
            continue
        # Running into the next word needs one; the last word gets a letter dropped instead.
        style = rng.randrange(4) if i + 1 < len(words) else rng.randrange(3)
        j = rng.randrange(1, len(word) - 2)
        if style == 0:
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        elif style == 1:
            words[i] = word[:j] + word[j + 1 :]
        elif style == 2:
            words[i] = word[:j] + word[j] * rng.choice((2, 3)) + word[j + 1 :]
        else:
            words[i] = word + words[i + 1]
            words[i + 1] = ""
    return " ".join(word for word in words if word) or None
