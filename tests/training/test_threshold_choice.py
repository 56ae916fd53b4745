"""Threshold choice on the calibration split: the hate-recall rule for identity_attack."""

from moderation.scoring.base import LABELS
from moderation.training.datasets import Example
from moderation.training.evaluation import (
    APPROVE,
    HATE_PUBLISHED,
    choose_thresholds,
    decide,
)


def _row(source: str, toxic: bool, identity: float, toxicity: float = 0.05):
    example = Example(f"{source} {identity} {toxic}", source, "g",
                      {"toxicity": 1.0 if toxic else 0.0})
    scores = dict.fromkeys(LABELS, 0.0)
    scores.update(toxicity=toxicity, identity_attack=identity)
    return example, scores


def _calibration(clean_tail: list[float], hate_from: float = 0.05):
    """Clean comments mostly score 0 on identity, a tail of 100 scores clean_tail; hate
    sentences spread evenly from hate_from to 0.95."""
    rows = [_row("wikipedia_talk", False, 0.0) for _ in range(900)]
    rows += [_row("wikipedia_talk", False, value) for value in clean_tail]
    rows += [_row("news_raters", True, 0.0, toxicity=0.9) for _ in range(50)]
    rows += [_row("toxigen", True, hate_from + (0.95 - hate_from) * i / 199, toxicity=0.0)
             for i in range(200)]
    examples, scores = zip(*rows, strict=True)
    return list(examples), list(scores)


def _hate_published(examples, scores, thresholds) -> float:
    hate = [s for e, s in zip(examples, scores, strict=True) if e.source == "toxigen"]
    return sum(decide(s, thresholds) == APPROVE for s in hate) / len(hate)


def test_identity_threshold_drops_until_few_hate_sentences_publish():
    # 95th percentile of clean scores 0.1, 98th about 0.58: the clean-only rule (98th)
    # would publish over half of this hate.
    tail = [0.1 * (i + 1) / 50 for i in range(50)] + [0.1 + 0.8 * (i + 1) / 50 for i in range(50)]
    examples, scores = _calibration(tail, hate_from=0.1)
    thresholds = choose_thresholds(examples, scores)
    assert thresholds["approve"]["identity_attack"] < 0.2
    assert _hate_published(examples, scores, thresholds) <= HATE_PUBLISHED + 0.005


def test_identity_threshold_never_holds_more_than_its_clean_budget():
    # Clean comments that score high on identity: the floor (5% of clean held) wins.
    examples, scores = _calibration([0.9 * (i + 1) / 100 for i in range(100)])
    thresholds = choose_thresholds(examples, scores)
    clean = [s["identity_attack"] for e, s in zip(examples, scores, strict=True)
             if e.source == "wikipedia_talk"]
    held = sum(v >= thresholds["approve"]["identity_attack"] for v in clean) / len(clean)
    assert held <= 0.05 + 0.001
    assert _hate_published(examples, scores, thresholds) > HATE_PUBLISHED
