"""Split words run together ("ihatemuslims", "#DeportThemAll") before the English model reads them.

The model's word-piece vocabulary cuts a run-together phrase into fragments it never
learned to read ("ih", "##ate", "##mus", ...), so hate typed without spaces, and hashtags,
scored as if they were noise. Only the text the model reads changes; the stored comment
does not.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache

# Letters only: digits, apostrophes and mixed scripts are left alone, and so are
# @mentions and the insides of links and addresses.
_RUN = re.compile(r"(?<![@\w./-])[A-Za-z]{6,40}(?![\w@])")
_CAMEL = re.compile(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])")
# English's closed-class words: the glue a run-together phrase is made of ("are" + "worthless").
FUNCTION_WORDS = frozenset({
    "i", "a", "an", "the", "this", "that", "these", "those", "am", "is", "are", "was",
    "were", "be", "been", "being", "do", "does", "did", "have", "has", "had", "will",
    "would", "shall", "should", "can", "could", "may", "might", "must", "not", "no", "to",
    "of", "in", "on", "at", "by", "for", "with", "from", "as", "like", "but", "and", "or",
    "so", "if", "than", "then", "all", "every", "some", "any", "me", "my", "you", "your",
    "he", "him", "his", "she", "her", "it", "its", "we", "us", "our", "they", "them",
    "their", "who", "what", "why", "how", "when", "where",
})
# A content word is at least this long; shorter pieces ("tr an ny", "i mma grants") mean a
# misspelt or rare word was cut up, not words run together.
MIN_CONTENT_LETTERS = 4


def load_splitter() -> None:
    """Load the splitter's word list now (about half a second), not on first use."""
    import wordninja  # noqa: F401


def _in_dictionary(word: str) -> bool:
    """Tell whether the splitter's English word list holds word."""
    import wordninja

    return word in wordninja.DEFAULT_LANGUAGE_MODEL._wordcost


def _reads_as_words(pieces: list[str], vocabulary: Container[str]) -> bool:
    """Tell whether pieces read as a phrase: glue words and whole content words.

    Names and rare words split into a word and a short ending ("tillers on", "colorado
    an", "pecker woods") are what a frequency splitter gets wrong, so a phrase never ends
    in a glue word of one or two letters, and two pieces must be a glue word followed by a
    word the model knows whole ("are worthless").
    """
    content = [p for p in pieces if p not in FUNCTION_WORDS]
    if len(pieces) < 2 or not content:
        return False
    if pieces[-1] in FUNCTION_WORDS and len(pieces[-1]) <= 2:
        return False
    if len(pieces) == 2:
        return pieces[0] in FUNCTION_WORDS and pieces[1] in vocabulary and \
            len(pieces[1]) >= MIN_CONTENT_LETTERS
    return all(len(p) >= MIN_CONTENT_LETTERS and (p in vocabulary or _in_dictionary(p))
               for p in content)


def _readings(run: str):
    """Yield the ways to read a run as words: by its capitals, then by word frequency."""
    import wordninja

    camel = [piece.lower() for piece in _CAMEL.findall(run)]
    if len(camel) > 1 and "".join(camel) == run.lower():
        yield camel
    yield wordninja.split(run.lower())


def split_joined_words(text: str, vocabulary: frozenset[str]) -> str:
    """Return text with each run-together phrase the model does not know split into words.

    A run is split only when the model's vocabulary lacks it as a whole word and its
    pieces read as a phrase (see _reads_as_words); otherwise it is left as written.
    """
    return _RUN.sub(lambda match: _split_run(match.group(0), vocabulary), text)


# Runs repeat (names, hashtags, the same misspellings), and a split costs a pass of the
# splitter's dynamic programme; the vocabulary is one frozen set per model.
@lru_cache(maxsize=50_000)
def _split_run(run: str, vocabulary: Container[str]) -> str:
    """Return one run as words when its pieces read as a phrase, else as written."""
    if run.lower() in vocabulary:
        return run
    for pieces in _readings(run):
        if _reads_as_words(pieces, vocabulary):
            return " ".join(pieces)
    return run
