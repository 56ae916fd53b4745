"""Choose which labelled rows train the model and which rows evaluate it."""

from __future__ import annotations

import random

from moderation.training.augment import misspell, obfuscate, toxic_lexicon
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
# The further sets, per epoch: forum, adversarial and clean-discussion rows are many and
# unlike news comments, so each is capped; the identity templates are synthetic.
NEWS_RATED = 8000
STORMFRONT_CLEAN = 1500
GAB_CLEAN = 1200
WIKIPEDIA_CONTEXT_CLEAN = 3000
IDENTITY_TEMPLATES = 2500
OBFUSCATED = 2000
# Misspelt and run-together copies of hate-set rows, clean ones too so typos alone mean nothing.
MISSPELT_TOXIC = 1500
MISSPELT_CLEAN = 500
MISSPELT_SOURCES = ("synthetic", "toxigen", "stormfront", "gab", "hatemoji")
# Sets of natural comments whose rare identity-attack rows are repeated.
RATED_COMMENTS = ("davidson", "news_raters", "wikipedia_talk", "conversationai", "jigsaw")
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
    # The rater-share rows of the same news comments replace their all-toxic copies.
    chosen += take(where(lambda e: e.source == "news_raters"), NEWS_RATED)
    chosen += take(where(lambda e: e.kind == "remainder"), NEWS_REMAINDER_SENTENCES)
    chosen += take(where(lambda e: e.kind == "span"), NEWS_SPAN_SENTENCES)
    wikipedia = where(lambda e: e.source in ("wikipedia_talk", "conversationai", "jigsaw"))
    chosen += wikipedia * WIKIPEDIA_REPEATS
    chosen += where(lambda e: e.source in ("toxigen", "synthetic")) * 2
    chosen += where(lambda e: e.source == "hatemoji")
    chosen += where(lambda e: e.source in ("stormfront", "gab", "wikipedia_context") and e.toxic)
    chosen += take(where(lambda e: e.source == "stormfront" and not e.toxic), STORMFRONT_CLEAN)
    chosen += take(where(lambda e: e.source == "gab" and not e.toxic), GAB_CLEAN)
    chosen += take(
        where(lambda e: e.source == "wikipedia_context" and not e.toxic), WIKIPEDIA_CONTEXT_CLEAN
    )
    chosen += take(where(lambda e: e.source == "identity_templates"), IDENTITY_TEMPLATES)
    attacks = [
        e for e in chosen
        if (e.targets["identity_attack"] or 0.0) >= 0.5 and e.source in RATED_COMMENTS
    ]
    chosen += attacks * (IDENTITY_ATTACK_REPEATS - 1)

    lexicon = toxic_lexicon(train)
    toxic = [e for e in chosen if e.toxic and e.source not in ("synthetic", "identity_templates")]
    rng.shuffle(toxic)
    # Counted as they are added: recounting the whole list per row took a minute an epoch.
    obfuscated = sum(e.kind == "obfuscated" for e in chosen)
    for example in toxic:
        if obfuscated >= OBFUSCATED:
            break
        text = obfuscate(example.text, lexicon, rng)
        if text:
            obfuscated += 1
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
    chosen += _misspelt(chosen, rng)
    return chosen


def _misspelt(chosen: list[Example], rng: random.Random) -> list[Example]:
    """Return misspelt copies of hate-set rows: people dodge filters with typos, not only leet."""
    pool = [e for e in chosen if e.source in MISSPELT_SOURCES and e.kind != "obfuscated"]
    copies = []
    for toxic, count in ((True, MISSPELT_TOXIC), (False, MISSPELT_CLEAN)):
        rows = [e for e in pool if e.toxic == toxic]
        for example in rng.sample(rows, min(count, len(rows))):
            text = misspell(example.text, rng)
            if text and text != example.text:
                copies.append(Example(text, example.source, example.group, example.targets,
                                      example.weight, "misspelt"))
    return copies
