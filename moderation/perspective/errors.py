"""Google's error shape for the Perspective-compatible API: {"error": {code, message, status}}."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from moderation.extensions import db

log = logging.getLogger(__name__)

# google.rpc.Code names for the HTTP statuses this API answers with.
GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "ABORTED",
    413: "INVALID_ARGUMENT",
    414: "INVALID_ARGUMENT",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    431: "INVALID_ARGUMENT",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class GoogleError(Exception):
    """An error a Perspective client understands: HTTP code, message and google.rpc status."""

    def __init__(self, code: int, message: str, status: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or GOOGLE_STATUS.get(code, "UNKNOWN")


def invalid_argument(message: str) -> GoogleError:
    """Return a 400 INVALID_ARGUMENT error."""
    return GoogleError(400, message, "INVALID_ARGUMENT")


def google_response(code: int, message: str, status: str | None = None):
    """Return a Flask response in Google's error shape."""
    body = {"error": {"code": code, "message": message,
                      "status": status or GOOGLE_STATUS.get(code, "UNKNOWN")}}
    return jsonify(body), code


def validation_message(messages) -> str:
    """Word a marshmallow error the way Google's JSON parser words it."""
    path, text = _first_message(messages)
    if text == "Unknown field.":
        return f'Invalid JSON payload received. Unknown name "{path.rsplit(".", 1)[-1]}"' + (
            f" at '{path.rsplit('.', 1)[0]}'" if "." in path else "") + ": Cannot find field."
    # The value itself is never echoed: it may be the comment's text.
    return f"Invalid value at '{path}': {text}" if path else f"Invalid request: {text}"


def _first_message(messages, prefix: str = "") -> tuple[str, str]:
    """Return (dotted field path, message) of the first error in marshmallow's nested dict."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
            if key == "value" and prefix:  # a dict value's error, keyed under the map key
                name = prefix
            return _first_message(value, name)
    if isinstance(messages, list) and messages:
        return _first_message(messages[0], prefix)
    return prefix, str(messages)


def render_http_error(exc: HTTPException):
    """Answer an HTTP error (404, 405, 413, 429...) in Google's shape, keeping its headers."""
    code = exc.code or 500
    message = exc.description or exc.name
    if code == 404:
        message = "The requested URL was not found on this server."
    elif code == 405:
        message = "Method not allowed; the analyze method takes POST."
    elif code == 413:
        message = "Request payload size exceeds the limit."
    elif code == 429:
        message = ("Quota exceeded for quota metric 'Analysis requests' and limit "
                   "'Analysis requests per second' of this API key.")
    response = current_app.make_response(google_response(code, message))
    for key, value in exc.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def register_google_errors(bp: Blueprint) -> None:
    """Make every error inside the blueprint, and 404/405 under its prefix, Google-shaped."""

    @bp.errorhandler(GoogleError)
    def handle_google(exc: GoogleError):
        return google_response(exc.code, exc.message, exc.status)

    @bp.errorhandler(ValidationError)
    def handle_validation(exc: ValidationError):
        return google_response(400, validation_message(exc.messages), "INVALID_ARGUMENT")

    @bp.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        return render_http_error(exc)

    @bp.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        db.session.rollback()
        # Only the class: a message or traceback could carry the comment's text.
        log.error("analyze failed: %s", exc.__class__.__name__)
        return google_response(500, "Internal error encountered.", "INTERNAL")

    # Routing errors happen before Flask knows the blueprint; the app's handler
    # asks for a renderer by path prefix.
    @bp.record_once
    def _register_prefix(state) -> None:
        renderers = state.app.extensions.setdefault("moderation.error_renderers", {})
        renderers[state.url_prefix or bp.url_prefix] = render_http_error
