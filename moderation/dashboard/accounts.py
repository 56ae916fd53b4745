"""Moderator accounts: creating them, changing their role, their display choices."""

from __future__ import annotations

from sqlalchemy import select

from moderation.auth import revoke_sessions
from moderation.errors import Conflict, NotFound
from moderation.extensions import db
from moderation.models import Moderator, Role


def create_moderator(email: str, password: str, role: Role) -> Moderator:
    """Create a dashboard account."""
    email = email.strip().lower()
    if db.session.scalar(select(Moderator.id).where(Moderator.email == email)):
        raise Conflict(f"{email} already has an account.", code="moderator_exists")
    moderator = Moderator(email=email, role=role)
    moderator.set_password(password)
    db.session.add(moderator)
    db.session.commit()
    return moderator


def update_moderator(moderator_id: int, *, role: Role, active: bool, acting_id: int) -> Moderator:
    """Change an account's role or switch it off; admins cannot lock themselves out."""
    moderator = db.session.get(Moderator, moderator_id)
    if moderator is None:
        raise NotFound("No such moderator.", code="moderator_not_found")
    if moderator_id == acting_id and (role is not Role.admin or not active):
        raise Conflict("You cannot remove your own admin rights.", code="own_account")
    moderator.role = role
    moderator.active = active
    if not active:
        revoke_sessions(moderator.id)
    db.session.commit()
    return moderator


def set_blur(moderator: Moderator, blur: bool) -> None:
    """Save a moderator's choice to blur the most severe items."""
    moderator.blur_severe = blur
    db.session.commit()
