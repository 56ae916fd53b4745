"""The public JSON API under /api/v1."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from moderation.api import (  # noqa: E402,F401  (routes register on bp)
    accounts,
    comments,
    counts,
    engagement,
    reader,
)
