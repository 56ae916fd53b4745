"""Structured logs: one JSON object per line, carrying the request id when there is one."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

ACCESS_LOGGER = "moderation.access"
# Ids from a proxy are echoed back, so keep them short and printable.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line: time, level, logger, message and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        if "request_id" not in entry and has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is now (test runners swap it), not the one at start."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def access_logger() -> logging.Logger:
    """Return the access logger, with its JSON handler installed once per process."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not logger.handlers:
        handler = StderrHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def begin_request() -> None:
    """Take the caller's X-Request-ID when it is sane, else make one, and start the clock."""
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def finish_request(response, app: Flask):
    """Echo the request id and write the access line."""
    request_id = g.get("request_id")
    if request_id:
        response.headers["X-Request-ID"] = request_id
    if app.config.get("ACCESS_LOG", True):
        started = g.get("request_started")
        duration = time.perf_counter() - started if started else 0.0
        access_logger().info("request", extra={"fields": {
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round(duration * 1000, 2),
            "bytes": response.calculate_content_length(),
            "remote": request.remote_addr,
        }})
    return response


def gunicorn_logconfig(level: str = "info") -> dict:
    """Return a logging dict for gunicorn that writes its own and the app's logs as JSON."""
    handler = {"class": "moderation.ops.logs.StderrHandler", "formatter": "json"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "moderation.ops.logs.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": ["stderr"], "propagate": False},
            # The app writes its own access line with the request id; gunicorn's would repeat it.
            "gunicorn.access": {"level": "WARNING", "handlers": ["stderr"], "propagate": False},
        },
    }
