"""A moderator's actions on a comment: approve, reject, feature, undo and bulk, audited once."""

from __future__ import annotations

from sqlalchemy import select, update

from moderation.errors import ApiError, Conflict
from moderation.extensions import db
from moderation.models import (
    ActorType,
    Ban,
    CommentStatus,
    ModerationEvent,
    Moderator,
)
from moderation.models.types import utcnow
from moderation.services.decisions import (
    Outcome,
    bump_article,
    commit_decision,
    decide_as_moderator,
    load_for_decision,
    one_flush,
    record_event,
    set_status,
)

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
ACTIONS = ("approve", "reject", "feature", "ban", "undo")


@one_flush
def approve(comment_id: int, moderator: Moderator, *, version: int | None = None) -> Outcome:
    """Publish a comment."""
    comment = load_for_decision(comment_id, version)
    decide_as_moderator(comment, CommentStatus.published, "approved", moderator)
    commit_decision([comment_id])
    return Outcome(comment_id, comment.status, comment.version, "Approved.")


@one_flush
def reject(comment_id: int, moderator: Moderator, *, reason: str = "abusive",
           note: str | None = None, version: int | None = None) -> Outcome:
    """Reject a comment for one of REJECT_REASONS, with an optional note."""
    if reason not in REJECT_REASONS:
        raise ApiError("Pick a reason from the list.", status=422, code="validation_failed",
                       fields={"reason": ["Not a known reason."]})
    comment = load_for_decision(comment_id, version)
    decide_as_moderator(comment, CommentStatus.rejected, reason, moderator, note)
    comment.is_featured = False
    commit_decision([comment_id])
    return Outcome(comment_id, comment.status, comment.version,
                   f"Rejected: {REJECT_REASONS[reason]}.")


@one_flush
def feature(comment_id: int, moderator: Moderator, *, version: int | None = None) -> Outcome:
    """Toggle a comment as an editor's pick; featuring an unpublished comment publishes it."""
    comment = load_for_decision(comment_id, version)
    if comment.status in (CommentStatus.rejected, CommentStatus.deleted):
        raise Conflict("Approve a rejected comment before featuring it.", code="not_published")
    if comment.status is not CommentStatus.published:
        decide_as_moderator(comment, CommentStatus.published, "featured", moderator)
        comment.is_featured = True
    else:
        comment.is_featured = not comment.is_featured
        comment.updated_at = utcnow()
        record_event(comment, from_status=comment.status, actor=ActorType.moderator,
                     reason="featured" if comment.is_featured else "unfeatured",
                     moderator_id=moderator.id)
        bump_article(comment.article_id)
    commit_decision([comment_id])
    message = "Featured as an editor's pick." if comment.is_featured else "No longer featured."
    return Outcome(comment_id, comment.status, comment.version, message)


def _previous_reason(comment_id: int, before_id: int) -> str:
    """Return the reason of the event before the given one, to restore it on undo."""
    reason = db.session.scalar(
        select(ModerationEvent.reason)
        .where(ModerationEvent.comment_id == comment_id, ModerationEvent.id < before_id)
        .order_by(ModerationEvent.id.desc()).limit(1)
    )
    return reason or "undo"


@one_flush
def undo(comment_id: int, moderator: Moderator, *, version: int | None = None) -> Outcome:
    """Revert the comment's latest moderator decision, lifting a ban it made."""
    comment = load_for_decision(comment_id, version)
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
    commit_decision([comment_id])
    return Outcome(comment_id, comment.status, comment.version,
                   f"Undone: back to {comment.status.value.replace('_', ' ')}.")


def undo_last(moderator: Moderator) -> Outcome:
    """Undo this moderator's latest action, unless it was an undo or another came after it."""
    last = db.session.scalar(
        select(ModerationEvent).where(ModerationEvent.moderator_id == moderator.id)
        .order_by(ModerationEvent.id.desc()).limit(1))
    if last is None or last.reason == "undo":
        raise Conflict("You have no decision left to undo.", code="nothing_to_undo")
    latest = db.session.scalar(
        select(ModerationEvent).where(ModerationEvent.comment_id == last.comment_id)
        .order_by(ModerationEvent.id.desc()).limit(1))
    if latest.id != last.id:
        who = latest.moderator.email if latest.moderator else "the system"
        raise Conflict(f"Comment {last.comment_id} was changed by {who} after your decision; "
                       "it was not undone.", code="already_decided")
    return undo(last.comment_id, moderator)


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
