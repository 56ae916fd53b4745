"""Where imported comments came from: one row per comment brought in from another system."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from moderation.extensions import db
from moderation.models.types import BigId, utcnow


class ImportRecord(db.Model):
    """An imported comment's id in its source; importing it again finds it here and skips it.

    parent_source_id is set only while the comment's parent has not been found (it came later
    in the file, or not at all); a later import that brings the parent links the two.
    """

    __tablename__ = "import_records"
    __table_args__ = (UniqueConstraint("site_id", "source", "source_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    # The format the comment came from: disqus, wordpress, isso, remark42, moderation.
    source: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(200))
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    parent_source_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
