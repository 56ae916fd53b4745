"""Toxicity scoring: the Scorer protocol, the Detoxify backend and the per-process holder."""

from moderation.scoring.base import LABELS, Scorer, ScorerUnavailable

__all__ = ["LABELS", "Scorer", "ScorerUnavailable"]
