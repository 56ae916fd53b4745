"""Status changes of comments: counters, revisions and the audit event, together."""

from __future__ import annotations

from sqlalchemy import update

from moderation.extensions import db
from moderation.models import ActorType, Article, Comment, CommentStatus, ModerationEvent
from moderation.models.types import utcnow


def bump_article(article_id: int, published_delta: int = 0) -> None:
    """Adjust an article's published count and revision in the database, atomically."""
    values = {"revision": Article.revision + 1}
    if published_delta:
        values["published_count"] = Article.published_count + published_delta
    db.session.execute(update(Article).where(Article.id == article_id).values(**values))


def record_event(comment: Comment, *, from_status: CommentStatus | None, actor: ActorType,
                 reason: str, moderator_id: int | None = None, note: str | None = None
                 ) -> ModerationEvent:
    """Add the audit event for a decision to the current transaction."""
    event = ModerationEvent(
        comment_id=comment.id,
        actor_type=actor,
        moderator_id=moderator_id,
        from_status=from_status,
        to_status=comment.status,
        reason=reason,
        note=note,
    )
    db.session.add(event)
    return event


def set_status(comment: Comment, status: CommentStatus, *, reason: str, actor: ActorType,
               moderator_id: int | None = None, note: str | None = None) -> ModerationEvent:
    """Change a comment's status inside the caller's transaction, keeping counts and audit."""
    old = comment.status
    comment.status = status
    comment.reason = reason
    comment.updated_at = utcnow()
    delta = int(status is CommentStatus.published) - int(old is CommentStatus.published)
    bump_article(comment.article_id, delta)
    return record_event(comment, from_status=old, actor=actor, reason=reason,
                        moderator_id=moderator_id, note=note)


def decision_labels(event: ModerationEvent) -> tuple[str, str, str]:
    """Return the metric labels of a recorded decision: status, reason and actor."""
    return event.to_status.value, event.reason or "", event.actor_type.value
