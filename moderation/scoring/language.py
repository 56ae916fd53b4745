"""Offline language detection, so comments the model cannot read go to a human."""

from __future__ import annotations

import threading
import unicodedata

_identifier = None
_lock = threading.Lock()

# Below these, langid guesses; short or mixed English slang must not be sent to review.
MIN_CHARS = 20
MIN_PROBABILITY = 0.9
# Scripts that decide the language on their own, whatever langid says.
SCRIPT_LANGUAGES = {"CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko",
                    "CYRILLIC": "ru", "ARABIC": "ar", "HEBREW": "he", "GREEK": "el",
                    "THAI": "th", "DEVANAGARI": "hi"}


def _langid():
    """Load py3langid's model once per process."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_modelpath(
                    MODEL_DIR / MODEL_FILE, norm_probs=True
                )
    return _identifier


def _script_counts(text: str) -> tuple[dict[str, int], int]:
    """Count letters per non-Latin script language, and all letters."""
    counts: dict[str, int] = {}
    letters = 0
    for char in text:
        if not char.isalpha():
            continue
        letters += 1
        name = unicodedata.name(char, "")
        for script, language in SCRIPT_LANGUAGES.items():
            if name.startswith(script):
                counts[language] = counts.get(language, 0) + 1
                break
    return counts, letters


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code when the language is clear, else None."""
    counts, letters = _script_counts(text)
    if counts:
        language, count = max(counts.items(), key=lambda item: item[1])
        if count / letters >= 0.3:
            return language
        # A few Chinese characters in romanised filler ("黑龙江jiangjiang...") must not pass
        # as English; only text that langid is sure is English keeps the English label.
        if count >= 2:
            guess, probability = _langid().classify(text)
            return "en" if guess == "en" and probability >= MIN_PROBABILITY else language
    if len(text.strip()) < MIN_CHARS:
        return None
    language, probability = _langid().classify(text)
    return language if probability >= MIN_PROBABILITY else None
