"""Coral Talk's external moderation phase under /coral: signed requests, Coral-shaped answers."""

from flask import Blueprint

bp = Blueprint("coral", __name__, url_prefix="/coral")

from moderation.coral import views  # noqa: E402,F401  (routes register on bp)
