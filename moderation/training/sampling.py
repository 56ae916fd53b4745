"""Choose which labelled rows train the model and which rows evaluate it."""

from __future__ import annotations

import random

from moderation.training.augment import obfuscate, toxic_lexicon
from moderation.training.datasets import Example

SPLIT_SEED = 2026  # fixed apart from the training seed, so every run reports on the same rows
# Examples per source and class in one epoch; balances tweets, news and Wikipedia.
DAVIDSON_OFFENSIVE = 3000
NEWS_SPAN_SENTENCES = 2000
NEWS_REMAINDER_SENTENCES = 4000
WIKIPEDIA_REPEATS = 2
# Attacks on a group are rare and often carry no rude word; repeating the rows raters
# marked as identity attacks keeps the model from learning them only through slurs.
IDENTITY_ATTACK_REPEATS = 3
CHINESE = 1000
OBFUSCATED = 2000
EVALUATION_CAP = 800  # rows per source and kind in calibration and test; keeps scoring short


def cap_rows(examples: list[Example], cap: int = EVALUATION_CAP) -> list[Example]:
    """Return at most cap examples per source, kind and class, chosen with the split seed."""
    groups: dict[tuple, list[Example]] = {}
    for example in examples:
        key = (example.source, example.kind, str(example.meta.get("class", "")))
        groups.setdefault(key, []).append(example)
    rng = random.Random(SPLIT_SEED)
    capped = []
    for key in sorted(groups):
        rows = groups[key]
        capped += rows if len(rows) <= cap else rng.sample(rows, cap)
    return capped


def compose_training_set(train: list[Example], rng: random.Random) -> list[Example]:
    """Return one epoch's balanced, augmented training examples."""

    def take(items: list[Example], count: int) -> list[Example]:
        return rng.sample(items, min(count, len(items)))

    def where(predicate) -> list[Example]:
        return [e for e in train if predicate(e)]

    chosen = where(lambda e: e.source == "davidson" and e.meta["class"] != 1)
    chosen += take(
        where(lambda e: e.source == "davidson" and e.meta["class"] == 1), DAVIDSON_OFFENSIVE
    )
    chosen += where(lambda e: e.source == "toxic_spans" and e.kind == "comment")
    chosen += take(where(lambda e: e.kind == "remainder"), NEWS_REMAINDER_SENTENCES)
    chosen += take(where(lambda e: e.kind == "span"), NEWS_SPAN_SENTENCES)
    wikipedia = where(lambda e: e.source in ("wikipedia_talk", "conversationai", "jigsaw"))
    chosen += wikipedia * WIKIPEDIA_REPEATS
    chosen += take(where(lambda e: e.source == "cold"), CHINESE)
    attacks = [e for e in chosen if (e.targets["identity_attack"] or 0.0) >= 0.5]
    chosen += attacks * (IDENTITY_ATTACK_REPEATS - 1)

    lexicon = toxic_lexicon(train)
    toxic = [e for e in chosen if e.toxic and e.source != "cold"]
    rng.shuffle(toxic)
    for example in toxic:
        if sum(e.kind == "obfuscated" for e in chosen) >= OBFUSCATED:
            break
        text = obfuscate(example.text, lexicon, rng)
        if text:
            chosen.append(
                Example(
                    text,
                    example.source,
                    example.group,
                    example.targets,
                    example.weight,
                    "obfuscated",
                )
            )
    return chosen
