"""The moderators' dashboard under /dashboard: HTML pages, plus JSON for the keyboard script."""

from flask import Blueprint, request
from flask_login import current_user

from moderation.extensions import login_manager

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates",
               static_folder="static", static_url_path="/static")

PUBLIC_ENDPOINTS = {"dashboard.login", "dashboard.login_post", "dashboard.static"}


@bp.before_request
def require_login():
    """Show nothing of the dashboard to anonymous visitors."""
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


@bp.after_request
def no_store(response):
    """Keep moderation pages out of shared caches and the browser's back-forward cache."""
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'",
    )
    return response


from moderation.dashboard import (  # noqa: E402,F401  (routes register on bp)
    views_admin,
    views_auth,
    views_queue,
    views_stats,
)
