"""Reader engagement: likes and reports on comments."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from moderation.extensions import db
from moderation.models.types import BigId, utcnow


class Reaction(db.Model):
    """One reader's like of one comment."""

    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("comment_id", "reader_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reader_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FlagReason(enum.Enum):
    """Why a reader reported a comment."""

    abusive = "abusive"
    spam = "spam"
    off_topic = "off_topic"
    other = "other"


class Flag(db.Model):
    """One reader's report of one comment."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("comment_id", "reader_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reader_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[FlagReason] = mapped_column(
        Enum(FlagReason, name="flag_reason", native_enum=False, length=20)
    )
    note: Mapped[str | None] = mapped_column(String(500))
    resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
