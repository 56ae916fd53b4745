"""A Perspective-compatible scoring API under /v1alpha1, for clients such as Coral Talk."""

from flask import Blueprint

from moderation.perspective.errors import register_google_errors

bp = Blueprint("perspective", __name__, url_prefix="/v1alpha1")
register_google_errors(bp)

from moderation.perspective import views  # noqa: E402,F401  (routes register on bp)
