"""Reader engagement: likes and reports, with reports hiding a comment at the site's threshold."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from moderation.errors import Conflict, NotFound
from moderation.extensions import db
from moderation.models import ActorType, Comment, CommentStatus, Flag, FlagReason, Reaction, Site
from moderation.models.site import Article
from moderation.services.decisions import bump_article, set_status
from moderation.webhooks.outbox import queue_event

REPORTED = "reported"


def get_site_comment(site: Site, comment_id: int, *, published: bool = True) -> Comment:
    """Return a comment of this site (published only, unless asked) or raise NotFound."""
    comment = db.session.scalar(
        select(Comment)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.id == comment_id, Article.site_id == site.id)
    )
    if comment is None or (published and comment.status is not CommentStatus.published):
        raise NotFound("No such comment.", code="comment_not_found")
    return comment


def _recount_likes(comment: Comment) -> int:
    """Store the comment's like count from its reactions, in the database, atomically."""
    count = select(func.count(Reaction.id)).where(Reaction.comment_id == comment.id)
    # A plain UPDATE avoids bumping the comment's version, so likes never make an
    # edit or a moderator's decision fail as stale.
    db.session.execute(
        update(Comment).where(Comment.id == comment.id)
        .values(like_count=count.scalar_subquery())
        .execution_options(synchronize_session=False, readers_noted=True)
    )
    bump_article(comment.article_id)
    return db.session.scalar(select(Comment.like_count).where(Comment.id == comment.id))


def like_comment(site: Site, comment_id: int, reader_h: str) -> dict:
    """Record one reader's like of a published comment (idempotent); return the count."""
    comment = get_site_comment(site, comment_id)
    try:
        with db.session.begin_nested():
            db.session.add(Reaction(comment_id=comment.id, reader_hash=reader_h))
    except IntegrityError:
        db.session.rollback()
        likes = db.session.scalar(select(Comment.like_count).where(Comment.id == comment_id))
        return {"id": comment_id, "likes": likes, "liked": True}
    likes = _recount_likes(comment)
    db.session.commit()
    return {"id": comment_id, "likes": likes, "liked": True}


def unlike_comment(site: Site, comment_id: int, reader_h: str) -> dict:
    """Withdraw one reader's like; return the count."""
    comment = get_site_comment(site, comment_id)
    deleted = db.session.execute(
        Reaction.__table__.delete().where(
            Reaction.comment_id == comment.id, Reaction.reader_hash == reader_h
        )
    ).rowcount
    likes = _recount_likes(comment) if deleted else comment.like_count
    db.session.commit()
    return {"id": comment_id, "likes": likes, "liked": False}


def flag_comment(site: Site, comment_id: int, reader_h: str, reason: FlagReason,
                 note: str | None = None) -> dict:
    """Record one reader's report; at the site's threshold the comment is held for review."""
    comment = get_site_comment(site, comment_id)
    try:
        with db.session.begin_nested():
            db.session.add(Flag(comment_id=comment.id, reader_hash=reader_h, reason=reason,
                                note=note))
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("You have already reported this comment.", code="already_reported") from exc
    open_flags = select(func.count(Flag.id)).where(
        Flag.comment_id == comment.id, Flag.resolved.is_(False)
    )
    # Counted in SQL without a version bump, so concurrent reports never collide. Readers
    # never see the count (readers_noted: no public answer changes with it).
    db.session.execute(
        update(Comment).where(Comment.id == comment.id)
        .values(flag_count=open_flags.scalar_subquery())
        .execution_options(synchronize_session=False, readers_noted=True)
    )
    queue_event(comment, "comment.flagged", reason.value)
    db.session.commit()
    count = db.session.scalar(open_flags)
    if count >= max(site.flag_threshold or 1, 1):
        hide_reported(comment.id, count)
    return {"id": comment_id, "reported": True}


def hide_reported(comment_id: int, count: int) -> None:
    """Hold a published comment for review on behalf of its readers' reports."""
    for _attempt in range(3):
        comment = db.session.get(Comment, comment_id, populate_existing=True)
        if comment is None or comment.status is not CommentStatus.published:
            return
        set_status(comment, CommentStatus.pending_review, reason=REPORTED,
                   actor=ActorType.reader, note=f"{count} reader reports")
        try:
            db.session.commit()
            return
        except StaleDataError:
            # Someone decided the comment meanwhile; look again at what it is now.
            db.session.rollback()
