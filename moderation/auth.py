"""Moderator sign-in: the Flask-Login user loader, password checks, sessions and role guards."""

from __future__ import annotations

import functools
import hashlib
import secrets

from flask import Flask, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from moderation.errors import ApiError
from moderation.extensions import db, login_manager
from moderation.models import Moderator, ModeratorSession
from moderation.models.types import utcnow

SESSION_KEY = "moderator_session"


@functools.cache
def _dummy_hash() -> str:
    """Return a hash to check when the email is unknown, so both failures cost the same."""
    return generate_password_hash("not-a-real-password", method="scrypt")


def init_app(app: Flask) -> None:
    """Tell Flask-Login how to load moderators and where to send anonymous visitors."""
    login_manager.login_view = "dashboard.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_moderator)
    login_manager.unauthorized_handler(unauthorized)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def load_moderator(user_id: str) -> Moderator | None:
    """Return the active moderator with this id whose session is still live, for Flask-Login."""
    token = session.get(SESSION_KEY)
    if not user_id.isdigit() or not isinstance(token, str):
        return None
    # The signed cookie alone proves nothing after logout: its session row must be unrevoked.
    live = db.session.scalar(select(ModeratorSession.id).where(
        ModeratorSession.token_hash == _token_hash(token),
        ModeratorSession.moderator_id == int(user_id),
        ModeratorSession.revoked_at.is_(None)))
    if live is None:
        return None
    moderator = db.session.get(Moderator, int(user_id))
    return moderator if moderator is not None and moderator.active else None


def start_session(moderator: Moderator) -> None:
    """Log the moderator in with a new server-side session that logout can revoke."""
    token = secrets.token_urlsafe(32)
    db.session.add(ModeratorSession(moderator_id=moderator.id, token_hash=_token_hash(token)))
    db.session.commit()
    login_user(moderator)
    session[SESSION_KEY] = token


def end_session() -> None:
    """Revoke this browser's session on the server, then forget it in the cookie."""
    token = session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        db.session.execute(update(ModeratorSession)
                           .where(ModeratorSession.token_hash == _token_hash(token))
                           .values(revoked_at=utcnow()))
        db.session.commit()
    logout_user()


def revoke_sessions(moderator_id: int) -> None:
    """Revoke every live session of an account, inside the caller's transaction."""
    db.session.execute(update(ModeratorSession)
                       .where(ModeratorSession.moderator_id == moderator_id,
                              ModeratorSession.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def unauthorized():
    """Send anonymous page visitors to the login page; answer 401 to AJAX calls."""
    if request.method == "GET" and not request.path.startswith("/dashboard/api/"):
        return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
    raise ApiError("Log in to use the dashboard.", status=401, code="unauthorized")


def authenticate(email: str, password: str) -> Moderator | None:
    """Return the active moderator with this email and password, recording the login."""
    moderator = db.session.scalar(select(Moderator).where(Moderator.email == email.lower()))
    if moderator is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not moderator.check_password(password) or not moderator.active:
        return None
    moderator.last_login_at = utcnow()
    db.session.commit()
    return moderator


def admin_required(view):
    """Refuse a view to moderators who are not admins."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            raise ApiError("Only admins may do this.", status=403, code="forbidden")
        return view(*args, **kwargs)

    return wrapper
