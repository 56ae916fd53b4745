"""The embeddable scripts (comments, counts, most discussed) and the demo pages."""

from __future__ import annotations

import functools
import hashlib
import os

from flask import Blueprint, Response, current_app, request

from moderation.sites.create import DEMO_ARTICLE, DEMO_LISTING, DEMO_SITE

bp = Blueprint("widgets", __name__, template_folder="templates")
STATIC = os.path.join(os.path.dirname(__file__), "static")
ASSETS = {
    "embed.js": "text/javascript",
    "count.js": "text/javascript",
    "most-discussed.js": "text/javascript",
    "embed.css": "text/css",
}


@functools.cache
def _asset_bytes(name: str) -> tuple[bytes, str]:
    """Return a widget file's bytes and their ETag, read once per process."""
    with open(os.path.join(STATIC, name), "rb") as handle:
        data = handle.read()
    return data, hashlib.sha256(data).hexdigest()[:20]


def _asset(name: str) -> Response:
    """Serve one widget file with a short public cache lifetime and an ETag."""
    if current_app.debug:
        _asset_bytes.cache_clear()  # pick up edits without a restart while developing
    data, etag = _asset_bytes(name)
    response = Response(data, mimetype=ASSETS[name])
    response.set_etag(etag)
    response.headers["Cache-Control"] = current_app.config["WIDGET_CACHE_CONTROL"]
    # Host pages of any origin load these files; they carry no reader data.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


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


def render_public(template: str, **context) -> str:
    """Render a public page without the app's context processors."""
    # Public pages carry no moderator session, so the login context (a user lookup
    # on every render) is left out on purpose.
    return current_app.jinja_env.get_template(template).render(**context)


@bp.get("/demo/")
def demo_article():
    """Show the demo article page: the story, its rails and the comments widget under it."""
    return render_public("widgets/demo_article.html", site=DEMO_SITE, article=DEMO_ARTICLE,
                         latest=DEMO_LISTING[1:])


@bp.get("/demo/listing")
def demo_listing():
    """Show the demo listing page with counts and the most-discussed rail."""
    return render_public("widgets/demo_listing.html", site=DEMO_SITE, articles=DEMO_LISTING)
