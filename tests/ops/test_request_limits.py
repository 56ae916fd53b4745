"""Over-size URLs, headers and bodies get the app's error shape, not a proxy page or a reset."""

from __future__ import annotations

import io

import pytest

from moderation.ops.limits import MAX_HEADER_BYTES, MAX_URL_BYTES, refusal


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:200]
    return response.get_json()["error"]


def test_long_url_is_a_json_414(client, site):
    response = client.get("/api/v1/sites/news/counts?article=" + "a" * MAX_URL_BYTES)
    assert error_of(response, 414)["code"] == "uri_too_long"


def test_long_header_is_a_json_431(client, site):
    response = client.get("/api/v1/sites/news/counts?article=a",
                          headers={"X-Padding": "p" * (MAX_HEADER_BYTES + 1)})
    assert error_of(response, 431)["code"] == "header_too_large"


@pytest.mark.parametrize("url", ["/api/v1/sites/news/articles/a/comments", "/dashboard/login",
                                 "/coral/moderation?site=news"])
def test_big_body_is_a_json_413_everywhere(client, site, url):
    response = client.post(url, data=b"x" * (5 * 1024 * 1024),
                           headers={"Content-Type": "application/json"})
    assert error_of(response, 413)["code"] == "payload_too_large"


def test_perspective_keeps_googles_shape(client):
    response = client.post("/v1alpha1/comments:analyze?key=" + "k" * MAX_URL_BYTES, json={})
    assert response.status_code == 414
    assert response.get_json()["error"]["status"] == "INVALID_ARGUMENT"


def test_an_oversize_body_is_read_before_the_answer():
    body = io.BytesIO(b"x" * 200_000)
    environ = {"PATH_INFO": "/", "CONTENT_LENGTH": "200000", "wsgi.input": body}
    assert refusal(environ, 65536).code == 413
    assert body.tell() == 200_000


def test_requests_within_the_limits_pass():
    environ = {"PATH_INFO": "/api/v1/x", "QUERY_STRING": "a=1", "HTTP_X": "y",
               "CONTENT_LENGTH": "10"}
    assert refusal(environ, 65536) is None
