"""Reader accounts that a site vouches for by SSO, and the per-site secrets that sign them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from moderation.extensions import db
from moderation.models.types import utcnow


class ReaderAccount(db.Model):
    """A reader known to a site by the site's own user id; the email is kept encrypted."""

    __tablename__ = "reader_accounts"
    __table_args__ = (UniqueConstraint("site_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    # The token's `sub` (or `user.id`): the site's own id for this reader.
    external_id: Mapped[str] = mapped_column(String(200))
    username: Mapped[str] = mapped_column(String(80))
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Fernet ciphertext of the address: needed to send reply notifications.
    email_encrypted: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class SsoSecret(db.Model):
    """A site's HS256 signing secret; a rotated one stays valid until expires_at."""

    __tablename__ = "sso_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    secret_encrypted: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column()


class SsoTokenUse(db.Model):
    """A token id already accepted for a site, kept until the token expires (replay guard)."""

    __tablename__ = "sso_token_uses"
    __table_args__ = (UniqueConstraint("site_id", "jti"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    jti: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(index=True)
