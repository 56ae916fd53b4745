"""The service's own front page and its operator docs, for whoever has just started it."""

from __future__ import annotations

import os

from flask import Blueprint, Response, abort, current_app, request

from moderation.sites.create import DEMO_ARTICLE, DEMO_SITE

bp = Blueprint("front", __name__, template_folder="templates")
# The docs ship with a checkout (the quick start runs from one), not inside the package.
DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "docs")
# (file, what an operator finds there), in the order a newcomer reads them.
GUIDES = [
    ("WIDGETS.md", "Embedding the comments, counts and most-discussed widgets"),
    ("DASHBOARD.md", "Working the review queue and the site settings"),
    ("API.md", "The JSON API"),
    ("OPERATIONS.md", "Running it in production: configuration, health, metrics"),
    ("PERSPECTIVE.md", "Moving a site off Google's Perspective API"),
    ("MODEL.md", "What the bundled model scores and how well"),
]


@bp.get("/")
def index():
    """Explain the service and link to the demo, the dashboard, the docs and readiness."""
    # Rendered without the dashboard's context processors: this page has no moderator session.
    template = current_app.jinja_env.get_template("front/index.html")
    guides = [(name, text) for name, text in GUIDES if os.path.isfile(os.path.join(DOCS, name))]
    return template.render(guides=guides, site=DEMO_SITE, article=DEMO_ARTICLE,
                           service=request.url_root)


@bp.get("/docs/<name>")
def doc(name: str):
    """Serve one of the operator guides as plain text."""
    if name not in dict(GUIDES):
        abort(404)
    path = os.path.join(DOCS, name)
    if not os.path.isfile(path):
        abort(404)
    with open(path, encoding="utf-8") as handle:
        return Response(handle.read(), mimetype="text/plain")
