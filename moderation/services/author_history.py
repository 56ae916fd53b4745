"""What the review queue shows about an author: their counts and latest moderator decisions."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from moderation.extensions import db
from moderation.models import Comment, ModerationEvent, Moderator


def author_key(comment: Comment) -> str:
    """Return the identity the author's history is grouped by: email hash, else client hash."""
    return comment.email_hash or comment.client_hash


def _same_author(emails: set[str], clients: set[str]):
    """Return the condition for comments by these authors, each side on its own index."""
    return or_(Comment.email_hash.in_(emails),
               and_(Comment.email_hash.is_(None), Comment.client_hash.in_(clients)))


def author_histories(items: list[Comment]) -> dict[str, dict]:
    """Return per-author status counts and last moderator decisions, in two queries."""
    keys = {author_key(c) for c in items}
    if not keys:
        return {}
    emails = {c.email_hash for c in items if c.email_hash}
    clients = {c.client_hash for c in items if not c.email_hash}
    key = func.coalesce(Comment.email_hash, Comment.client_hash)
    history = {k: {"published": 0, "rejected": 0, "pending_review": 0, "last": []} for k in keys}
    for author, status, count in db.session.execute(
        select(key, Comment.status, func.count()).where(_same_author(emails, clients))
        .group_by(key, Comment.status)
    ):
        if status.value in history[author]:
            history[author][status.value] = count
    ranked = (
        select(key.label("author"), ModerationEvent.to_status, ModerationEvent.reason,
               ModerationEvent.created_at, Moderator.email,
               func.row_number().over(partition_by=key,
                                      order_by=ModerationEvent.id.desc()).label("n"))
        .join(Comment, Comment.id == ModerationEvent.comment_id)
        .outerjoin(Moderator, Moderator.id == ModerationEvent.moderator_id)
        # Only moderators' events carry a moderator; this is ix_moderation_events_decisions's
        # predicate, which PostgreSQL needs to see to read that index.
        .where(_same_author(emails, clients), ModerationEvent.moderator_id.is_not(None))
        .subquery()
    )
    for row in db.session.execute(select(ranked).where(ranked.c.n <= 3).order_by(
            ranked.c.author, ranked.c.n)):
        history[row.author]["last"].append(row)
    return history
