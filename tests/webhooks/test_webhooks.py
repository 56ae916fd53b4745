"""Signed webhooks: written with the decision, delivered by the worker, retried after a 500."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from moderation.extensions import db
from moderation.models import CommentStatus, Site, WebhookDelivery
from moderation.models.types import utcnow
from moderation.webhooks.delivery import deliver_due
from moderation.webhooks.endpoints import create_endpoint, rotate_endpoint_secret
from tests.factories import make_comment

POST = "/api/v1/sites/news/articles/a-1/comments"
ALL = ["comment.created", "comment.published", "comment.rejected", "comment.flagged"]


@contextmanager
def receiver(statuses: list[int]):
    """A real HTTP endpoint that checks the signature and answers the given statuses in turn.

    Yields its URL, the requests it saw, and the list of secrets it accepts (filled in once
    the endpoint is registered).
    """
    seen: list[dict] = []
    secrets: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            header = self.headers.get("X-Moderation-Signature", "")
            given = {part.removeprefix("sha256=") for part in header.split(",")}
            valid = [s for s in secrets if
                     hmac.new(s.encode(), raw, hashlib.sha256).hexdigest() in given]
            seen.append({"body": json.loads(raw), "valid": valid, "signatures": len(given),
                         "event": self.headers.get("X-Moderation-Event")})
            status = statuses[min(len(seen), len(statuses)) - 1] if valid else 401
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", seen, secrets
    finally:
        server.shutdown()
        server.server_close()


def _endpoint(app, url, events=ALL):
    with app.app_context():
        site = db.session.query(Site).filter_by(key="news").one()
        endpoint, secret = create_endpoint(site, url, events)
        return endpoint.id, secret


def test_receiver_sees_a_retry_after_a_500_and_the_log_says_so(app, client, site):
    with receiver([500, 200]) as (url, seen, accepted):
        _endpoint_id, secret = _endpoint(app, url, ["comment.published"])
        accepted.append(secret)
        response = client.post(POST, json={"author_name": "Ann", "body": "Good piece."})
        assert response.status_code == 201
        with app.app_context():
            assert deliver_due() == 0
            delivery = db.session.scalar(select(WebhookDelivery))
            assert (delivery.status, delivery.attempts, delivery.last_status_code,
                    delivery.last_error) == ("pending", 1, 500, "HTTP 500")
            # Not due again until the backoff has passed.
            assert deliver_due() == 0 and len(seen) == 1
            assert deliver_due(utcnow() + timedelta(seconds=31)) == 1
            delivery = db.session.scalar(select(WebhookDelivery))
            assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
                "delivered", 2, 200)
    assert [s["valid"] for s in seen] == [[secret], [secret]]
    body = seen[0]["body"]
    assert body["type"] == "comment.published" and body["site"] == "news"
    assert body["data"]["comment"]["body"] == "Good piece."
    assert seen[0]["body"] == seen[1]["body"]  # the same bytes each attempt


def test_decisions_and_reports_queue_their_events(app, client, site):
    _endpoint(app, "http://127.0.0.1:9/hook")
    client.post(POST, json={"author_name": "Ann", "body": "Good piece."})
    with app.app_context():
        comment_id = make_comment(status=CommentStatus.published).id
    client.post(f"/api/v1/sites/news/comments/{comment_id}/flags", json={"reason": "spam"})
    with app.app_context():
        events = [d.event_type for d in db.session.scalars(
            select(WebhookDelivery).order_by(WebhookDelivery.id))]
    assert events == ["comment.created", "comment.published", "comment.created",
                      "comment.published", "comment.flagged"]


def test_rotation_signs_with_both_secrets(app, client, site):
    with receiver([200]) as (url, seen, accepted):
        endpoint_id, old = _endpoint(app, url)
        with app.app_context():
            new = rotate_endpoint_secret(db.session.query(Site).filter_by(key="news").one(),
                                         endpoint_id)
        accepted.extend([old, new])
        client.post(POST, json={"author_name": "Ann", "body": "Good piece."})
        with app.app_context():
            assert deliver_due() == 2
    assert len(seen) == 2
    assert all(s["signatures"] == 2 and set(s["valid"]) == {old, new} for s in seen)


def test_unsigned_or_wrongly_signed_body_is_refused_by_the_receiver(app, client, site):
    with receiver([200]) as (url, seen, accepted):
        _endpoint(app, url, ["comment.created"])
        accepted.append("whsec_not-the-right-one")
        client.post(POST, json={"author_name": "Ann", "body": "Good piece."})
        with app.app_context():
            assert deliver_due() == 0
            assert db.session.scalar(select(WebhookDelivery.last_status_code)) == 401


def test_failing_endpoint_never_slows_posting(app_factory, site):
    app = app_factory(WEBHOOK_MAX_ATTEMPTS=2, WEBHOOK_RETRY_BASE_SECONDS=0.0)
    # Nothing listens on this port: each attempt fails at once, but only the worker tries.
    _endpoint(app, "http://127.0.0.1:9/hook")
    client = app.test_client()
    started = time.perf_counter()
    assert client.post(POST, json={"author_name": "A", "body": "Hi."}).status_code == 201
    assert time.perf_counter() - started < 2
    with app.app_context():
        deliver_due(), deliver_due()
        statuses = {d.status for d in db.session.scalars(select(WebhookDelivery))}
        errors = {d.last_error for d in db.session.scalars(select(WebhookDelivery))}
    assert statuses == {"failed"} and None not in errors


@pytest.mark.parametrize("events,expected", [(["comment.rejected"], 0),
                                             (["comment.created"], 1)])
def test_endpoints_hear_only_the_events_they_chose(app, client, site, events, expected):
    _endpoint(app, "http://127.0.0.1:9/hook", events)
    client.post(POST, json={"author_name": "Ann", "body": "Good piece."})
    with app.app_context():
        assert len(db.session.scalars(select(WebhookDelivery)).all()) == expected
