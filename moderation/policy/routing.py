"""The routing policy: from scores and site rules to published, review or rejected."""

from __future__ import annotations

from dataclasses import dataclass

from moderation.models import CommentStatus
from moderation.policy.languages import unreadable
from moderation.policy.thresholds import Policy
from moderation.scoring.base import LABELS


@dataclass(frozen=True)
class Decision:
    """Where a comment goes and why."""

    status: CommentStatus
    reason: str
    matched_word: str | None = None


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
    language_reason = unreadable(policy, language, model_languages)
    if language_reason:
        return Decision(CommentStatus.pending_review, language_reason)
    if any(scores.get(label, 0.0) >= policy.reject[label] for label in LABELS):
        return Decision(CommentStatus.rejected, "threshold")
    if suspect_word:
        return Decision(CommentStatus.pending_review, "suspect_word", suspect_word)
    if policy.premoderate:
        return Decision(CommentStatus.pending_review, "premoderation")
    if all(scores.get(label, 0.0) < policy.approve[label] for label in LABELS):
        return Decision(CommentStatus.published, "threshold")
    return Decision(CommentStatus.pending_review, "threshold")
