"""Each spelling trick on its own: deterministic for a seed, and only where asked."""

from __future__ import annotations

import random

import pytest

from moderation.functional_suite.obfuscate import METHODS, obfuscate

TEXT = "Refugees are vermin, everyone says."
VERMIN = (13, 19)


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_result_and_the_rest_untouched(method):
    first = obfuscate(TEXT, (VERMIN,), method, random.Random(7))
    assert first == obfuscate(TEXT, (VERMIN,), method, random.Random(7))
    assert first != TEXT
    assert first.startswith("Refugees are") or method == "joined"
    assert first.endswith(", everyone says.")


def test_spaced_and_joined_spell_it_out_and_run_it_together():
    rng = random.Random(1)
    assert obfuscate(TEXT, (VERMIN,), "spaced", rng) == "Refugees are v e r m i n, everyone says."
    assert obfuscate(TEXT, (VERMIN,), "joined", rng) == "Refugees arevermin, everyone says."


def test_several_key_words_are_all_changed():
    text = "We hate them and despise them."
    out = obfuscate(text, ((3, 7), (17, 24)), "spaced", random.Random(0))
    assert out == "We h a t e them and d e s p i s e them."


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown obfuscation"):
        obfuscate(TEXT, (VERMIN,), "rot13", random.Random(0))
