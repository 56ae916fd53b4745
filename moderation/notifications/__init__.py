"""Reply notifications by email: subscriptions, the digest worker pass, confirm and unsubscribe."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications",
               template_folder="templates")

from moderation.notifications import views  # noqa: E402,F401  (routes register on bp)
