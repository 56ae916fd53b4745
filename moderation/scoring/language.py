"""Offline language detection, so each comment is scored by a model that reads it.

The rules, measured on held-out comments of every labelled language (docs/MODEL.md):
- a non-Latin script that makes up 30% of the letters decides on its own (zh, ko, ru...);
- fewer than MIN_LETTERS letters, or one word under ONE_WORD_LETTERS letters, has no
  language to tell (None), and a short comment whose every word the English model knows
  whole ("well said") is English unless langid leans SHORT_OTHER_PROBABILITY elsewhere:
  both get English scores;
- otherwise py3langid, restricted to Latin-script CANDIDATES, decides: its top guess
  "en" means English; another guess at MIN_PROBABILITY or more names that language;
- anything else is UNDETERMINED, and never auto-published on English scores.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

UNDETERMINED = "und"  # ISO 639-2's code for "undetermined"
MIN_LETTERS = 4
# One short word ("crud", "yikes", "merci") carries no language langid can tell.
ONE_WORD_LETTERS = 8
MIN_PROBABILITY = 0.5
# A comment this short has too few letters for langid; its words decide instead.
SHORT_LETTERS = 20
SHORT_OTHER_PROBABILITY = 0.4
# Latin-script languages a news site's readers write in; restricting langid to these
# keeps Danish from reading as Norwegian noise and English slang from reading as Hungarian.
CANDIDATES = ("en", "de", "pt", "tr", "da", "fr", "es", "it", "nl", "sv", "no", "pl", "ro",
              "fi", "hu", "cs", "id", "ca", "hr", "tl", "et", "sw")
# Scripts that decide the language on their own, whatever langid says.
SCRIPT_LANGUAGES = {"CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko",
                    "CYRILLIC": "ru", "ARABIC": "ar", "HEBREW": "he", "GREEK": "el",
                    "THAI": "th", "DEVANAGARI": "hi"}
_NOISE = re.compile(r"@\w+|https?://\S+|\bRT\b|#", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")

_identifier = None
_english_words: frozenset[str] | None = None
_lock = threading.Lock()


def _langid():
    """Load py3langid's model once per process, restricted to the candidates."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_modelpath(
                    MODEL_DIR / MODEL_FILE, norm_probs=True
                )
                identifier.set_languages(list(CANDIDATES))
                # set_languages keeps the 97-language model for a later reset, which this
                # process never asks for: restricted is full here, and 27 MB come back.
                identifier._full_model = (identifier.nb_ptc, identifier.nb_pc,
                                          identifier.nb_classes)
                _identifier = identifier
    return _identifier


def english_words() -> frozenset[str]:
    """Return the whole words of the English model's vocabulary (no word pieces)."""
    global _english_words
    if _english_words is None:
        from moderation.scoring.encoder import encoder_path

        lines = (encoder_path() / "vocab.txt").read_text(encoding="utf-8").split("\n")
        _english_words = frozenset(w for w in lines if w.isalpha() and w.isascii())
    return _english_words


# No letter below U+0370 (ASCII, Latin-1, Latin Extended, IPA) belongs to a script above;
# only the letters from there up need their Unicode names looked up.
_ABOVE_LATIN = re.compile("[^\x00-\u036f]+")
_ASCII_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def _script_counts(text: str) -> tuple[dict[str, int], int]:
    """Count letters per non-Latin script language, and all letters."""
    if text.isascii():
        return {}, len(text.encode("ascii").translate(None, _ASCII_NOT_LETTERS))
    counts: dict[str, int] = {}
    letters = sum(map(str.isalpha, text))
    for run in _ABOVE_LATIN.findall(text):
        for char in run:
            if not char.isalpha():
                continue
            name = unicodedata.name(char, "")
            for script, language in SCRIPT_LANGUAGES.items():
                if name.startswith(script):
                    counts[language] = counts.get(language, 0) + 1
                    break
    return counts, letters


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code, None when there is no language to tell, or UNDETERMINED."""
    text = _NOISE.sub(" ", text[:2000])
    counts, letters = _script_counts(text)
    if counts:
        language, count = max(counts.items(), key=lambda item: item[1])
        if count / letters >= 0.3:
            return language
        # A few Chinese characters in romanised filler ("黑龙江jiangjiang...") must not pass
        # as English; only text that langid is sure is English keeps the English label.
        if count >= 2:
            guess, probability = _langid().classify(text)
            return "en" if guess == "en" and probability >= 0.9 else language
    words = [w.lower() for w in _WORD.findall(text)]
    if letters < MIN_LETTERS or (len(words) == 1 and letters < ONE_WORD_LETTERS):
        return None
    guess, probability = _langid().classify(text)
    if letters < SHORT_LETTERS and all(w in english_words() for w in words):
        # Too short for langid to be sure; unless it leans clearly elsewhere ("Du er en
        # idiot"), words the English model knows whole make an English comment.
        return guess if guess != "en" and probability >= SHORT_OTHER_PROBABILITY else "en"
    if guess == "en" or probability >= MIN_PROBABILITY:
        return guess
    return UNDETERMINED
