"""The English training sets: documented label mappings, shared splits, balanced epochs."""

from __future__ import annotations

import random

import pytest

from moderation.training.datasets import load_toxic_spans, split_examples, split_of
from moderation.training.further_sets import (
    load_gab,
    load_hatemoji,
    load_identity_templates,
    load_news_subtypes,
    load_stormfront,
    load_toxigen,
    load_wikipedia_context,
)
from moderation.training.sampling import SPLIT_SEED, compose_training_set
from moderation.training.threat_templates import load_templated


@pytest.mark.parametrize("loader, minimum", [
    (load_news_subtypes, 7000), (load_toxigen, 600), (load_stormfront, 10000),
    (load_hatemoji, 5000), (load_gab, 5000), (load_wikipedia_context, 19000),
    (load_identity_templates, 70000),
])
def test_each_set_loads_with_both_classes(data_dir, loader, minimum):
    examples = loader(data_dir)
    assert len(examples) >= minimum
    assert {e.toxic for e in examples} == {True, False}
    assert all(e.text.strip() for e in examples)


def test_news_comments_carry_each_raters_share(data_dir):
    examples = load_news_subtypes(data_dir)
    for example in examples:
        for value in example.targets.values():
            assert value is None or 0.0 <= value <= 1.0
    # Raters disagree on many news comments: the targets keep that, not a forced 1.
    assert any(0.0 < e.targets["toxicity"] < 1.0 for e in examples)


def test_a_news_comment_found_in_two_sets_falls_in_one_split(data_dir):
    spans = {e.text: split_of(e, SPLIT_SEED) for e in load_toxic_spans(data_dir)
             if e.kind == "comment"}
    shared = [e for e in load_news_subtypes(data_dir) if e.text in spans]
    assert len(shared) > 1000
    assert all(split_of(e, SPLIT_SEED) == spans[e.text] for e in shared)


def test_hatemoji_pairs_stay_together(data_dir):
    splits = {}
    for example in load_hatemoji(data_dir):
        splits.setdefault(example.group, set()).add(split_of(example, SPLIT_SEED))
    assert all(len(found) == 1 for found in splits.values())


def test_only_labels_a_set_gives_are_set(data_dir):
    toxigen = load_toxigen(data_dir)
    # ToxiGen says hate or not; it says nothing about profanity or threats.
    assert all(e.targets["obscene"] is None for e in toxigen if e.toxic)
    threats = [e for e in load_hatemoji(data_dir) if e.targets["threat"]]
    assert threats and all(e.meta["type"] == "threateninglanguage" for e in threats)


def test_templated_threats_are_toxic_and_neutral_mentions_are_not():
    examples = load_templated()
    assert {e.kind for e in examples} == {"synthetic"}
    threats = [e for e in examples if e.targets["threat"]]
    neutral = [e for e in examples if not e.toxic]
    assert len(threats) >= 100 and len(neutral) >= 100
    assert load_templated() == examples  # fixed seed


def test_an_epoch_mixes_every_source_without_templates_dominating(data_dir):
    from moderation.training.datasets import load_all

    splits = split_examples(load_all(data_dir), SPLIT_SEED)
    epoch = compose_training_set(splits["train"], random.Random(1))
    sources = {e.source for e in epoch}
    assert {"news_raters", "toxigen", "stormfront", "hatemoji", "gab", "wikipedia_context",
            "identity_templates", "synthetic", "davidson"} <= sources
    synthetic = sum(e.source in ("synthetic", "identity_templates") for e in epoch)
    # The contrast pairs and attack templates raised the templated share to about 19%;
    # rated comments stay 80%+.
    assert synthetic / len(epoch) < 0.20


def test_contrast_templates_pair_each_hateful_frame_with_counter_speech():
    from moderation.training.contrast_templates import load_contrast

    examples = load_contrast()
    hateful = [e for e in examples if e.toxic]
    clean = [e for e in examples if not e.toxic]
    # Balanced, so the frame decides and naming a group or a claim does not.
    assert 0.4 <= len(hateful) / len(examples) <= 0.6
    assert any(e.targets["threat"] == 1.0 for e in hateful)
    assert all(e.targets["identity_attack"] == 0.0 for e in clean)
    assert load_contrast() == examples  # fixed seed


def test_misspelt_copies_change_the_text_but_keep_its_labels():
    from moderation.training.augment import misspell

    rng = random.Random(3)
    text = "deport every single immigrant from this country tomorrow"
    spelt = {misspell(text, rng) for _ in range(20)}
    assert text not in spelt and None not in spelt
    assert all(len(s.split()) >= len(text.split()) - 2 for s in spelt)


def test_attack_templates_pair_each_attack_family_with_harmless_lookalikes():
    from moderation.training.attack_templates import load_attacks

    examples = load_attacks()
    hateful = [e for e in examples if e.toxic]
    clean = [e for e in examples if not e.toxic]
    assert {e.kind for e in examples} == {"attack"}
    assert sum(e.targets["threat"] == 1.0 for e in hateful) >= 400
    # Rebukes of haters and harmless threat-shaped sentences teach that shape is not abuse.
    assert len(clean) >= 300 and all(e.targets["identity_attack"] == 0.0 for e in clean)
    assert any("hate" in e.text for e in clean) and any("hate" in e.text for e in hateful)
    assert load_attacks() == examples  # fixed seed
