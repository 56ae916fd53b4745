"""A reader's own edits and deletions, within the edit window, re-moderated like new posts."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from moderation.errors import Conflict, NotFound
from moderation.extensions import db
from moderation.models import ActorType, Article, Comment, CommentStatus, ModerationEvent, Site
from moderation.models.types import utcnow
from moderation.policy.site_rules import is_banned
from moderation.policy.verdict import route_comment
from moderation.services.decisions import AWAITING_SCORE, bump_article, set_status

EDITED = "author_edited"
DELETED = "author_deleted"


def own_comment(site: Site, comment_id: int) -> Comment:
    """Return the site's comment that its author may still change, or raise."""
    comment = db.session.scalar(
        select(Comment).join(Article, Article.id == Comment.article_id)
        .where(Comment.id == comment_id, Article.site_id == site.id)
    )
    if comment is None:
        raise NotFound("No such comment.", code="comment_not_found")
    # Once readers' reports or a moderator have decided, the author cannot undo it.
    decided = db.session.scalar(
        select(ModerationEvent.id).where(
            ModerationEvent.comment_id == comment.id,
            ModerationEvent.actor_type != ActorType.system,
        ).limit(1)
    )
    if decided or comment.status in (CommentStatus.deleted, CommentStatus.rejected):
        raise Conflict("This comment can no longer be changed.", code="comment_locked")
    return comment


def _commit_or_conflict() -> None:
    """Commit, answering 409 when a moderator changed the comment meanwhile."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise Conflict("This comment changed meanwhile; reload and try again.",
                       code="comment_changed") from exc


def edit_comment(site: Site, comment_id: int, body: str) -> Comment:
    """Replace a comment's body and run it through the moderation pipeline again."""
    comment = own_comment(site, comment_id)
    article = db.session.get(Article, comment.article_id)
    banned = is_banned(site, comment.email_hash, comment.client_hash, comment.reader_id)
    queued = current_app.config["SCORING"] == "queue" and not banned
    if queued:
        status, reason, scores, model_id = CommentStatus.pending_review, AWAITING_SCORE, None, None
        matched = None
    else:
        decision, scores, model_id, _language = route_comment(
            site, article, body, f"{comment.author_name} {body}", banned=banned
        )
        status, reason, matched = decision.status, decision.reason, decision.matched_word
    was_published = comment.status is CommentStatus.published
    comment.body = body
    comment.scores = scores
    comment.max_score = max(scores.values()) if scores else None
    comment.model_id = model_id
    comment.matched_word = matched
    comment.scored_at = utcnow() if scores else None
    if status is comment.status:
        comment.reason = reason
        comment.updated_at = utcnow()
        if was_published:
            bump_article(comment.article_id)  # the new body is reader-visible
    else:
        set_status(comment, status, reason=reason, actor=ActorType.system, note=EDITED)
    _commit_or_conflict()
    if queued:
        current_app.extensions["moderation.queue"].enqueue([comment.id])
    return comment


def delete_comment(site: Site, comment_id: int) -> Comment:
    """Withdraw a comment at its author's request; the audit trail keeps the event."""
    comment = own_comment(site, comment_id)
    set_status(comment, CommentStatus.deleted, reason=DELETED, actor=ActorType.reader)
    _commit_or_conflict()
    return comment
