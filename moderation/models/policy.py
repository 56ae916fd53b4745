"""Per-site policy objects: bans, word lists and API keys."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from moderation.extensions import db
from moderation.models.types import utcnow


class Ban(db.Model):
    """A ban on an author, by reader account, email hash or client hash; None expiry: for good."""

    __tablename__ = "bans"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    client_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    reader_id: Mapped[int | None] = mapped_column(
        ForeignKey("reader_accounts.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime | None] = mapped_column()
    lifted_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WordKind(enum.Enum):
    """Banned words reject at once; suspect words send a comment to review."""

    banned = "banned"
    suspect = "suspect"


class SiteWord(db.Model):
    """One entry of a site's banned or suspect word list."""

    __tablename__ = "site_words"
    __table_args__ = (UniqueConstraint("site_id", "word", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    word: Mapped[str] = mapped_column(String(100))
    kind: Mapped[WordKind] = mapped_column(
        Enum(WordKind, name="word_kind", native_enum=False, length=20)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiKey(db.Model):
    """A per-site key for the scoring API, stored only as a hash."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    name: Mapped[str | None] = mapped_column(String(200))
    quota: Mapped[str] = mapped_column(String(50), default="1/second")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
