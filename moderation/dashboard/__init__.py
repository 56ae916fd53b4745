"""The moderators' dashboard under /dashboard: HTML pages, plus JSON for the keyboard script."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from marshmallow import ValidationError

from moderation.errors import json_error, wants_html
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


@bp.errorhandler(ValidationError)
def invalid_form(exc: ValidationError):
    """Say which fields of a dashboard form were wrong, on an HTML page or in JSON."""
    fields = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    if not wants_html():
        return json_error(422, "validation_failed", "Some fields are not valid.", fields)
    detail = "; ".join(f"{name}: {' '.join(map(str, problems))}"
                       for name, problems in fields.items())
    return render_template("error.html", status=422,
                           message=f"Some fields are not valid. {detail}"), 422


from moderation.dashboard import (  # noqa: E402,F401  (routes register on bp)
    views_admin,
    views_auth,
    views_authors,
    views_keys,
    views_queue,
    views_readers,
    views_stats,
    wording,
)
from moderation.learning import views as learning_views  # noqa: E402,F401
