"""The audit trail: every change of a comment's status, who made it and why."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.extensions import db
from moderation.models.comment import CommentStatus
from moderation.models.types import BigId, utcnow


class ActorType(enum.Enum):
    """Who decided: the automatic policy, a moderator, or readers' reports."""

    system = "system"
    moderator = "moderator"
    reader = "reader"


class ModerationEvent(db.Model):
    """One decision on one comment."""

    __tablename__ = "moderation_events"
    __table_args__ = (
        Index("ix_moderation_events_comment", "comment_id", "id"),
        Index("ix_moderation_events_moderator", "moderator_id", "created_at"),
        # Authors' last decisions in the queue read only moderators' events, a small share of
        # all events. Covering and partial, PostgreSQL probes it per comment with index-only
        # scans at the default random_page_cost instead of scanning every event. The predicate
        # has no parameter, so generic plans of prepared statements can use it too.
        Index("ix_moderation_events_decisions", "comment_id", "id", "moderator_id", "to_status",
              "reason", "created_at", postgresql_where=text("moderator_id IS NOT NULL"),
              sqlite_where=text("moderator_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    actor_type: Mapped[ActorType] = mapped_column(
        Enum(ActorType, name="actor_type", native_enum=False, length=20)
    )
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    from_status: Mapped[CommentStatus | None] = mapped_column(
        Enum(CommentStatus, name="comment_status", native_enum=False, length=20)
    )
    to_status: Mapped[CommentStatus] = mapped_column(
        Enum(CommentStatus, name="comment_status", native_enum=False, length=20)
    )
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    moderator = relationship("Moderator")
