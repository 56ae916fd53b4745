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


def _dominant_script(text: str) -> str | None:
    """Return the language of the dominant non-Latin script, if letters are mostly in one."""
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
    if not letters or not counts:
        return None
    language, count = max(counts.items(), key=lambda item: item[1])
    return language if count / letters >= 0.3 else None


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code when the language is clear, else None."""
    by_script = _dominant_script(text)
    if by_script:
        return by_script
    if len(text.strip()) < MIN_CHARS:
        return None
    language, probability = _langid().classify(text)
    return language if probability >= MIN_PROBABILITY else None
