"""Asking to hear of replies: who may, the links that confirm and end it, what a reply queues."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from moderation.accounts.crypto import decrypt, email_lookup, encrypt, normalise_email
from moderation.errors import ApiError
from moderation.extensions import db
from moderation.models import (
    Comment,
    CommentStatus,
    ModerationEvent,
    ReaderAccount,
    ReplyNotice,
    ReplySubscription,
    Site,
)
from moderation.models.types import utcnow


def _refuse_email(message: str) -> ApiError:
    return ApiError("Some fields are not valid.", status=422, code="validation_failed",
                    fields={"email": [message]})


def check_subscription(data: dict, reader: ReaderAccount | None) -> None:
    """Refuse a request for reply emails that gives no address to send them to."""
    if not data.get("notify_replies"):
        return
    if reader is not None and not reader.email_encrypted:
        raise _refuse_email("The site did not share your email address; it cannot notify you.")
    if reader is None and not data.get("email"):
        raise _refuse_email("Give an email address to hear of replies.")


def subscribe(comment: Comment, site: Site, reader: ReaderAccount | None,
              email: str | None) -> None:
    """Subscribe the author to the comment's thread, inside the caller's transaction."""
    address = decrypt(reader.email_encrypted) if reader is not None else normalise_email(email)
    if not address:
        return
    root_id = comment.root_id or comment.id
    email_h = email_lookup(address)
    existing = db.session.scalar(select(ReplySubscription).where(
        ReplySubscription.root_id == root_id, ReplySubscription.email_hash == email_h))
    # A signed-in reader's address is vouched for by the site; others confirm by email.
    confirmed = utcnow() if reader is not None else None
    if existing is not None:
        existing.confirmed_at = existing.confirmed_at or confirmed
        return
    try:
        with db.session.begin_nested():
            db.session.add(ReplySubscription(
                site_id=site.id, root_id=root_id, reader_id=reader.id if reader else None,
                email_hash=email_h, email_encrypted=encrypt(address), confirmed_at=confirmed))
    except IntegrityError:
        pass  # the same address subscribed to this thread at the same moment


def _confirm_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="reply-confirm")


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="reply-unsubscribe")


def confirm_token(subscription: ReplySubscription) -> str:
    """Return the token of the double opt-in link."""
    return _confirm_serializer().dumps({"s": subscription.id})


def unsubscribe_token(subscription: ReplySubscription) -> str:
    """Return the token of the unsubscribe link; it lasts as long as the subscription."""
    return _unsubscribe_serializer().dumps({"s": subscription.id})


def confirm(token: str) -> bool:
    """Confirm the subscription a link names; False when the link is bad, old or unknown."""
    try:
        data = _confirm_serializer().loads(token,
                                           max_age=current_app.config["NOTIFY_CONFIRM_SECONDS"])
    except (BadSignature, SignatureExpired):
        return False
    subscription = db.session.get(ReplySubscription, data.get("s")) \
        if isinstance(data, dict) else None
    if subscription is None:
        return False
    now = utcnow()
    subscription.confirmed_at = subscription.confirmed_at or now
    # The address is now proven: its other waiting subscriptions on the site, which got no
    # email of their own (one confirmation a day per address), are confirmed with it.
    db.session.execute(update(ReplySubscription).where(
        ReplySubscription.site_id == subscription.site_id,
        ReplySubscription.email_hash == subscription.email_hash,
        ReplySubscription.confirmed_at.is_(None)).values(confirmed_at=now))
    db.session.commit()
    return True


def unsubscribe(token: str) -> bool:
    """Delete the subscription (address and queued notices with it); False for a bad link."""
    try:
        data = _unsubscribe_serializer().loads(token)
    except BadSignature:
        return False
    if not isinstance(data, dict):
        return False
    db.session.execute(delete(ReplySubscription).where(ReplySubscription.id == data.get("s")))
    db.session.commit()
    return True  # gone already is gone all the same


def queue_reply_notices(decisions: list[tuple[Comment, ModerationEvent]]) -> None:
    """Note each reply the decisions just published for the confirmed subscribers of its thread."""
    for comment, event in decisions:
        _queue_reply_notice(comment, event)


def _queue_reply_notice(comment: Comment, event: ModerationEvent) -> None:
    """Note a reply that just became published for each confirmed subscriber of its thread."""
    if (comment.root_id is None or event.to_status is not CommentStatus.published
            or event.from_status is CommentStatus.published):
        return
    query = select(ReplySubscription.id).where(ReplySubscription.root_id == comment.root_id,
                                               ReplySubscription.confirmed_at.is_not(None))
    # Nobody hears of their own replies (reader_id is nullable: NULL is "someone else").
    if comment.email_hash:
        query = query.where(ReplySubscription.email_hash != comment.email_hash)
    if comment.reader_id is not None:
        query = query.where(or_(ReplySubscription.reader_id.is_(None),
                                ReplySubscription.reader_id != comment.reader_id))
    for subscription_id in db.session.scalars(query):
        already = db.session.scalar(select(ReplyNotice.id).where(
            ReplyNotice.subscription_id == subscription_id, ReplyNotice.comment_id == comment.id))
        if already is None:
            db.session.add(ReplyNotice(subscription_id=subscription_id, comment_id=comment.id))
