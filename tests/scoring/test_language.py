"""Offline language detection used to route comments the model cannot read."""

from __future__ import annotations

import pytest

from moderation.scoring.language import detect_language


@pytest.mark.parametrize("text, language", [
    ("日本人都是坏人，程度不同罢了", "zh"),
    ("Это ужасная статья, автор ничего не понимает", "ru"),
    ("黑龙江jiangjiangjiangjiangjaingjaingjianh", "zh"),
    ("Ceci est un commentaire en français sur l'article du jour", "fr"),
    ("Thanks for the careful reporting on the council budget.", "en"),
    ("I visited 黑龙江 last winter and the reporting here matches what I saw there.", "en"),
])
def test_clear_languages_are_detected(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["lol", "ok!", "+1", "f.u.c.k"])
def test_short_latin_text_has_no_language_rather_than_a_guess(text):
    assert detect_language(text) is None
