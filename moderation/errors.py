"""Domain errors and the one JSON error shape: {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from moderation.extensions import db

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error a client can act on, with its HTTP status and a stable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 fields: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.status = status or self.status
        self.fields = fields


class NotFound(ApiError):
    """The site, article or comment does not exist."""

    status = 404
    code = "not_found"


class Conflict(ApiError):
    """The request clashes with the current state (closed article, decided comment)."""

    status = 409
    code = "conflict"


class Unavailable(ApiError):
    """A dependency (database, queue) is down; the client may retry."""

    status = 503
    code = "unavailable"


def error_body(status: int, code: str, message: str, fields: dict | None = None) -> dict:
    """Return the JSON error body."""
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def json_error(status: int, code: str, message: str, fields: dict | None = None):
    """Return a JSON error response."""
    return jsonify(error_body(status, code, message, fields)), status


def wants_html() -> bool:
    """Tell whether this request is a dashboard page that should get an HTML error page."""
    if not request.path.startswith("/dashboard"):
        return False
    if request.path.startswith("/dashboard/api/") or request.is_json:
        return False
    return request.accept_mimetypes.accept_html


def _page_or_json(status: int, code: str, message: str, fields: dict | None = None):
    """Answer an error as an HTML page for dashboard pages, JSON everywhere else."""
    if wants_html():
        return render_template("error.html", status=status, message=message), status
    return json_error(status, code, message, fields)


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    414: "uri_too_long",
    429: "rate_limited",
    431: "header_too_large",
}


def prefix_renderer(app: Flask):
    """Return the error renderer a blueprint registered for this request's path prefix, if any.

    Unmatched URLs (404) and wrong methods (405) never reach a blueprint's own
    handlers; an API with another error shape (e.g. Google's under /v1alpha1)
    registers a renderer for its prefix in app.extensions["moderation.error_renderers"].
    """
    for prefix, renderer in app.extensions.get("moderation.error_renderers", {}).items():
        if request.path == prefix or request.path.startswith(prefix.rstrip("/") + "/"):
            return renderer
    return None


def register_error_handlers(app: Flask) -> None:
    """Map every error to the one JSON shape (HTML pages for the dashboard)."""

    @app.errorhandler(ApiError)
    def handle_api_error(exc: ApiError):
        return _page_or_json(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(ValidationError)
    def handle_validation(exc: ValidationError):
        fields = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return _page_or_json(422, "validation_failed", "Some fields are not valid.", fields)

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        renderer = prefix_renderer(app)
        if renderer is not None:
            return renderer(exc)
        status = exc.code or 500
        code = HTTP_CODES.get(status, "http_error")
        message = exc.description or exc.name
        if status == 429:
            message = "Too many requests; slow down and try again later."
        response = _page_or_json(status, code, message)
        # Keep headers the exception carries (Allow on 405, Retry-After on 429).
        body, status = response
        resp = app.make_response((body, status))
        for key, value in exc.get_headers():
            if key.lower() != "content-type":
                resp.headers[key] = value
        return resp

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def handle_database_down(exc: Exception):
        db.session.rollback()
        log.warning("database error: %s", exc.__class__.__name__)
        return _page_or_json(503, "unavailable", "The service is briefly unavailable; retry.")

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        db.session.rollback()
        log.exception("unhandled error")
        return _page_or_json(500, "internal_error", "Something went wrong on our side.")
