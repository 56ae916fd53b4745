"""Offline language detection used to pick the model that reads a comment."""

from __future__ import annotations

import pytest

from moderation.scoring.language import UNDETERMINED, detect_language


@pytest.mark.parametrize("text, language", [
    ("日本人都是坏人，程度不同罢了", "zh"),
    ("Это ужасная статья, автор ничего не понимает", "ru"),
    ("黑龙江jiangjiangjiangjiangjaingjaingjianh", "zh"),
    ("이 기사는 정말 좋네요 감사합니다", "ko"),
    ("Ceci est un commentaire en français sur l'article du jour", "fr"),
    ("Der Artikel ist gut recherchiert, vielen Dank an die Redaktion", "de"),
    ("Bu haber çok önemli, herkesin okuması gerekiyor bence", "tr"),
    ("Essa matéria é muito boa, parabéns aos jornalistas pelo trabalho", "pt"),
    ("Thanks for the careful reporting on the council budget.", "en"),
    ("I visited 黑龙江 last winter and the reporting here matches what I saw there.", "en"),
])
def test_clear_languages_are_detected(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["lol", "ok!", "+1", "crud", "👍👍", "   "])
def test_text_too_short_to_tell_has_no_language(text):
    assert detect_language(text) is None


@pytest.mark.parametrize("text", ["Well said!", "f.u.c.k", "You moron", "What a joke"])
def test_short_comments_of_english_words_are_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["vai se foder", "Du er en idiot", "kkkkkk hahaha"])
def test_short_foreign_text_is_never_taken_for_english(text):
    assert detect_language(text) != "en"


def test_unclear_latin_text_is_undetermined_rather_than_english():
    assert detect_language("Lmao true") == UNDETERMINED


@pytest.mark.parametrize("text", ["\ud800 lone surrogate in a sentence", "x" * 100_000,
                                  "mixed Ελληνικά and English and 日本"])
def test_odd_input_gets_an_answer_not_an_error(text):
    detect_language(text)
