"""Kept public answers replayed in front of Flask: no routing, hooks or request object.

A cached counts or thread answer costs a tenth of a millisecond inside its view, yet the
request around it (building the request, routing, the before and after hooks, the response
object) costs several times that. This WSGI layer keeps, per process, the final bytes and
headers of every 200 answer a public_answer view gave, keyed on everything the answer and
its headers depend on (method, path, query, body, Origin, host), and replays it while the
answer's generations stand still, the same check the view's own cache makes. Anything
else, including every first request, goes through Flask as before.
"""

from __future__ import annotations

import io
import logging
import time
import uuid
from dataclasses import dataclass

from flask import Flask
from werkzeug.http import parse_etags

from moderation.ops.limits import refusal
from moderation.ops.logs import REQUEST_ID, access_logger
from moderation.ops.metrics import REQUEST_SECONDS
from moderation.readers.answers import Answer, AnswerCache
from moderation.readers.generations import get_store

log = logging.getLogger(__name__)

# What public_answer leaves in the WSGI environ for this layer: (names, generations, endpoint).
KEPT = "moderation.front.kept"
PREFIX = "/api/v1/sites/"
MAX_BODY = 64 * 1024  # larger bodies are never counts or thread requests worth keeping
# Headers that belong to one request or one client, never replayed.
_OWN = {"x-request-id", "set-cookie", "date", "content-length"}
_KEY_HEADERS = ("HTTP_ORIGIN", "HTTP_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                "HTTP_X_FORWARDED_PREFIX", "CONTENT_TYPE")


@dataclass(frozen=True)
class Replay(Answer):
    """A final answer as sent: an Answer plus its final headers and the view that built it."""

    headers: tuple[tuple[str, str], ...]
    endpoint: str


class FrontCache:
    """WSGI middleware that answers repeated public reads from kept final responses."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        config = app.config
        self.kept = AnswerCache(config.get("ANSWER_CACHE_ENTRIES", 4096),
                                config["ANSWER_CACHE_SECONDS"],
                                config.get("ANSWER_CACHE_MB", 64) * 1024 * 1024)
        self.access_log = config.get("ACCESS_LOG", True)

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "POST") or not environ.get("PATH_INFO", "").startswith(PREFIX):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        body = b""
        if method == "POST":
            length = environ.get("CONTENT_LENGTH") or ""
            if not length.isdigit() or int(length) > MAX_BODY:
                return self.wsgi_app(environ, start_response)
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)
        key = (method, environ.get("PATH_INFO"), environ.get("QUERY_STRING", ""), body,
               *(environ.get(name, "") for name in _KEY_HEADERS))
        replay = self.kept.get(key)
        if replay is not None and refusal(environ, None) is None:
            store = get_store(self.app)
            if store is not None and store.read(replay.names) == replay.generations:
                return self._replay(replay, environ, start_response, started)
        return self._through_flask(key, environ, start_response)

    def _through_flask(self, key: tuple, environ, start_response):
        """Let Flask answer, and keep its final response when a public view kept its answer."""
        sent: dict = {}

        def capture(status, headers, exc_info=None):
            sent["status"], sent["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        kept = environ.get(KEPT)
        if kept is None or not sent.get("status", "").startswith("200 "):
            return result
        headers = sent["headers"]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return result  # a cookie belongs to one client: never replay this answer
        try:
            payload = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        names, generations, endpoint = kept
        etag = next((value.strip('"') for name, value in headers if name.lower() == "etag"), "")
        self.kept.put(key, Replay(
            names, generations, etag, payload, time.monotonic() + self.kept.seconds,
            tuple((n, v) for n, v in headers if n.lower() not in _OWN), endpoint))
        return [payload]

    def _replay(self, replay: Replay, environ, start_response, started: float):
        """Send a kept answer, or a 304 when the client holds it already."""
        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        headers = [*replay.headers, ("X-Request-ID", request_id)]
        client_copy = environ.get("HTTP_IF_NONE_MATCH")
        if replay.etag and client_copy and parse_etags(client_copy).contains_weak(replay.etag):
            status, body = "304 NOT MODIFIED", b""
            headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
        else:
            status, body = "200 OK", replay.body
            headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        self._observe(replay, environ, status, request_id, len(body), started)
        return [body]

    def _observe(self, replay: Replay, environ, status: str, request_id: str, size: int,
                 started: float) -> None:
        """Count the request in the latency metrics and the access log, as Flask's hooks do."""
        duration = time.perf_counter() - started
        code = status[:3]
        REQUEST_SECONDS.labels(replay.endpoint, environ["REQUEST_METHOD"], code).observe(duration)
        if self.access_log:
            access_logger().info("request", extra={"fields": {
                "request_id": request_id,
                "method": environ["REQUEST_METHOD"],
                "path": environ.get("PATH_INFO"),
                "endpoint": replay.endpoint,
                "status": int(code),
                "duration_ms": round(duration * 1000, 2),
                "bytes": size,
                "remote": environ.get("REMOTE_ADDR"),
                "replayed": True,
            }})


def init_app(app: Flask) -> None:
    """Put the front cache in front of the app when whole answers are cached at all."""
    if app.config.get("ANSWER_CACHE_SECONDS") and app.config.get("FRONT_CACHE", True):
        app.wsgi_app = FrontCache(app, app.wsgi_app)
