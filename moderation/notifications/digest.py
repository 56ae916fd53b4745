"""The worker's email pass: double opt-in links, then at most one digest per thread per hour."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from moderation.accounts.crypto import decrypt
from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, ReplyNotice, ReplySubscription
from moderation.models.types import utcnow
from moderation.notifications import mailer
from moderation.notifications.subscriptions import confirm_token, unsubscribe_token

log = logging.getLogger(__name__)


def _link(path: str, token: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/notifications/{path}?token={token}"


def _thread(subscription: ReplySubscription) -> tuple[Comment, Article]:
    root = db.session.get(Comment, subscription.root_id)
    return root, db.session.get(Article, root.article_id)


def send_confirmation(subscription: ReplySubscription, address: str) -> None:
    """Email the link that confirms an anonymous reader's subscription."""
    _root, article = _thread(subscription)
    title = article.title or article.external_id
    text = (f"You asked to be told by email of replies to your comment on “{title}”.\n\n"
            "Confirm here (the link works for a week):\n"
            f"{_link('confirm', confirm_token(subscription))}\n\n"
            "If you did not ask for this, ignore this email: nothing will be sent.\n")
    mailer.send(mailer.build_message(address, f"Confirm reply notifications: {title}", text))


def send_digest(subscription: ReplySubscription, address: str, replies: list[Comment]) -> None:
    """Email the published replies waiting for one subscription, with one-click unsubscribe."""
    _root, article = _thread(subscription)
    title = article.title or article.external_id
    unsubscribe = _link("unsubscribe", unsubscribe_token(subscription))
    parts = [f"New {'reply' if len(replies) == 1 else 'replies'} in the discussion of “{title}”:"]
    for reply in replies:
        parts.append(f"{reply.author_name} wrote:\n{reply.body}")
    if article.url:
        parts.append(f"Read the discussion: {article.url}#mcw-c{replies[-1].id}")
    parts.append(f"Stop these emails: {unsubscribe}")
    headers = {"List-Unsubscribe": f"<{unsubscribe}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    mailer.send(mailer.build_message(address, f"New replies: {title}", "\n\n".join(parts) + "\n",
                                     headers))


def _confirmation_sent_lately(subscription: ReplySubscription) -> bool:
    """Tell whether this address was sent a confirmation within the interval.

    Anyone may type any address into the form: one confirmation a day per address keeps the
    service from being used to flood a stranger's inbox. Confirming it confirms every
    subscription the address asked for on the site.
    """
    since = utcnow() - timedelta(seconds=current_app.config["NOTIFY_CONFIRM_INTERVAL_SECONDS"])
    return db.session.scalar(select(ReplySubscription.id).where(
        ReplySubscription.email_hash == subscription.email_hash,
        ReplySubscription.id != subscription.id,
        ReplySubscription.confirm_sent_at >= since).limit(1)) is not None


def _send_confirmations(limit: int) -> int:
    sent = 0
    waiting = db.session.scalars(select(ReplySubscription).where(
        ReplySubscription.confirmed_at.is_(None), ReplySubscription.confirm_sent_at.is_(None))
        .order_by(ReplySubscription.id).limit(limit).with_for_update(skip_locked=True)).all()
    for subscription in waiting:
        address = decrypt(subscription.email_encrypted)
        if address and not _confirmation_sent_lately(subscription):
            send_confirmation(subscription, address)
            sent += 1
        subscription.confirm_sent_at = utcnow()
        db.session.commit()
    db.session.commit()
    return sent


def _send_digests(now: datetime, limit: int) -> int:
    quiet_since = now - timedelta(seconds=current_app.config["NOTIFY_DIGEST_SECONDS"])
    due = db.session.scalars(
        select(ReplySubscription)
        .where(ReplySubscription.confirmed_at.is_not(None),
               ReplySubscription.id.in_(select(ReplyNotice.subscription_id)
                                        .where(ReplyNotice.sent_at.is_(None))),
               (ReplySubscription.last_sent_at.is_(None))
               | (ReplySubscription.last_sent_at <= quiet_since))
        .order_by(ReplySubscription.id).limit(limit).with_for_update(skip_locked=True)).all()
    sent = 0
    for subscription in due:
        notices = db.session.scalars(select(ReplyNotice).where(
            ReplyNotice.subscription_id == subscription.id, ReplyNotice.sent_at.is_(None))
            .order_by(ReplyNotice.id)).all()
        # A reply hidden or rejected since it was published is not told.
        replies = [c for c in (db.session.get(Comment, n.comment_id) for n in notices)
                   if c is not None and c.status is CommentStatus.published]
        address = decrypt(subscription.email_encrypted)
        if replies and address:
            send_digest(subscription, address, replies)
            subscription.last_sent_at = now
            sent += 1
        for notice in notices:
            notice.sent_at = now
        db.session.commit()
    db.session.commit()
    return sent


def send_due_emails(now: datetime | None = None, limit: int = 100) -> int:
    """Send what is due now: confirmations, then digests; return how many emails went out."""
    now = now or utcnow()
    try:
        return _send_confirmations(limit) + _send_digests(now, limit)
    except (smtplib.SMTPException, OSError) as exc:
        # What failed stays unsent (uncommitted) and is tried on the next pass.
        db.session.rollback()
        log.warning("sending notification emails failed, will retry: %s", exc)
        return 0
