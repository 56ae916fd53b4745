"""Words run together are split before the English model reads them; names and slurs are not."""

from __future__ import annotations

import pytest

from moderation.scoring.joined import split_joined_words

# The model's whole words, as far as these cases need them.
VOCABULARY = frozenset({
    "i", "hate", "muslims", "women", "are", "inferior", "kill", "all", "immigrants", "you",
    "an", "idiot", "worthless", "deported", "despise", "must", "be", "stupid", "deport",
    "them", "human", "tillers", "colorado", "pecker", "woods",
})


@pytest.mark.parametrize(("text", "expected"), [
    ("ihatemuslims", "i hate muslims"),
    ("I think womenareinferior.", "I think women are inferior."),
    ("killallimmigrants now", "kill all immigrants now"),
    ("Asians areworthless", "Asians are worthless"),
    ("Refugees should bedeported, every one.", "Refugees should be deported, every one."),
    ("#DeportThemAll", "#deport them all"),
    ("#imustbestupid", "#i must be stupid"),
    ("IdespiseWomen.", "i despise women."),
])
def test_phrases_run_together_are_split(text, expected):
    assert split_joined_words(text, VOCABULARY) == expected


@pytest.mark.parametrize("text", [
    "Tillerson is the adult in the room.",  # not "tillers on"
    "many Coloradoan voters",  # not "colorado an"
    "peckerwoods",  # one word, even though both halves are words
    "reply to this, tranny",  # a slur is read by its word pieces, as in training
    "the immagrants",  # a misspelling, not "i mma grants"
    "Zelenskyy and Poroshenko",
    "gaspeople",  # two content words: too often one rare word
])
def test_names_slurs_and_misspellings_stay_as_written(text):
    assert split_joined_words(text, VOCABULARY) == text


@pytest.mark.parametrize("text", [
    "@ihatemuslims said so",
    "see https://example.org/ihatemuslims",
    "mail ihatemuslims@example.org",
])
def test_mentions_links_and_addresses_stay_as_written(text):
    assert split_joined_words(text, VOCABULARY) == text


def test_known_words_and_short_runs_are_left_alone():
    assert split_joined_words("women idiot ihate", VOCABULARY) == "women idiot ihate"


@pytest.mark.parametrize("text", ["", "\ud800 lone surrogate", "日本 ihatemuslims Ελληνικά",
                                  "a" * 100_000, "ihatemuslims" * 10])
def test_odd_input_gets_text_back(text):
    assert isinstance(split_joined_words(text, VOCABULARY), str)


@pytest.mark.model
def test_the_bundled_model_reads_a_run_together_phrase_as_its_words(bundled_scorer):
    joined, spaced = bundled_scorer.score(["Idespisewomen."]), bundled_scorer.score(
        ["i despise women."])
    assert joined == spaced
