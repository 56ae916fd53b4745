"""Reader comments and their moderation status."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.extensions import db
from moderation.models.site import Article
from moderation.models.types import BigId, utcnow


class CommentStatus(enum.Enum):
    """Where a comment stands; only published comments are shown to readers."""

    published = "published"
    pending_review = "pending_review"
    rejected = "rejected"
    deleted = "deleted"


class Comment(db.Model):
    """A reader's comment, its scores and the reason for its current status."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_thread", "article_id", "status", "created_at", "id"),
        Index("ix_comments_queue", "status", "created_at", "id"),
        Index("ix_comments_risk", "status", "max_score", "id"),
        # Editors' picks and sort=top on large threads read these instead of the whole thread.
        Index("ix_comments_featured", "article_id", "is_featured", "status", "created_at"),
        Index("ix_comments_top", "article_id", "status", "like_count", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    # The top-level comment of the thread; None for a top-level comment itself.
    root_id: Mapped[int | None] = mapped_column(BigId, index=True)
    author_name: Mapped[str] = mapped_column(String(80))
    author_email: Mapped[str | None] = mapped_column(String(320))
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # The site's signed-in reader who wrote it; None for anonymous comments.
    reader_id: Mapped[int | None] = mapped_column(
        ForeignKey("reader_accounts.id", ondelete="SET NULL"), index=True)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        Enum(CommentStatus, name="comment_status", native_enum=False, length=20)
    )
    scores: Mapped[dict | None] = mapped_column(JSON)
    max_score: Mapped[float | None] = mapped_column()
    model_id: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(40))
    matched_word: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(8))
    is_featured: Mapped[bool] = mapped_column(default=False)
    like_count: Mapped[int] = mapped_column(default=0)
    flag_count: Mapped[int] = mapped_column(default=0)
    # Optimistic concurrency: an update that finds another version changes nothing.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    scored_at: Mapped[datetime | None] = mapped_column()
    # After a before-posting nudge: the draft the author was nudged on, and whether they
    # "revised" it or sent it "as_is" (None when no nudge was shown).
    draft_body: Mapped[str | None] = mapped_column(Text)
    nudge_outcome: Mapped[str | None] = mapped_column(String(10))

    article: Mapped[Article] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}
