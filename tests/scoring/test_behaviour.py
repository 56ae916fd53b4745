"""Behavioural checks of the bundled model under its recommended thresholds.

Floors sit at what the shipped model reliably does; docs/MODEL.md reports the
full pass rate of every case.
"""

import pytest

from moderation.training.evaluation import APPROVE, REJECT, decide
from tests.scoring.behaviour_cases import BENIGN, IDENTITY_ATTACKS, OBFUSCATED, THREATS

pytestmark = pytest.mark.model

# Share of each set the model must route as the test name says.
FLOORS = {"threats": 0.75, "identity_attacks": 0.75, "obfuscated": 0.875, "benign": 1.0}
THREAT_MISS = pytest.mark.xfail(
    strict=True,
    reason="threat is barely supervised by the training data; the bundled model approves "
    "profanity-free threats (docs/MODEL.md). Remove this mark when a model passes.",
)


def _decisions(scorer, thresholds, texts):
    return [decide(scores, thresholds) for scores in scorer.score(texts)]


def _share(decisions, predicate):
    return sum(map(predicate, decisions)) / len(decisions)


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        pytest.param("threats", THREATS, marks=THREAT_MISS),
        ("identity_attacks", IDENTITY_ATTACKS),
        ("obfuscated", OBFUSCATED),
    ],
)
def test_abuse_without_plain_profanity_is_not_auto_approved(
    bundled_scorer, thresholds, name, texts
):
    decisions = _decisions(bundled_scorer, thresholds, texts)
    missed = [text for text, d in zip(texts, decisions, strict=True) if d == APPROVE]
    assert _share(decisions, lambda d: d != APPROVE) >= FLOORS[name], missed


def test_threats_score_above_the_same_sentence_made_harmless(bundled_scorer):
    """A directional check: the threat words, not the sentence shape, raise the score."""
    pairs = [
        ("I will kill you if you come back here.", "I will call you if you come back here."),
        (
            "Someone should put a bullet in that reporter.",
            "Someone should put a question to that reporter.",
        ),
        (
            "I am going to hurt you and your whole family.",
            "I am going to visit you and your whole family.",
        ),
        ("People like you deserve to be beaten.", "People like you deserve to be thanked."),
    ]
    scores = bundled_scorer.score([text for pair in pairs for text in pair])
    for i, (threat, harmless) in enumerate(pairs):
        assert scores[2 * i]["toxicity"] > scores[2 * i + 1]["toxicity"], (threat, harmless)


def test_benign_uses_of_loaded_words_are_not_rejected(bundled_scorer, thresholds):
    decisions = _decisions(bundled_scorer, thresholds, BENIGN)
    rejected = [text for text, d in zip(BENIGN, decisions, strict=True) if d == REJECT]
    assert _share(decisions, lambda d: d != REJECT) >= FLOORS["benign"], rejected


def test_the_product_holds_every_profanity_free_threat_and_group_attack(
    app_factory, bundled_scorer
):
    """The model misses some of these; the built-in hold phrases send them to a human."""
    from moderation.extensions import scorer
    from moderation.policy.bulk import score_rows

    abuse = THREATS + IDENTITY_ATTACKS
    app = app_factory(MODEL="bundled")  # the bundled model's own thresholds
    scorer.override(app, bundled_scorer)
    with app.app_context():
        rows = score_rows([{"text": text} for text in abuse + BENIGN])
    held, benign = rows[: len(abuse)], rows[len(abuse) :]
    assert [r["text"] for r in held if r["decision"] == "published"] == []
    assert [r["text"] for r in benign if r["decision"] == "rejected"] == []


def test_cold_dev_comments_are_decided_by_the_chinese_model(app_factory, bundled_scorer,
                                                           data_dir):
    """COLD's dev file (no training or threshold saw it): the Chinese model decides, and lets
    at most 15% of offensive comments through while publishing most clean ones."""
    from moderation.extensions import scorer
    from moderation.policy.bulk import score_rows
    from moderation.training.datasets import load_cold

    app = app_factory(MODEL="bundled")
    scorer.override(app, bundled_scorer)
    examples = load_cold(data_dir, "dev.csv")
    with app.app_context():
        rows = score_rows([{"text": e.text} for e in examples], batch_size=64)
    assert len(rows) == len(examples) > 6000
    assert {r["language"] for r in rows} == {"zh"}
    offensive = [r for r, e in zip(rows, examples, strict=True) if e.toxic]
    clean = [r for r, e in zip(rows, examples, strict=True) if not e.toxic]
    published = sum(r["decision"] == "published" for r in offensive) / len(offensive)
    assert published <= 0.15
    assert sum(r["decision"] == "published" for r in clean) / len(clean) >= 0.6
