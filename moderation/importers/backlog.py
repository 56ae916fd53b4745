"""Backlog scoring of imported comments (`import --score`): the model's second opinion.

Imported comments keep the state they had in their source. Scoring them afterwards only
ever takes a published comment down to review (reason imported_rescored), never the
reverse: a human decides the rest. The backlog runs in the command's own process, in
batches on the model's batch path at a lower CPU priority, so the serving processes keep
the model and the processor to themselves first; it is resumable (scored comments are not
scored again).
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from moderation.extensions import db, scorer
from moderation.models import ActorType, Article, Comment, CommentStatus, ImportRecord, WordKind
from moderation.models.types import utcnow
from moderation.policy.languages import language_model, readable_languages, unreadable
from moderation.policy.phrases import find_hold_phrase
from moderation.policy.routing import route
from moderation.policy.site_rules import site_words
from moderation.policy.thresholds import site_policy
from moderation.policy.words import find_word
from moderation.scoring.language import detect_language
from moderation.services.decisions import set_status

RESCORED = "imported_rescored"
# The model reads what a live comment could hold at most; archives have longer ones.
SCORED_CHARS = 5000
# Comments per second below which a backlog model call counts as hung (a loaded machine
# scores ten times as many).
MIN_RATE = 5


@dataclass
class BacklogResult:
    """What the backlog did."""

    scored: int = 0
    moved_to_review: int = 0
    left_unread: int = 0
    seconds: float = 0.0
    scoring_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.scored / self.seconds if self.seconds else 0.0


def lower_priority() -> None:
    """Run the rest of this process at a lower CPU priority (serving processes come first)."""
    nice = int(current_app.config.get("IMPORT_SCORE_NICE") or 0)
    if nice > 0 and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)


def _waiting(site_id: int, source: str, after: int, limit: int) -> list[tuple[int, str]]:
    return list(db.session.execute(
        select(Comment.id, func.substr(Comment.body, 1, SCORED_CHARS))
        .join(ImportRecord, ImportRecord.comment_id == Comment.id)
        .where(ImportRecord.site_id == site_id, ImportRecord.source == source,
               Comment.status == CommentStatus.published, Comment.scored_at.is_(None),
               Comment.id > after)
        .order_by(Comment.id).limit(limit)
    ).all())


def score_backlog(site, source: str, *, batch_size: int | None = None,
                  progress=None) -> BacklogResult:
    """Score the site's published, unscored comments imported from source; return counts."""
    config = current_app.config
    batch_size = batch_size or config["IMPORT_SCORE_BATCH_SIZE"]
    # A live call's deadline is for one comment; a backlog call scores a whole batch.
    timeout = max(60.0, config["SCORER_TIMEOUT_SECONDS"], batch_size / MIN_RATE)
    result = BacklogResult()
    started = time.perf_counter()
    words = site_words(site.id)
    after = 0
    while True:
        rows = _waiting(site.id, source, after, batch_size)
        db.session.rollback()
        if not rows:
            break
        after = rows[-1][0]
        languages = {cid: detect_language(body) for cid, body in rows}
        own = {cid: language_model(languages[cid], site.auto_languages) for cid, _ in rows}
        scored: dict[int, tuple[dict, str]] = {}
        main = [(cid, body) for cid, body in rows if own[cid] is None]
        began = time.perf_counter()
        if main:
            results = scorer.score([body for _, body in main], timeout=timeout)
            model_id = scorer.get().model_id
            scored.update({cid: (s, model_id) for (cid, _), s in zip(main, results, strict=True)})
        for cid, body in rows:
            model = own[cid]
            if model is not None:
                scored[cid] = (model.score([body])[0], model.model_id)
        result.scoring_seconds += time.perf_counter() - began
        for attempt in (1, 2):
            try:
                _route(site, words, rows, languages, own, scored, result)
                db.session.commit()
                break
            except StaleDataError:
                db.session.rollback()  # a moderator acted meanwhile: read the rows again
                if attempt == 2:
                    raise
        if progress is not None:
            progress(result)
    result.seconds = time.perf_counter() - started
    return result


def _route(site, words, rows, languages, own, scored, result: BacklogResult) -> None:
    ids = [cid for cid, _ in rows]
    comments = db.session.scalars(
        select(Comment).options(joinedload(Comment.article).joinedload(Article.site))
        .where(Comment.id.in_(ids), Comment.status == CommentStatus.published,
               Comment.scored_at.is_(None))
        .order_by(Comment.id).with_for_update(skip_locked=True, of=Comment)
    ).unique().all()
    now = utcnow()
    for comment in comments:
        language = languages[comment.id]
        model = own[comment.id]
        comment.language = language
        # An archive is judged by the model, not by the site's premoderation.
        policy = replace(site_policy(site, None, model.thresholds if model else None),
                         premoderate=False)
        readable = readable_languages(model)
        if unreadable(policy, language, readable):
            result.left_unread += 1  # no model reads it: a published comment stays so
            continue
        scores, model_id = scored[comment.id]
        text = f"{comment.author_name} {comment.body}"
        decision = route(policy, scores,
                         banned_word=find_word(text, words[WordKind.banned]),
                         suspect_word=find_word(text, words[WordKind.suspect])
                         or find_hold_phrase(comment.body),
                         language=language, model_languages=readable)
        comment.scores = scores
        comment.max_score = max(scores.values()) if scores else None
        comment.model_id = model_id
        comment.scored_at = now
        result.scored += 1
        if decision.status is not CommentStatus.published:
            comment.matched_word = decision.matched_word
            set_status(comment, CommentStatus.pending_review, reason=RESCORED,
                       actor=ActorType.system, note=f"backlog scoring: {decision.reason}")
            result.moved_to_review += 1
