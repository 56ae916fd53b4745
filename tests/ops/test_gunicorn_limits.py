"""Under real gunicorn with the project's config, over-size requests get the JSON shape."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from tests.reliability.processes import app_env, gunicorn

pytestmark = pytest.mark.slow


def send(base: str, method: str, path: str, body: bytes | None = None,
         headers: dict | None = None) -> tuple[int, dict]:
    """Send one request and return (status, JSON body)."""
    host = urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data)


def test_oversize_requests_get_json_from_the_app(app, site):
    with gunicorn(app_env(app), workers=1, threads=2) as (base, _process):
        status, body = send(base, "GET", "/api/v1/sites/news/counts?article=" + "a" * 6000)
        assert (status, body["error"]["code"]) == (414, "uri_too_long")
        status, body = send(base, "GET", "/api/v1/sites/news/counts?article=a",
                            headers={"X-Padding": "p" * 12000})
        assert (status, body["error"]["code"]) == (431, "header_too_large")
        status, body = send(base, "POST", "/api/v1/sites/news/articles/a/comments",
                            body=b"x" * (5 * 1024 * 1024),
                            headers={"Content-Type": "application/json"})
        assert (status, body["error"]["code"]) == (413, "payload_too_large")
