"""Acting on an author: banning them, or rejecting everything they have waiting."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select

from moderation.extensions import db
from moderation.models import ActorType, Article, Ban, Comment, CommentStatus, Moderator
from moderation.models.types import utcnow
from moderation.services.actions import REJECT_REASONS
from moderation.services.decisions import (
    Outcome,
    commit_decision,
    decide_as_moderator,
    load_for_decision,
    one_flush,
    record_event,
)

BAN_DAYS = {"1": 1, "7": 7, "30": 30, "forever": None}


@one_flush
def ban_author(comment_id: int, moderator: Moderator, *, days: int | None, match: str = "both",
               note: str | None = None, version: int | None = None) -> Outcome:
    """Ban the comment's author (by account, email hash, client hash) and reject the comment."""
    comment = load_for_decision(comment_id, version)
    site_id = db.session.scalar(select(Article.site_id).where(Article.id == comment.article_id))
    # A signed-in author is banned by account whatever else is chosen: it follows them
    # to every device and address.
    reader_id = comment.reader_id
    email_h = comment.email_hash if match in ("email", "both") else None
    client_h = (comment.client_hash if match in ("client", "both")
                or not (email_h or reader_id) else None)
    ban = Ban(site_id=site_id, email_hash=email_h, client_hash=client_h, reader_id=reader_id,
              reason=note,
              expires_at=utcnow() + timedelta(days=days) if days else None,
              created_by_id=moderator.id)
    db.session.add(ban)
    db.session.flush()
    ban_note = f"ban:{ban.id}" + (f" {note}" if note else "")
    if comment.status is CommentStatus.rejected:
        record_event(comment, from_status=comment.status, actor=ActorType.moderator,
                     reason="banned", moderator_id=moderator.id, note=ban_note)
        comment.reason = "banned"
    else:
        decide_as_moderator(comment, CommentStatus.rejected, "banned", moderator, ban_note)
    comment.is_featured = False
    commit_decision([comment_id])
    span = f"for {days} days" if days else "for good"
    return Outcome(comment_id, comment.status, comment.version, f"Author banned {span}.")


@one_flush
def reject_pending_from_author(comment_id: int, moderator: Moderator, *,
                               reason: str = "abusive") -> int:
    """Reject every pending comment on the site by the same author as this comment."""
    if reason not in REJECT_REASONS:
        reason = "abusive"
    comment = load_for_decision(comment_id, None)
    site_id = db.session.scalar(select(Article.site_id).where(Article.id == comment.article_id))
    if comment.reader_id is not None:
        # Signed in: the account is the author; the shared network is not.
        same_author = [Comment.reader_id == comment.reader_id]
    else:
        same_author = [Comment.client_hash == comment.client_hash]
        if comment.email_hash:
            same_author.append(Comment.email_hash == comment.email_hash)
    pending = db.session.scalars(
        select(Comment).join(Article, Article.id == Comment.article_id)
        .where(Article.site_id == site_id, Comment.status == CommentStatus.pending_review,
               or_(*same_author))
        .order_by(Comment.id)
    ).all()
    for item in pending:
        decide_as_moderator(item, CommentStatus.rejected, reason, moderator,
                            "all pending from author")
    commit_decision([c.id for c in pending] or [comment_id])
    return len(pending)
