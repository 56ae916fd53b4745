"""Moderators' decisions: approve, reject, feature, ban, undo and bulk, each audited once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm.exc import StaleDataError

from moderation.errors import ApiError, Conflict, NotFound
from moderation.extensions import db
from moderation.models import (
    ActorType,
    Article,
    Ban,
    Comment,
    CommentStatus,
    Flag,
    ModerationEvent,
    Moderator,
)
from moderation.models.types import utcnow
from moderation.services.decisions import bump_article, record_event, set_status

# Reasons a moderator may give for a rejection; the first is the default.
REJECT_REASONS = {
    "abusive": "Abusive or insulting",
    "hate": "Hate or identity attack",
    "threat": "Threat of violence",
    "spam": "Spam or advertising",
    "off_topic": "Off topic",
    "personal_info": "Shares personal information",
    "misinformation": "Misinformation",
    "other": "Other",
}
BAN_DAYS = {"1": 1, "7": 7, "30": 30, "forever": None}
ACTIONS = ("approve", "reject", "feature", "ban", "undo")


@dataclass(frozen=True)
class Outcome:
    """What an action did, in words a moderator reads in the status line."""

    comment_id: int
    status: CommentStatus
    version: int
    message: str


def _one_flush(action):
    """Run an action without autoflush, so its changes reach the row in one versioned UPDATE."""

    @functools.wraps(action)
    def wrapper(*args, **kwargs):
        with db.session.no_autoflush:
            return action(*args, **kwargs)

    return wrapper


def _who_decided(comment_id: int) -> str:
    """Return the email of the moderator behind the comment's latest event, or 'the system'."""
    email = db.session.scalar(
        select(Moderator.email)
        .join(ModerationEvent, ModerationEvent.moderator_id == Moderator.id)
        .where(ModerationEvent.comment_id == comment_id)
        .order_by(ModerationEvent.id.desc())
        .limit(1)
    )
    return email or "the system"


def _already_decided(comment_id: int) -> Conflict:
    """Return the conflict a moderator sees when someone else acted first."""
    return Conflict(
        f"Comment {comment_id} was already decided by {_who_decided(comment_id)}; "
        "reload to see its current state.",
        code="already_decided",
    )


def _load(comment_id: int, version: int | None) -> Comment:
    """Return the comment, refusing it when it changed since the moderator saw it."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"No comment {comment_id}.", code="comment_not_found")
    if version is not None and comment.version != version:
        db.session.rollback()
        raise _already_decided(comment_id)
    return comment


def _commit(comment_ids: list[int]) -> None:
    """Commit; a concurrent decision makes the versioned UPDATE miss, and nothing is kept."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise _already_decided(comment_ids[0]) from None


def _resolve_flags(comment: Comment) -> None:
    """Mark readers' reports on the comment as handled; its open-report count drops to 0."""
    handled = db.session.execute(
        update(Flag).where(Flag.comment_id == comment.id, Flag.resolved.is_(False))
        .values(resolved=True)
    ).rowcount
    if handled or comment.flag_count:
        comment.flag_count = 0


def _decide(comment: Comment, status: CommentStatus, reason: str, moderator: Moderator,
            note: str | None = None) -> None:
    """Change the status as a moderator and audit it, inside the current transaction."""
    if comment.status is status and comment.reason == reason:
        raise Conflict(f"Comment {comment.id} is already {status.value}.", code="no_change")
    set_status(comment, status, reason=reason, actor=ActorType.moderator,
               moderator_id=moderator.id, note=note)
    _resolve_flags(comment)


@_one_flush
def approve(comment_id: int, moderator: Moderator, *, version: int | None = None) -> Outcome:
    """Publish a comment."""
    comment = _load(comment_id, version)
    _decide(comment, CommentStatus.published, "approved", moderator)
    _commit([comment_id])
    return Outcome(comment_id, comment.status, comment.version, "Approved.")


@_one_flush
def reject(comment_id: int, moderator: Moderator, *, reason: str = "abusive",
           note: str | None = None, version: int | None = None) -> Outcome:
    """Reject a comment for one of REJECT_REASONS, with an optional note."""
    if reason not in REJECT_REASONS:
        raise ApiError("Pick a reason from the list.", status=422, code="validation_failed",
                       fields={"reason": ["Not a known reason."]})
    comment = _load(comment_id, version)
    _decide(comment, CommentStatus.rejected, reason, moderator, note)
    comment.is_featured = False
    _commit([comment_id])
    return Outcome(comment_id, comment.status, comment.version,
                   f"Rejected: {REJECT_REASONS[reason]}.")


@_one_flush
def feature(comment_id: int, moderator: Moderator, *, version: int | None = None) -> Outcome:
    """Toggle a comment as an editor's pick; featuring an unpublished comment publishes it."""
    comment = _load(comment_id, version)
    if comment.status in (CommentStatus.rejected, CommentStatus.deleted):
        raise Conflict("Approve a rejected comment before featuring it.", code="not_published")
    if comment.status is not CommentStatus.published:
        _decide(comment, CommentStatus.published, "featured", moderator)
        comment.is_featured = True
    else:
        comment.is_featured = not comment.is_featured
        comment.updated_at = utcnow()
        record_event(comment, from_status=comment.status, actor=ActorType.moderator,
                     reason="featured" if comment.is_featured else "unfeatured",
                     moderator_id=moderator.id)
        bump_article(comment.article_id)
    _commit([comment_id])
    message = "Featured as an editor's pick." if comment.is_featured else "No longer featured."
    return Outcome(comment_id, comment.status, comment.version, message)


@_one_flush
def ban_author(comment_id: int, moderator: Moderator, *, days: int | None, match: str = "both",
               note: str | None = None, version: int | None = None) -> Outcome:
    """Ban the comment's author (by email hash, client hash or both) and reject the comment."""
    comment = _load(comment_id, version)
    site_id = db.session.scalar(select(Article.site_id).where(Article.id == comment.article_id))
    email_h = comment.email_hash if match in ("email", "both") else None
    client_h = comment.client_hash if match in ("client", "both") or not email_h else None
    ban = Ban(site_id=site_id, email_hash=email_h, client_hash=client_h, reason=note,
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
        _decide(comment, CommentStatus.rejected, "banned", moderator, ban_note)
    comment.is_featured = False
    _commit([comment_id])
    span = f"for {days} days" if days else "for good"
    return Outcome(comment_id, comment.status, comment.version, f"Author banned {span}.")


def _previous_reason(comment_id: int, before_id: int) -> str:
    """Return the reason of the event before the given one, to restore it on undo."""
    reason = db.session.scalar(
        select(ModerationEvent.reason)
        .where(ModerationEvent.comment_id == comment_id, ModerationEvent.id < before_id)
        .order_by(ModerationEvent.id.desc()).limit(1)
    )
    return reason or "undo"


@_one_flush
def undo(comment_id: int, moderator: Moderator, *, version: int | None = None) -> Outcome:
    """Revert the comment's latest moderator decision, lifting a ban it made."""
    comment = _load(comment_id, version)
    last = db.session.scalar(
        select(ModerationEvent).where(ModerationEvent.comment_id == comment_id)
        .order_by(ModerationEvent.id.desc()).limit(1)
    )
    if last is None or last.actor_type is not ActorType.moderator or last.reason == "undo":
        raise Conflict("There is no moderator decision to undo on this comment.",
                       code="nothing_to_undo")
    if last.reason in ("featured", "unfeatured") and last.from_status is last.to_status:
        comment.is_featured = last.reason == "unfeatured"
        comment.updated_at = utcnow()
        bump_article(comment.article_id)
        record_event(comment, from_status=comment.status, actor=ActorType.moderator,
                     reason="undo", moderator_id=moderator.id, note=f"event:{last.id}")
    else:
        if last.reason == "featured":
            comment.is_featured = False
        if last.note and last.note.startswith("ban:"):
            ban_id = int(last.note.split()[0][4:])
            db.session.execute(update(Ban).where(Ban.id == ban_id).values(lifted_at=utcnow()))
        set_status(comment, last.from_status, reason="undo", actor=ActorType.moderator,
                   moderator_id=moderator.id, note=f"event:{last.id}")
        comment.reason = _previous_reason(comment_id, last.id)
    _commit([comment_id])
    return Outcome(comment_id, comment.status, comment.version,
                   f"Undone: back to {comment.status.value.replace('_', ' ')}.")


def bulk(items: list[tuple[int, int]], action: str, moderator: Moderator, *,
         reason: str = "abusive") -> tuple[int, list[str]]:
    """Approve or reject many comments; return how many changed and the skipped ones' messages."""
    done, skipped = 0, []
    for comment_id, version in items:
        try:
            if action == "approve":
                approve(comment_id, moderator, version=version)
            else:
                reject(comment_id, moderator, reason=reason, version=version)
            done += 1
        except ApiError as exc:
            db.session.rollback()
            skipped.append(exc.message)
    return done, skipped


@_one_flush
def reject_pending_from_author(comment_id: int, moderator: Moderator, *,
                               reason: str = "abusive") -> int:
    """Reject every pending comment on the site by the same author as this comment."""
    if reason not in REJECT_REASONS:
        reason = "abusive"
    comment = _load(comment_id, None)
    site_id = db.session.scalar(select(Article.site_id).where(Article.id == comment.article_id))
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
        _decide(item, CommentStatus.rejected, reason, moderator, "all pending from author")
    _commit([c.id for c in pending] or [comment_id])
    return len(pending)
