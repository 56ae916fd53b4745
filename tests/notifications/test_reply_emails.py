"""Reply notifications: double opt-in, published replies only, hourly digests, unsubscribe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from moderation.extensions import db
from moderation.models import (
    ActorType,
    Article,
    Comment,
    CommentStatus,
    ReplyNotice,
    ReplySubscription,
    Site,
)
from moderation.models.types import utcnow
from moderation.notifications.digest import send_due_emails
from moderation.services.decisions import set_status
from tests.notifications.conftest import link, local

POST = "/api/v1/sites/news/articles/a-1/comments"
ANN = "ann@example.org"


@pytest.fixture
def site_key(mail_app):
    from moderation.sites.create import create_site

    with mail_app.app_context():
        return create_site("news", name="News").key


def post(client, name, body, **fields):
    response = client.post(POST, json={"author_name": name, "body": body, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def run_worker(app, now=None) -> int:
    with app.app_context():
        return send_due_emails(now)


def subscribed_anonymously(app, client, inbox) -> int:
    """Ann posts, asks for replies, confirms by the emailed link; return her comment id."""
    root = post(client, "Ann", "Who pays for the lanes?", email=ANN, notify_replies=True)
    assert run_worker(app) == 1
    confirm = link(inbox.to(ANN)[-1], "confirm")
    assert client.post(confirm).status_code == 200
    return root


def test_anonymous_reader_must_confirm_before_any_reply_is_sent(mail_app, site_key, inbox):
    client = mail_app.test_client()
    root = post(client, "Ann", "Who pays for the lanes?", email=ANN, notify_replies=True)
    post(client, "Bob", "The city does.", parent_id=root)
    assert run_worker(mail_app) == 1  # the confirmation only
    (confirmation,) = inbox.to(ANN)
    assert "Confirm" in confirmation["Subject"]
    # Opening the link shows a button; only pressing it confirms (mail scanners open links).
    assert client.get(link(confirmation, "confirm")).status_code == 200
    with mail_app.app_context():
        assert db.session.scalar(select(ReplySubscription.confirmed_at)) is None
    assert client.post(link(confirmation, "confirm")).status_code == 200
    post(client, "Cat", "Partly the region.", parent_id=root)
    assert run_worker(mail_app) == 1
    digest = inbox.to(ANN)[-1]
    assert "Cat wrote:" in digest.get_content() and "Bob wrote" not in digest.get_content()


def test_digest_has_one_click_unsubscribe_headers_that_work(mail_app, site_key, inbox):
    client = mail_app.test_client()
    root = subscribed_anonymously(mail_app, client, inbox)
    post(client, "Bob", "The city does.", parent_id=root)
    assert run_worker(mail_app) == 1
    digest = inbox.to(ANN)[-1]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = digest["List-Unsubscribe"].strip("<>")
    assert local(url) == link(digest, "unsubscribe")
    # What a mail client's one-click sends (RFC 8058).
    response = client.post(local(url), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with mail_app.app_context():
        assert db.session.scalar(select(ReplySubscription)) is None
    post(client, "Cat", "Another reply.", parent_id=root)
    assert run_worker(mail_app) == 0


def test_at_most_one_email_per_thread_per_hour(mail_app, site_key, inbox):
    client = mail_app.test_client()
    root = subscribed_anonymously(mail_app, client, inbox)
    post(client, "Bob", "First reply.", parent_id=root)
    assert run_worker(mail_app) == 1
    post(client, "Cat", "Second reply.", parent_id=root)
    post(client, "Dan", "Third reply.", parent_id=root)
    assert run_worker(mail_app) == 0
    assert run_worker(mail_app, utcnow() + timedelta(minutes=61)) == 1
    digest = inbox.to(ANN)[-1].get_content()
    assert "Cat wrote:" in digest and "Dan wrote:" in digest and "First reply" not in digest
    assert len(inbox.to(ANN)) == 3  # confirmation + two digests


def test_pending_and_rejected_replies_are_never_sent(mail_app, site_key, inbox):
    client = mail_app.test_client()
    root = subscribed_anonymously(mail_app, client, inbox)
    with mail_app.app_context():
        db.session.execute(update(Article).values(premoderate=True))
        db.session.commit()
    response = client.post(POST, json={"author_name": "Eve", "body": "Buy pills at spam.example",
                                       "parent_id": root})
    assert response.get_json()["state"] == "pending"
    assert run_worker(mail_app) == 0
    with mail_app.app_context():
        pending = db.session.get(Comment, response.get_json()["id"])
        set_status(pending, CommentStatus.rejected, reason="spam", actor=ActorType.moderator)
        db.session.commit()
    assert run_worker(mail_app) == 0
    with mail_app.app_context():
        assert db.session.scalar(select(ReplyNotice)) is None


def test_nobody_is_told_of_their_own_reply(mail_app, site_key, inbox):
    client = mail_app.test_client()
    root = subscribed_anonymously(mail_app, client, inbox)
    post(client, "Ann", "Answering myself.", parent_id=root, email=ANN)
    assert run_worker(mail_app) == 0


def test_asking_for_replies_without_an_address_is_refused(mail_app, site_key):
    response = mail_app.test_client().post(POST, json={
        "author_name": "Ann", "body": "Hello.", "notify_replies": True})
    assert response.status_code == 422 and "email" in response.get_json()["error"]["fields"]


def test_signed_in_reader_needs_no_confirmation(mail_app, site_key, inbox):
    from moderation.accounts.secrets import rotate_secret
    from tests.accounts.conftest import bearer

    with mail_app.app_context():
        secret = rotate_secret(db.session.query(Site).filter_by(key="news").one())
    client = mail_app.test_client()
    headers = bearer(client, secret, email="Reader@Example.org")
    root = client.post(POST, json={"body": "Who pays for the new lanes?", "notify_replies": True},
                       headers=headers).get_json()["id"]
    post(client, "Bob", "An answer.", parent_id=root)
    assert run_worker(mail_app) == 1
    (digest,) = inbox.to("reader@example.org")
    assert "Bob wrote:" in digest.get_content()


def test_bad_links_are_refused(mail_app, site_key):
    client = mail_app.test_client()
    assert client.post("/notifications/confirm?token=forged").status_code == 400
    assert client.post("/notifications/unsubscribe?token=forged").status_code == 400


def test_smtp_down_keeps_emails_for_the_next_pass(app_factory, inbox):
    from moderation.sites.create import create_site

    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_TLS="none")
    with app.app_context():
        create_site("news", name="News")
    post(app.test_client(), "Ann", "Hello.", email=ANN, notify_replies=True)
    assert run_worker(app) == 0
    with app.app_context():
        assert db.session.scalar(select(ReplySubscription.confirm_sent_at)) is None


def test_one_confirmation_a_day_per_address_confirms_all_it_asked_for(mail_app, site_key,
                                                                      inbox):
    client = mail_app.test_client()
    post(client, "Ann", "Who pays for the lanes?", email=ANN, notify_replies=True)
    second = "/api/v1/sites/news/articles/a-2/comments"
    for _ in range(3):  # anyone could type Ann's address on thread after thread
        response = client.post(second, json={"author_name": "Ann?", "body": "Me too.",
                                             "email": ANN, "notify_replies": True})
        assert response.status_code == 201
    assert run_worker(mail_app) == 1
    assert len(inbox.to(ANN)) == 1
    assert client.post(link(inbox.to(ANN)[0], "confirm")).status_code == 200
    with mail_app.app_context():
        waiting = db.session.scalars(select(ReplySubscription).where(
            ReplySubscription.confirmed_at.is_(None))).all()
        assert waiting == []
