"""Calibration's fit and its safety rails, on synthetic decisions (no model, no database)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np

from moderation.learning import calibration
from moderation.learning.calibration import Targets, calibrate, moderator_weights, usable
from moderation.learning.decisions import LabelledDecision
from moderation.scoring.base import LABELS

CURRENT = {"approve": {label: 0.5 for label in LABELS}, "reject": {label: 0.95 for label in LABELS}}


def decision(number: int, insult: float, rejected: bool, who: str, language="en",
             model_id="m") -> LabelledDecision:
    scores = {label: 0.01 for label in LABELS} | {"insult": insult, "toxicity": insult * 0.8}
    at = datetime(2026, 1, 1) + timedelta(minutes=number)
    return LabelledDecision("comment", number, at, at, "rejected" if rejected else "approved",
                            "abusive" if rejected else "approved", who, scores, model_id, language)


def strict_site(n: int = 600, people=("a", "b", "c"), seed: int = 1) -> list[LabelledDecision]:
    """Return decisions of moderators who reject insults scored from about 0.2, below 0.5."""
    rng = random.Random(seed)
    rows = []
    for number in range(n):
        insult = rng.random() ** 6
        # Their line is 0.2; near it they disagree among themselves now and then.
        rejected = insult > 0.2 if insult > 0.5 or rng.random() > 0.1 else insult <= 0.2
        rows.append(decision(number, insult, rejected, people[number % len(people)]))
    return rows


def test_calibration_moves_the_approve_threshold_to_the_moderators_line():
    result = calibrate(strict_site(), CURRENT, Targets(0.05, 0.3))
    assert result.refusal is None
    assert min(result.proposed["approve"]["insult"], result.proposed["approve"]["toxicity"]) < 0.5
    assert result.newer["proposed"].missed < result.newer["current"].missed
    assert result.newer["proposed"].review <= 0.3
    assert result.curve and all(0 <= r <= 1 and 0 <= m <= 1 for r, m in result.curve)


def test_too_few_decisions_are_told_how_many_more_they_need():
    result = calibrate(strict_site(150), CURRENT, Targets())
    assert result.refusal.startswith("150 usable decisions")
    assert f"{calibration.MIN_DECISIONS - 150} more" in result.refusal
    assert result.proposed == {}


def test_one_moderator_alone_cannot_move_a_threshold():
    result = calibrate(strict_site(people=("only",)), CURRENT, Targets())
    assert "3 different people" in result.refusal


def test_no_moderator_weighs_more_than_the_cap():
    weights = moderator_weights(["a"] * 80 + ["b"] * 10 + ["c"] * 10)
    share_a = weights[:80].sum() / weights.sum()
    assert abs(share_a - calibration.MAX_MODERATOR_SHARE) < 1e-9
    assert np.all(weights[80:] == 1.0)


def test_reject_threshold_moves_down_only_as_far_as_rejections_support():
    rows = strict_site(900, seed=3)
    result = calibrate(rows, CURRENT, Targets(0.05, 0.3))
    lowest = result.proposed["reject"]["insult"]
    older = rows[: int(len(rows) * calibration.FIT_SHARE)]
    above = [row for row in older if row.scores["insult"] >= lowest]
    assert lowest < 0.95
    assert len(above) >= calibration.REJECT_SUPPORT
    assert sum(row.rejected for row in above) / len(above) >= calibration.REJECT_PRECISION
    # Labels with no rejections to support a move keep their reject threshold.
    assert result.proposed["reject"]["threat"] == 0.95


def test_reject_threshold_stays_when_only_one_person_rejected_above_it():
    rows = [decision(n, 0.9 if n % 3 == 0 else 0.05, n % 3 == 0,
                     "a" if n % 3 == 0 else "bc"[n % 2]) for n in range(600)]
    result = calibrate(rows, CURRENT, Targets(0.05, 0.3))
    assert result.refusal is None
    assert result.proposed["reject"]["insult"] == 0.95


def test_only_decisions_the_main_model_scored_in_a_language_it_reads_are_used():
    rows = [decision(1, 0.1, False, "a"), decision(2, 0.1, False, "a", language="de"),
            decision(3, 0.1, False, "a", model_id="ngrams-tr-1"), decision(4, 0.1, False, "a",
                                                                          language=None)]
    kept = usable(rows, "m", frozenset({"en"}))
    assert [row.item_id for row in kept] == [1, 4]


def test_comments_a_phrase_held_count_as_review_whatever_the_thresholds():
    scores = np.full((4, len(LABELS)), 0.01)
    data = calibration.Slice(scores=scores, rejected=np.zeros(4, bool), weight=np.ones(4),
                             deciders=["a", "b", "c", "d"],
                             held=np.array([True, False, False, False]))
    approve, reject = np.full(len(LABELS), 0.5), np.full(len(LABELS), 0.9)
    outcome = calibration.measure(data, approve, reject)
    assert outcome.review == 0.25 and outcome.auto_published == 0.75
