"""The routing policy: from scores and site rules to published, review or rejected."""

from __future__ import annotations

from dataclasses import dataclass

from moderation.models import CommentStatus
from moderation.scoring.base import LABELS

# Used when neither the model nor the settings give thresholds; threat and
# identity attacks are held and rejected at lower scores than plain rudeness.
DEFAULT_APPROVE = {
    "toxicity": 0.40,
    "severe_toxicity": 0.30,
    "obscene": 0.45,
    "threat": 0.25,
    "insult": 0.40,
    "identity_attack": 0.25,
}
DEFAULT_REJECT = {
    "toxicity": 0.92,
    "severe_toxicity": 0.80,
    "obscene": 0.95,
    "threat": 0.70,
    "insult": 0.92,
    "identity_attack": 0.70,
}


@dataclass(frozen=True)
class Decision:
    """Where a comment goes and why."""

    status: CommentStatus
    reason: str
    matched_word: str | None = None


@dataclass(frozen=True)
class Policy:
    """A site's effective thresholds and switches."""

    approve: dict[str, float]
    reject: dict[str, float]
    premoderate: bool = False
    language_check: bool = True


def build_policy(layers: list[dict | None], *, premoderate: bool, language_check: bool) -> Policy:
    """Merge threshold layers ({"approve": {...}, "reject": {...}}), later ones winning."""
    approve, reject = dict(DEFAULT_APPROVE), dict(DEFAULT_REJECT)
    for layer in layers:
        if layer:
            approve.update(layer.get("approve") or {})
            reject.update(layer.get("reject") or {})
    return Policy(approve=approve, reject=reject, premoderate=premoderate,
                  language_check=language_check)


def route(policy: Policy, scores: dict[str, float] | None, *, banned: bool = False,
          banned_word: str | None = None, suspect_word: str | None = None,
          language: str | None = None, model_languages: frozenset[str] = frozenset({"en"})
          ) -> Decision:
    """Decide a comment's status; without scores it can only wait for a human."""
    if banned:
        return Decision(CommentStatus.rejected, "banned")
    if banned_word:
        return Decision(CommentStatus.rejected, "banned_word", banned_word)
    if scores is None:
        return Decision(CommentStatus.pending_review, "scorer_unavailable")
    # The model's scores mean little in a language it cannot read, so a human decides.
    if policy.language_check and language is not None and language not in model_languages:
        return Decision(CommentStatus.pending_review, "language_unsupported")
    if any(scores.get(label, 0.0) >= policy.reject[label] for label in LABELS):
        return Decision(CommentStatus.rejected, "threshold")
    if suspect_word:
        return Decision(CommentStatus.pending_review, "suspect_word", suspect_word)
    if policy.premoderate:
        return Decision(CommentStatus.pending_review, "premoderation")
    if all(scores.get(label, 0.0) < policy.approve[label] for label in LABELS):
        return Decision(CommentStatus.published, "threshold")
    return Decision(CommentStatus.pending_review, "threshold")
