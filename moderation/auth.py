"""Moderator sign-in: the Flask-Login user loader, password checks and role guards."""

from __future__ import annotations

import functools

from flask import Flask, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from moderation.errors import ApiError
from moderation.extensions import db, login_manager
from moderation.models import Moderator
from moderation.models.types import utcnow


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


def load_moderator(user_id: str) -> Moderator | None:
    """Return the active moderator with this id, for Flask-Login."""
    if not user_id.isdigit():
        return None
    moderator = db.session.get(Moderator, int(user_id))
    return moderator if moderator is not None and moderator.active else None


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
