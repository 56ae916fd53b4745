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


def _calibration(clean_identity_tail: float):
    """Clean comments mostly score 0 on identity; hate sentences spread over 0.05-0.95."""
    rows = [_row("wikipedia_talk", False, 0.0) for _ in range(900)]
    rows += [_row("wikipedia_talk", False, clean_identity_tail * (i + 1) / 100)
             for i in range(100)]
    rows += [_row("news_raters", True, 0.0, toxicity=0.9) for _ in range(50)]
    rows += [_row("toxigen", True, 0.05 + 0.9 * i / 199, toxicity=0.0) for i in range(200)]
    examples, scores = zip(*rows, strict=True)
    return list(examples), list(scores)


def _hate_published(examples, scores, thresholds) -> float:
    hate = [s for e, s in zip(examples, scores, strict=True) if e.source == "toxigen"]
    return sum(decide(s, thresholds) == APPROVE for s in hate) / len(hate)


def test_identity_threshold_drops_until_few_hate_sentences_publish():
    examples, scores = _calibration(clean_identity_tail=0.04)
    thresholds = choose_thresholds(examples, scores)
    # The clean-only rule (98th percentile) would publish most of this hate.
    assert thresholds["approve"]["identity_attack"] < 0.2
    assert _hate_published(examples, scores, thresholds) <= HATE_PUBLISHED + 0.005


def test_identity_threshold_never_holds_more_than_its_clean_budget():
    # Clean comments that score high on identity: the floor (5% of clean held) wins.
    examples, scores = _calibration(clean_identity_tail=0.9)
    thresholds = choose_thresholds(examples, scores)
    clean = [s["identity_attack"] for e, s in zip(examples, scores, strict=True)
             if e.source == "wikipedia_talk"]
    held = sum(v >= thresholds["approve"]["identity_attack"] for v in clean) / len(clean)
    assert held <= 0.05 + 0.001
    assert _hate_published(examples, scores, thresholds) > HATE_PUBLISHED
