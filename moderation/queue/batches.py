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
from moderation.learning import shadow
from moderation.models import ActorType, Article, Comment, CommentStatus
from moderation.models.types import utcnow
from moderation.policy.languages import language_model
from moderation.policy.routing import Decision
from moderation.policy.verdict import route_scored
from moderation.scoring.base import ScorerUnavailable
from moderation.scoring.language import detect_language
from moderation.services.decisions import AWAITING_SCORE, decision_batch, set_status

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


@dataclass(frozen=True)
class _ToScore:
    """What scoring needs of a comment, read before the transaction ends."""

    id: int
    body: str
    language: str | None
    auto_languages: list[str] | None


def _score(comments: list[_ToScore]) -> tuple[dict[int, tuple[dict, str]], float]:
    """Score comments, each by the model of its language; absent where the scorer failed."""
    started = time.perf_counter()
    scored: dict[int, tuple[dict, str]] = {}
    main = []
    for comment in comments:
        own = language_model(comment.language, comment.auto_languages)
        if own is None:
            main.append(comment)
        else:
            scored[comment.id] = (own.score([comment.body])[0], own.model_id)
    if main:
        try:
            results = scorer.score([c.body for c in main])
            model_id = scorer.get().model_id
            scored.update({c.id: (s, model_id) for c, s in zip(main, results, strict=True)})
        except ScorerUnavailable as exc:
            log.warning("scoring a batch of %d failed, sending it to review: %s", len(main), exc)
    return scored, time.perf_counter() - started


@dataclass
class PreparedBatch:
    """A batch read and its languages detected, then scored, before it is routed."""

    candidates: list[_ToScore]
    result: BatchResult
    by_id: dict[int, tuple[dict, str]] = field(default_factory=dict)


def prepare_batch(comment_ids: list[int]) -> PreparedBatch:
    """Read the given comments that still await a score, outside any write transaction."""
    result = BatchResult()
    ids = sorted({i for i in comment_ids if i > 0})
    if not ids:
        return PreparedBatch([], result)
    candidates = [_ToScore(c.id, c.body, c.language or detect_language(c.body),
                           c.article.site.auto_languages)
                  for c in _awaiting(ids, lock=False)]
    db.session.rollback()
    result.skipped = len(ids) - len(candidates)
    return PreparedBatch(candidates, result)


def score_batch(batch: PreparedBatch) -> None:
    """Score a prepared batch; touches no database, so it may run beside routing."""
    if batch.candidates:
        batch.by_id, batch.result.scoring_seconds = _score(batch.candidates)
        batch.result.scorer_failed = len(batch.by_id) < len(batch.candidates)


def route_batch(batch: PreparedBatch) -> BatchResult:
    """Route a scored batch's still-awaiting comments in one transaction."""
    result, candidates = batch.result, batch.candidates
    if not candidates:
        return result
    for attempt in (1, 2):
        try:
            _route_locked([c.id for c in candidates], batch.by_id, result,
                          {c.id: c.language for c in candidates})
            db.session.commit()
            return result
        except StaleDataError:
            # Another worker routed one of these rows first; read again and skip it.
            db.session.rollback()
            result.routed.clear()
            if attempt == 2:
                raise
    return result


def apply_batch(comment_ids: list[int]) -> BatchResult:
    """Score and route the given comments that still await a score, in one transaction.

    Comments already routed (a redelivered or duplicated entry) are skipped, so a
    comment scored twice is routed once.
    """
    # Score outside the write transaction: no row stays locked while the model runs.
    batch = prepare_batch(comment_ids)
    score_batch(batch)
    return route_batch(batch)


def _route_locked(ids: list[int], by_id: dict, result: BatchResult,
                  languages: dict[int, str | None]) -> None:
    """Route the still-awaiting comments among ids inside the current transaction."""
    sites: dict = {}
    shadow_runs: dict = {}
    now = utcnow()
    with decision_batch():
        for comment in _awaiting(ids, lock=True):
            decision = _route_one(comment, by_id, languages, sites, shadow_runs, now)
            key = (decision.status.value, decision.reason)
            result.routed[key] = result.routed.get(key, 0) + 1


def _route_one(comment: Comment, by_id: dict, languages: dict[int, str | None], sites: dict,
               shadow_runs: dict, now) -> Decision:
    """Store a comment's scores and route it within the batch's transaction; return where."""
    if comment.language is None:
        comment.language = languages.get(comment.id)
    scores, model_id = by_id.get(comment.id, (None, None))
    decision = route_scored(comment, scores, sites)
    if scores is not None:
        comment.scores = scores
        comment.max_score = max(scores.values()) if scores else None
        comment.model_id = model_id
        comment.scored_at = now
    comment.matched_word = decision.matched_word
    set_status(comment, decision.status, reason=decision.reason, actor=ActorType.system)
    shadow.record(comment, decision, comment.article.site_id,
                  comment.article.site.premoderate or comment.article.premoderate,
                  shadow_runs)
    return decision


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
    try:
        with decision_batch():
            for comment in overdue:
                set_status(comment, CommentStatus.pending_review, reason=SCORER_UNAVAILABLE,
                           actor=ActorType.system, note="not scored before the deadline")
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return 0
    return len(overdue)
