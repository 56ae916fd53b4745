"""Moderator accounts for the dashboard."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from moderation.extensions import db
from moderation.models.types import utcnow


class Role(enum.Enum):
    """A moderator decides comments; an admin also manages sites, words and accounts."""

    moderator = "moderator"
    admin = "admin"


class Moderator(UserMixin, db.Model):
    """A person who works the review queue."""

    __tablename__ = "moderators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(Enum(Role, name="role", native_enum=False, length=20))
    # Wellbeing: blur the most severe items until clicked.
    blur_severe: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    @property
    def is_admin(self) -> bool:
        """Tell whether this moderator may manage sites, words and accounts."""
        return self.role is Role.admin

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)


class ModeratorSession(db.Model):
    """One login of a moderator; logging out revokes it, so a copied cookie stops working."""

    __tablename__ = "moderator_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int] = mapped_column(
        ForeignKey("moderators.id", ondelete="CASCADE"), index=True)
    # Only a hash: the token itself lives in the signed session cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
