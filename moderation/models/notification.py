"""Readers' requests to hear of replies, and the replies waiting for the next digest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from moderation.extensions import db
from moderation.models.types import BigId, utcnow


class ReplySubscription(db.Model):
    """One address that asked to hear of published replies in one thread."""

    __tablename__ = "reply_subscriptions"
    __table_args__ = (UniqueConstraint("root_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    # The thread: its top-level comment.
    root_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reader_id: Mapped[int | None] = mapped_column(
        ForeignKey("reader_accounts.id", ondelete="CASCADE"), index=True)
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    email_encrypted: Mapped[str] = mapped_column(Text)
    # Signed-in readers are confirmed at once; anonymous ones by the link emailed to them.
    confirmed_at: Mapped[datetime | None] = mapped_column()
    confirm_sent_at: Mapped[datetime | None] = mapped_column()
    last_sent_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReplyNotice(db.Model):
    """A published reply not yet told to one subscription."""

    __tablename__ = "reply_notices"
    __table_args__ = (UniqueConstraint("subscription_id", "comment_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("reply_subscriptions.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(Text)
