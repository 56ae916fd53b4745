"""Banned and suspect word matching: whole words, case, obfuscation, and no Scunthorpe."""

from __future__ import annotations

import pytest

from moderation.policy.words import find_word

WORDS = ["fuck", "shit", "ass", "idiot", "cunt", "kill yourself"]


@pytest.mark.parametrize("text, expected", [
    ("What the FUCK is this", "fuck"),
    ("Fuck.", "fuck"),
    ("f.u.c.k that", "fuck"),
    ("f-u-c-k that", "fuck"),
    ("f u c k that", "fuck"),
    ("f_u_c_k that", "fuck"),
    ("sh1t reporting", "shit"),
    ("$hit reporting", "shit"),
    ("shiiiiit reporting", "shit"),
    ("you 1d10t", "idiot"),
    ("you absolute a$$", "ass"),
    ("(idiot)", "idiot"),
    ("just kill yourself now", "kill yourself"),
    ("just k1ll   y0urself", "kill yourself"),
])
def test_obfuscated_words_are_caught(text, expected):
    assert find_word(text, WORDS) == expected


@pytest.mark.parametrize("text", [
    "Scunthorpe United won again",
    "a classic assassination plot",
    "the passage was assessed",
    "Shiitake mushrooms",
    "hello, this is a fine idea as usual",
    "I skilled myself at chess",
    "Pass the cocktail",
    "",
])
def test_innocent_words_are_not_flagged(text):
    assert find_word(text, WORDS) is None


def test_no_words_means_no_match():
    assert find_word("anything at all", []) is None


def test_listed_word_is_matched_whatever_its_case():
    assert find_word("this is rubbish", ["RuBBish"]) == "RuBBish"
