"""The embeddable scripts (comments, counts, most discussed) and the demo pages."""

from __future__ import annotations

import os

from flask import Blueprint, current_app, render_template, send_from_directory

from moderation.services.admin import DEMO_ARTICLE, DEMO_LISTING, DEMO_SITE

bp = Blueprint("widgets", __name__, template_folder="templates")
STATIC = os.path.join(os.path.dirname(__file__), "static")
ASSETS = {
    "embed.js": "text/javascript",
    "count.js": "text/javascript",
    "most-discussed.js": "text/javascript",
    "embed.css": "text/css",
}


def _asset(name: str):
    """Serve one widget file with a short public cache lifetime."""
    response = send_from_directory(STATIC, name, mimetype=ASSETS[name], max_age=None)
    response.headers["Cache-Control"] = current_app.config["WIDGET_CACHE_CONTROL"]
    # Host pages of any origin load these files; they carry no reader data.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/embed.js")
def embed_js():
    """Serve the comments widget."""
    return _asset("embed.js")


@bp.get("/count.js")
def count_js():
    """Serve the script that fills comment counts on listing pages."""
    return _asset("count.js")


@bp.get("/most-discussed.js")
def most_discussed_js():
    """Serve the most-discussed rail."""
    return _asset("most-discussed.js")


@bp.get("/embed.css")
def embed_css():
    """Serve the widgets' stylesheet."""
    return _asset("embed.css")


@bp.get("/demo/")
def demo_article():
    """Show the demo article page with the comments widget under it."""
    return render_template("widgets/demo_article.html", site=DEMO_SITE, article=DEMO_ARTICLE)


@bp.get("/demo/listing")
def demo_listing():
    """Show the demo listing page with counts and the most-discussed rail."""
    return render_template("widgets/demo_listing.html", site=DEMO_SITE, articles=DEMO_LISTING)
