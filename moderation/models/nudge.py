"""Before-posting nudges: a count of the drafts the model would have held or rejected."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from moderation.extensions import db
from moderation.models.types import BigId, utcnow


class Nudge(db.Model):
    """One author told before posting; the draft itself is not kept (it was never posted)."""

    __tablename__ = "nudges"
    __table_args__ = (Index("ix_nudges_site_created", "site_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
