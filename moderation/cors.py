"""CORS for the public API: only a site's configured origins may read its responses."""

from __future__ import annotations

import json
import re

from flask import Flask, Response, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from moderation.extensions import db
from moderation.models import Site
from moderation.readers.answers import Lookup
from moderation.readers.generations import settings_name

SITE_PATH = re.compile(r"^/api/v1/sites/([^/]+)/")
ALLOW_METHODS = "GET, POST, PATCH, DELETE"
ALLOW_HEADERS = "Content-Type, X-Edit-Token, Authorization"
EXPOSE_HEADERS = "ETag, Retry-After"
PREFLIGHT_MAX_AGE = "600"


def site_origins(site_key: str) -> list[str]:
    """Return the origins a site allows, or none when the site is unknown or unreadable."""
    # Kept like a public answer: every API response asks, and a site's settings change
    # rarely (a change bumps the site's settings generation, so it applies at once).
    lookup = Lookup(("cors", site_key), (settings_name(site_key),))
    if lookup.hit is not None:
        return json.loads(lookup.hit.body)
    try:
        origins = db.session.scalar(select(Site.allowed_origins).where(Site.key == site_key))
    except SQLAlchemyError:
        db.session.rollback()
        return []
    origins = list(origins or [])
    lookup.keep("", json.dumps(origins).encode())
    return origins


def add_cors_headers(response: Response) -> Response:
    """Allow the request's origin to read the response when its site lists that origin."""
    match = SITE_PATH.match(request.path)
    if match is None:
        return response
    # Answers differ by Origin, so shared caches must keep them apart.
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if not origin or origin not in site_origins(match.group(1)):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def register_cors(app: Flask) -> None:
    """Install the CORS hook for the API."""
    app.after_request(add_cors_headers)
