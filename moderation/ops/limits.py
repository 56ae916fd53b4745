"""Request-size limits the app answers itself, in its own error shape, before gunicorn's.

Gunicorn refuses a request line over limit_request_line or a header over
limit_request_field_size with its own HTML page, and a body over MAX_CONTENT_LENGTH used to
end in a reset connection (the unread upload). The app's limits sit below gunicorn's
(config/gunicorn.conf.py), so such requests get a JSON 414 / 431 / 413 from the app; only
requests past gunicorn's limits, which the reverse proxy refuses first, never reach it.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, RequestURITooLarge

# Under gunicorn's limit_request_line (8190) and limit_request_field_size (16380).
MAX_URL_BYTES = 4096
MAX_HEADER_BYTES = 8192
# An over-size upload up to this is read and discarded so that the client, still sending,
# reads the 413 instead of a reset connection. Past it, the proxy's body limit applies.
MAX_DRAIN_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024


class RequestHeaderFieldsTooLarge(HTTPException):
    code = 431
    description = "A request header is too large."


def _url_bytes(environ: dict) -> int:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return len(raw)
    return len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) + 1


def refusal(environ: dict, max_content: int | None) -> HTTPException | None:
    """Return the error a request's size earns before it reaches a view, or None."""
    if _url_bytes(environ) > MAX_URL_BYTES:
        return RequestURITooLarge(f"The URL is over {MAX_URL_BYTES} bytes.")
    for key, value in environ.items():
        if key.startswith("HTTP_") and isinstance(value, str) and len(value) > MAX_HEADER_BYTES:
            return RequestHeaderFieldsTooLarge(
                f"A request header is over {MAX_HEADER_BYTES} bytes.")
    length = environ.get("CONTENT_LENGTH") or ""
    if max_content and length.isdigit() and int(length) > max_content:
        if int(length) <= MAX_DRAIN_BYTES:
            _drain(environ.get("wsgi.input"), int(length))
        return RequestEntityTooLarge(f"The body is over {max_content} bytes.")
    return None


def _drain(stream, length: int) -> None:
    """Read and discard an upload the app will not use."""
    if stream is None:
        return
    left = length
    while left > 0:
        chunk = stream.read(min(_CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)


def init_app(app: Flask) -> None:
    """Refuse over-size URLs, headers and bodies first, through the app's error handlers."""

    def refuse_oversized():
        error = refusal(request.environ, app.config.get("MAX_CONTENT_LENGTH"))
        if error is not None:
            raise error

    # First of all hooks: CSRF checks read the form, which must not happen to such a body.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_oversized)
