"""What the review queue shows about an author: their counts and latest moderator decisions."""

from __future__ import annotations

from sqlalchemy import String, and_, case, cast, func, literal, or_, select

from moderation.extensions import db
from moderation.models import Comment, ModerationEvent, Moderator

READER_PREFIX = "reader:"


def author_key(comment: Comment) -> str:
    """Return what the author's history is grouped by: account, else email hash, else device."""
    if comment.reader_id is not None:
        return f"{READER_PREFIX}{comment.reader_id}"
    return comment.email_hash or comment.client_hash


def matched_on(comment: Comment) -> str:
    """Return, in a moderator's words, what the author's history is matched on."""
    if comment.reader_id is not None:
        return "account"
    return "email" if comment.email_hash else "device"


# The same grouping in SQL: signed-in readers by account, others as before.
_KEY = case((Comment.reader_id.is_not(None),
             literal(READER_PREFIX) + cast(Comment.reader_id, String)),
            else_=func.coalesce(Comment.email_hash, Comment.client_hash))


def same_author(readers: set[int], emails: set[str], clients: set[str]):
    """Return the condition for comments by these authors, each side on its own index."""
    anonymous = Comment.reader_id.is_(None)
    return or_(Comment.reader_id.in_(readers),
               and_(anonymous, Comment.email_hash.in_(emails)),
               and_(anonymous, Comment.email_hash.is_(None), Comment.client_hash.in_(clients)))


def names_per_device(items: list[Comment]) -> dict[str, int]:
    """Return how many author names each item's device (client hash) has posted under."""
    clients = {c.client_hash for c in items}
    if not clients:
        return {}
    return dict(db.session.execute(
        select(Comment.client_hash, func.count(func.distinct(Comment.author_name)))
        .where(Comment.client_hash.in_(clients)).group_by(Comment.client_hash)).all())


def author_histories(items: list[Comment]) -> dict[str, dict]:
    """Return per-author status counts and last moderator decisions, in three queries."""
    keys = {author_key(c) for c in items}
    if not keys:
        return {}
    readers = {c.reader_id for c in items if c.reader_id is not None}
    anonymous = [c for c in items if c.reader_id is None]
    emails = {c.email_hash for c in anonymous if c.email_hash}
    clients = {c.client_hash for c in anonymous if not c.email_hash}
    key = _KEY
    history = {k: {"published": 0, "rejected": 0, "pending_review": 0, "last": [],
                   "device_names": {}} for k in keys}
    devices = names_per_device(items)
    for item in items:
        entry = history[author_key(item)]
        entry["matched_on"] = matched_on(item)
        entry["device_names"][item.client_hash] = devices.get(item.client_hash, 1)
    for author, status, count in db.session.execute(
        select(key, Comment.status, func.count()).where(same_author(readers, emails, clients))
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
        .where(same_author(readers, emails, clients), ModerationEvent.moderator_id.is_not(None))
        .subquery()
    )
    for row in db.session.execute(select(ranked).where(ranked.c.n <= 3).order_by(
            ranked.c.author, ranked.c.n)):
        history[row.author]["last"].append(row)
    return history
