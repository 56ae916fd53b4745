"""Serve the OpenAPI documents and a reference page rendered on the server (no scripts)."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template

from moderation.api.responses import Error
from moderation.openapi.document import build_document
from moderation.perspective.responses import GoogleErrorBody

bp = Blueprint("openapi", __name__, template_folder="templates")

API_DESCRIPTION = (
    "The comment service's public JSON API for news sites and their readers, and the "
    "endpoint of Coral Talk's external moderation phase. Every error has one shape, "
    "{\"error\": {\"code\", \"message\", \"fields\"?}}. See docs/API.md and docs/CORAL.md."
)
PERSPECTIVE_DESCRIPTION = (
    "A Perspective-compatible scoring API (comments:analyze and comments:suggestscore). "
    "Errors use Google's shape, {\"error\": {\"code\", \"message\", \"status\"}}. "
    "See docs/PERSPECTIVE.md."
)


def api_document() -> dict:
    """Return the public API's document, built once per app."""
    cache = current_app.extensions.setdefault("moderation.openapi", {})
    if "api" not in cache:
        cache["api"] = build_document(
            current_app, title="Moderation API", description=API_DESCRIPTION,
            prefixes=("/api/v1/", "/coral/"), error_schema=Error,
            security_schemes={"readerToken": {"type": "http", "scheme": "bearer",
                                              "description": "A reader token from /sso."}})
    return cache["api"]


def perspective_document() -> dict:
    """Return the Perspective-compatible endpoint's own document, built once per app."""
    cache = current_app.extensions.setdefault("moderation.openapi", {})
    if "perspective" not in cache:
        cache["perspective"] = build_document(
            current_app, title="Perspective-compatible scoring API",
            description=PERSPECTIVE_DESCRIPTION, prefixes=("/v1alpha1/",),
            error_schema=GoogleErrorBody, error_name="GoogleError",
            security_schemes={
                "key": {"type": "apiKey", "in": "query", "name": "key"},
                "header": {"type": "apiKey", "in": "header", "name": "X-Goog-Api-Key"},
            })
    return cache["perspective"]


@bp.get("/api/v1/openapi.json")
def openapi_json():
    """Return the public API's OpenAPI 3.1 document."""
    return api_document()


@bp.get("/v1alpha1/openapi.json")
def perspective_openapi_json():
    """Return the Perspective-compatible endpoint's OpenAPI 3.1 document."""
    return perspective_document()


@bp.get("/api/v1/docs")
def reference():
    """Render both documents as one HTML reference page for site developers."""
    documents = [("api", api_document()), ("perspective", perspective_document())]
    return render_template("openapi/reference.html", documents=documents,
                           dumps=lambda value: json.dumps(value, indent=2, ensure_ascii=False))
