"""Repeated public reads are replayed in front of Flask, exactly as Flask answered them."""

from __future__ import annotations

import json

import pytest
from flask import request_started

from moderation.readers.generations import get_store
from tests.posting import THREAD, post_comment

COUNTS = "/api/v1/sites/news/counts?article=a-1&article=a-2"
POST_COUNTS = "/api/v1/sites/news/counts"
THREAD_A1 = THREAD.format(article="a-1")
ORIGIN = "http://localhost:8123"  # the site fixture's allowed origin


def dispatched(app, send) -> tuple[int, object]:
    """Run send() and return (requests Flask dispatched, send's response)."""
    seen = []

    def note(sender, **extra):
        seen.append(1)

    request_started.connect(note, app)
    try:
        response = send()
    finally:
        request_started.disconnect(note, app)
    return len(seen), response


@pytest.mark.parametrize(("method", "url", "kwargs"), [
    ("get", COUNTS, {}),
    ("get", THREAD_A1, {}),
    ("post", POST_COUNTS, {"json": {"articles": ["a-1", "a-2"]}}),
])
def test_a_repeated_read_is_replayed_without_flask(answer_app, site, method, url, kwargs):
    client = answer_app.test_client()
    post_comment(client)
    send = lambda: getattr(client, method)(url, headers={"Origin": ORIGIN}, **kwargs)  # noqa: E731
    flask_runs, first = dispatched(answer_app, send)
    assert flask_runs == 1 and first.status_code == 200
    flask_runs, again = dispatched(answer_app, send)
    assert flask_runs == 0 and again.status_code == 200
    assert again.get_data() == first.get_data()
    for header in ("ETag", "Cache-Control", "Content-Type", "Vary",
                   "Access-Control-Allow-Origin"):
        assert again.headers.get(header) == first.headers.get(header), header
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]


def test_a_change_is_seen_by_the_next_read(answer_app, site):
    client = answer_app.test_client()
    post_comment(client, body="First one.")
    for _ in range(2):
        assert client.get(COUNTS).get_json()["counts"] == {"a-1": 1, "a-2": 0}
    post_comment(client, article="a-2", body="Elsewhere.")
    flask_runs, response = dispatched(answer_app, lambda: client.get(COUNTS))
    assert flask_runs == 1
    assert response.get_json()["counts"] == {"a-1": 1, "a-2": 1}


def test_another_origin_or_body_is_not_served_the_kept_answer(answer_app, site):
    client = answer_app.test_client()
    post_comment(client)
    client.get(COUNTS, headers={"Origin": ORIGIN})
    flask_runs, other = dispatched(
        answer_app, lambda: client.get(COUNTS, headers={"Origin": "https://evil.example"}))
    assert flask_runs == 1 and "Access-Control-Allow-Origin" not in other.headers
    client.post(POST_COUNTS, json={"articles": ["a-1"]})
    flask_runs, response = dispatched(
        answer_app, lambda: client.post(POST_COUNTS, json={"articles": ["a-2"]}))
    assert flask_runs == 1 and response.get_json()["counts"] == {"a-2": 0}


def test_a_replay_answers_304_to_a_client_holding_it(answer_app, site):
    client = answer_app.test_client()
    post_comment(client)
    etag = client.get(THREAD_A1).headers["ETag"]
    flask_runs, response = dispatched(
        answer_app, lambda: client.get(THREAD_A1, headers={"If-None-Match": etag}))
    assert flask_runs == 0
    assert response.status_code == 304 and response.get_data() == b""
    assert response.headers["ETag"] == etag


def counted(client) -> float:
    """Return how many GET counts requests the latency metric has seen (in every test)."""
    text = client.get("/metrics").get_data(as_text=True)
    line = ('moderation_request_seconds_count{endpoint="api.get_counts",method="GET",'
            'status="200"} ')
    found = [row for row in text.splitlines() if row.startswith(line)]
    return float(found[0][len(line):]) if found else 0.0


def test_replays_are_logged_and_counted(app_factory, site, capsys):
    app = app_factory()
    with app.app_context():
        if get_store() is None:
            pytest.skip("no shared generation store: PostgreSQL without Redis")
    client = app.test_client()
    client.get(COUNTS)
    before = counted(client)
    capsys.readouterr()
    response = client.get(COUNTS, headers={"X-Request-ID": "req-7"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{") and '"moderation.access"' in line]
    assert [(e["request_id"], e["endpoint"], e["status"], e["replayed"]) for e in lines] == [
        ("req-7", "api.get_counts", 200, True)]
    assert response.headers["X-Request-ID"] == "req-7"
    assert counted(client) == before + 1


def test_the_front_cache_can_be_turned_off(app_factory, site):
    app = app_factory(FRONT_CACHE=False)
    client = app.test_client()
    client.get(COUNTS)
    flask_runs, response = dispatched(app, lambda: client.get(COUNTS))
    assert flask_runs == 1 and response.status_code == 200


def test_a_bad_read_is_never_kept(answer_app, site):
    client = answer_app.test_client()
    for _ in range(2):
        flask_runs, response = dispatched(
            answer_app, lambda: client.post(POST_COUNTS, json={"articles": []}))
        assert flask_runs == 1 and response.status_code == 422
