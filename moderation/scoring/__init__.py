"""What serves a score: the Scorer protocol, backends, holder, batcher, language detection."""

from moderation.scoring.base import LABELS, Scorer, ScorerUnavailable

__all__ = ["LABELS", "Scorer", "ScorerUnavailable"]
