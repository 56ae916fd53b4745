"""Metrics per source, routing rates and threshold choice for the toxicity model."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from moderation.scoring.base import LABELS
from moderation.training.datasets import Example

# scikit-learn and profanity-check load inside the functions: only training and the
# benchmarks measure, and the serving image need not install them.
APPROVE, REVIEW, REJECT = "approve", "review", "reject"
# Labels where a miss hurts most: they get stricter thresholds.
STRICT_LABELS = ("threat", "identity_attack")
CLEAN_TOXICITY_HOLD = 0.07
# Hate about groups rarely carries a rude word, so toxicity lets it through; identity_attack
# spends up to this share of clean comments on keeping hate sentences out of auto-publish.
CLEAN_IDENTITY_HOLD = 0.05
HATE_PUBLISHED = 0.06
# Sentence-level hate sets: implicit, forum, Gab and adversarial hate about groups.
HATE_SOURCES = ("toxigen", "stormfront", "gab", "hatemoji")
# Clean rows that look like what readers post: forum, adversarial and templated rows are not.
NATURAL_COMMENTS = ("davidson", "news_raters", "wikipedia_talk", "conversationai", "jigsaw",
                    "wikipedia_context")


def decide(scores: dict[str, float], thresholds: dict) -> str:
    """Return approve, review or reject for one comment's scores."""
    if any(scores[label] >= thresholds["reject"][label] for label in LABELS):
        return REJECT
    if all(scores[label] < thresholds["approve"][label] for label in LABELS):
        return APPROVE
    return REVIEW


def _auc(labels: list[int], values: list[float]) -> float | None:
    from sklearn.metrics import roc_auc_score

    if len(set(labels)) < 2:
        return None
    return round(float(roc_auc_score(labels, values)), 4)


def choose_thresholds(
    examples: list[Example], scores: list[dict[str, float]], *, news_recall: float = 0.93
) -> dict:
    """Choose approve/reject thresholds per label on the calibration split only.

    toxicity's approve threshold keeps at least ``news_recall`` of toxic news comments
    out of auto-approval and may hold up to CLEAN_TOXICITY_HOLD of clean comments; the
    other labels may flag only 1-2% of clean comments each. Reject needs near-certainty.
    """
    clean = [
        s for e, s in zip(examples, scores, strict=True)
        if e.kind == "comment" and not e.toxic and e.source in NATURAL_COMMENTS
    ]
    news = [
        s["toxicity"]
        for e, s in zip(examples, scores, strict=True)
        if e.source == "news_raters" and e.toxic
    ]
    approve, reject = {}, {}
    for label in LABELS:
        values = np.array([s[label] for s in clean])
        strict = label in STRICT_LABELS
        if label == "toxicity":
            # Spend the clean-comment review budget on recall: hold up to ~7% of clean
            # comments on toxicity, but never let more than 1 - news_recall of toxic
            # news comments through.
            by_news = float(np.quantile(news, 1 - news_recall)) if news else 0.5
            approve[label] = min(by_news, float(np.quantile(values, 1 - CLEAN_TOXICITY_HOLD)))
        else:
            approve[label] = float(np.quantile(values, 0.98 if strict else 0.99))
        reject[label] = float(np.quantile(values, 0.995 if strict else 0.998))
        # Floors keep a weakly trained head from rejecting on a whisper.
        reject[label] = max(reject[label], 0.6 if strict else 0.75, approve[label] + 0.05)
        approve[label] = min(max(approve[label], 0.02), reject[label])
    approve["identity_attack"] = _identity_for_hate_recall(
        examples, scores, approve, reject, clean_floor=float(np.quantile(
            [s["identity_attack"] for s in clean], 1 - CLEAN_IDENTITY_HOLD)))
    return {
        "approve": {k: round(v, 4) for k, v in approve.items()},
        "reject": {k: round(v, 4) for k, v in reject.items()},
    }


def _identity_for_hate_recall(examples, scores, approve, reject, *, clean_floor: float) -> float:
    """Lower identity_attack's approve threshold until few hate sentences are auto-published.

    Returns the highest value at which at most HATE_PUBLISHED of the calibration hate
    sentences would be published under the other labels' thresholds, never below the
    score that holds CLEAN_IDENTITY_HOLD of clean comments on identity_attack alone.
    """
    current = approve["identity_attack"]
    hate = [s for e, s in zip(examples, scores, strict=True)
            if e.source in HATE_SOURCES and e.toxic]
    if not hate or clean_floor >= current:
        return current
    others = {label: v for label, v in approve.items() if label != "identity_attack"}
    # Hate rows another label already holds cannot be published whatever identity says.
    free = sorted(s["identity_attack"] for s in hate
                  if all(s[label] < v for label, v in others.items()))
    allowed = int(HATE_PUBLISHED * len(hate))
    # Published rows are those scoring below the threshold: the (allowed+1)-th lowest
    # free score is the highest threshold that publishes at most `allowed` of them.
    wanted = free[allowed] if allowed < len(free) else current
    return float(min(current, max(wanted, clean_floor), reject["identity_attack"]))


def _share(decisions: list[str], wanted: tuple[str, ...]) -> float | None:
    if not decisions:
        return None
    return round(sum(d in wanted for d in decisions) / len(decisions), 4)


def evaluate(
    examples: list[Example],
    scores: list[dict[str, float]],
    thresholds: dict,
    baseline: Callable[[list[str]], list[float]] | None = None,
) -> dict:
    """Return ROC-AUC of the max label per source, plus routing rates under thresholds."""
    top = [max(s.values()) for s in scores]
    decisions = [decide(s, thresholds) for s in scores]
    lexical = baseline([e.text for e in examples]) if baseline else None

    def pick(predicate):
        return [i for i, e in enumerate(examples) if predicate(e)]

    sets = {
        "tweets": pick(lambda e: e.source == "davidson"),
        "tweets_hate_vs_neither": pick(
            lambda e: e.source == "davidson" and e.meta["class"] in (0, 2)
        ),
        "wikipedia": pick(lambda e: e.source == "wikipedia_talk"),
        "wikipedia_subtypes": pick(lambda e: e.source in ("conversationai", "jigsaw")),
        "news_sentences": pick(lambda e: e.source == "toxic_spans" and e.kind != "comment"),
        "news_comments": pick(lambda e: e.source == "news_raters"),
        "wikipedia_context": pick(lambda e: e.source == "wikipedia_context"),
        "implicit_hate": pick(lambda e: e.source == "toxigen"),
        "forum_hate": pick(lambda e: e.source == "stormfront"),
        "gab": pick(lambda e: e.source == "gab"),
        "adversarial_hate": pick(lambda e: e.source == "hatemoji"),
    }
    metrics: dict = {"auc": {}, "auc_alt_profanity_check": {}, "rows": {}, "positives": {}}
    for name, index in sets.items():
        labels = [int(examples[i].toxic) for i in index]
        metrics["rows"][name] = len(index)
        metrics["positives"][name] = sum(labels)
        metrics["auc"][name] = _auc(labels, [top[i] for i in index])
        if lexical is not None:
            metrics["auc_alt_profanity_check"][name] = _auc(labels, [lexical[i] for i in index])
    for label in LABELS[1:]:
        index = [i for i, e in enumerate(examples) if e.targets.get(label) is not None]
        labels = [int(examples[i].targets[label] >= 0.5) for i in index]
        metrics["auc"][f"label_{label}"] = _auc(labels, [scores[i][label] for i in index])
        metrics["rows"][f"label_{label}_positives"] = sum(labels)
        metrics["positives"][f"label_{label}"] = sum(labels)

    def decided(predicate):
        return [decisions[i] for i in pick(predicate)]

    metrics["routing"] = {
        "toxic_news_review_or_reject": _share(
            decided(lambda e: e.source == "toxic_spans" and e.kind == "comment"), (REVIEW, REJECT)
        ),
        "clean_wikipedia_held": _share(
            decided(lambda e: e.source == "wikipedia_talk" and not e.toxic), (REVIEW, REJECT)
        ),
        "clean_wikipedia_rejected": _share(
            decided(lambda e: e.source == "wikipedia_talk" and not e.toxic), (REJECT,)
        ),
        "toxic_wikipedia_review_or_reject": _share(
            decided(lambda e: e.source == "wikipedia_talk" and e.toxic), (REVIEW, REJECT)
        ),
        "davidson_neither_held": _share(
            decided(lambda e: e.source == "davidson" and e.meta["class"] == 2), (REVIEW, REJECT)
        ),
        "davidson_neither_rejected": _share(
            decided(lambda e: e.source == "davidson" and e.meta["class"] == 2), (REJECT,)
        ),
        "davidson_hate_review_or_reject": _share(
            decided(lambda e: e.source == "davidson" and e.meta["class"] == 0), (REVIEW, REJECT)
        ),
        "toxic_news_comments_published": _share(
            decided(lambda e: e.source == "news_raters" and e.toxic), (APPROVE,)
        ),
        "clean_news_comments_held": _share(
            decided(lambda e: e.source == "news_raters" and not e.toxic), (REVIEW, REJECT)
        ),
        "clean_discussion_held": _share(
            decided(lambda e: e.source == "wikipedia_context" and not e.toxic), (REVIEW, REJECT)
        ),
        "hate_published": _share(
            decided(lambda e: e.source in ("toxigen", "stormfront", "hatemoji") and e.toxic),
            (APPROVE,),
        ),
    }
    return metrics


def profanity_baseline(texts: list[str]) -> list[float]:
    """Return alt-profanity-check probabilities, the lexical reference."""
    from profanity_check import predict_prob

    return [float(p) for p in predict_prob(texts)]
