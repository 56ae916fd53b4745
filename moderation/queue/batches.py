"""Routing comments scored off the request path: idempotent, so a redelivered batch is harmless."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from moderation.extensions import db, scorer
from moderation.models import ActorType, Article, Comment, CommentStatus
from moderation.models.types import utcnow
from moderation.policy.verdict import route_scored
from moderation.scoring.base import ScorerUnavailable
from moderation.services.comments import AWAITING_SCORE
from moderation.services.decisions import set_status

log = logging.getLogger(__name__)

SCORER_UNAVAILABLE = "scorer_unavailable"


@dataclass
class BatchResult:
    """What one batch did: routed comments by (status, reason), skipped ids, scoring time."""

    routed: dict[tuple[str, str], int] = field(default_factory=dict)
    skipped: int = 0
    scoring_seconds: float = 0.0
    scorer_failed: bool = False


def _awaiting(comment_ids: list[int], *, lock: bool) -> list[Comment]:
    """Return those comments that still wait for a score (locked for update when asked)."""
    query = (
        select(Comment)
        .options(joinedload(Comment.article).joinedload(Article.site))
        .where(Comment.id.in_(comment_ids), Comment.status == CommentStatus.pending_review,
               Comment.reason == AWAITING_SCORE)
        .order_by(Comment.id)
    )
    if lock:
        # Two workers holding the same redelivered batch: the second skips rows the first holds.
        query = query.with_for_update(skip_locked=True, of=Comment)
    return list(db.session.scalars(query).unique())


def _score(texts: list[str]) -> tuple[list[dict] | None, str | None, float]:
    """Score texts in one call; (None, None, seconds) when the scorer fails or hangs."""
    started = time.perf_counter()
    try:
        results = scorer.score(texts)
        return results, scorer.get().model_id, time.perf_counter() - started
    except ScorerUnavailable as exc:
        log.warning("scoring a batch of %d failed, sending it to review: %s", len(texts), exc)
        return None, None, time.perf_counter() - started


def apply_batch(comment_ids: list[int]) -> BatchResult:
    """Score and route the given comments that still await a score, in one transaction.

    Comments already routed (a redelivered or duplicated entry) are skipped, so a
    comment scored twice is routed once.
    """
    result = BatchResult()
    ids = sorted({i for i in comment_ids if i > 0})
    if not ids:
        return result
    # Score outside the write transaction: no row stays locked while the model runs.
    candidates = _awaiting(ids, lock=False)
    texts = {c.id: c.body for c in candidates}
    db.session.rollback()
    result.skipped = len(ids) - len(texts)
    if not texts:
        return result
    scored, model_id, result.scoring_seconds = _score(list(texts.values()))
    result.scorer_failed = scored is None
    by_id = dict(zip(texts, scored, strict=True)) if scored else {}
    for attempt in (1, 2):
        try:
            _route_locked(list(texts), by_id, model_id, result)
            db.session.commit()
            return result
        except StaleDataError:
            # Another worker routed one of these rows first; read again and skip it.
            db.session.rollback()
            result.routed.clear()
            if attempt == 2:
                raise
    return result


def _route_locked(ids: list[int], by_id: dict, model_id: str | None, result: BatchResult) -> None:
    """Route the still-awaiting comments among ids inside the current transaction."""
    words_by_site: dict = {}
    now = utcnow()
    for comment in _awaiting(ids, lock=True):
        scores = by_id.get(comment.id)
        decision = route_scored(comment, scores, words_by_site)
        if scores is not None:
            comment.scores = scores
            comment.max_score = max(scores.values()) if scores else None
            comment.model_id = model_id
            comment.scored_at = now
        comment.matched_word = decision.matched_word
        set_status(comment, decision.status, reason=decision.reason, actor=ActorType.system)
        key = (decision.status.value, decision.reason)
        result.routed[key] = result.routed.get(key, 0) + 1


def stale_awaiting(limit: int = 500) -> list[int]:
    """Return ids of comments waiting for a score longer than the rescue age (entry lost?)."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["QUEUE_RESCUE_SECONDS"])
    ids = list(db.session.scalars(
        select(Comment.id)
        .where(Comment.status == CommentStatus.pending_review, Comment.reason == AWAITING_SCORE,
               Comment.created_at < cutoff)
        .order_by(Comment.id)
        .limit(limit)
    ))
    db.session.rollback()
    return ids


def sweep_overdue(limit: int = 500) -> int:
    """Send comments unscored past the deadline to human review; return how many."""
    deadline = utcnow() - timedelta(seconds=current_app.config["QUEUE_DEADLINE_SECONDS"])
    overdue = list(db.session.scalars(
        select(Comment)
        .where(Comment.status == CommentStatus.pending_review, Comment.reason == AWAITING_SCORE,
               Comment.created_at < deadline)
        .order_by(Comment.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ))
    for comment in overdue:
        set_status(comment, CommentStatus.pending_review, reason=SCORER_UNAVAILABLE,
                   actor=ActorType.system, note="not scored before the deadline")
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return 0
    return len(overdue)
