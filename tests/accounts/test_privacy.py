"""Privacy: readers export and erase their data, admins do it by email, no plain email at rest."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from moderation.extensions import db
from moderation.models import (
    Comment,
    CommentStatus,
    ModerationEvent,
    ReaderAccount,
    ReplySubscription,
    Site,
)
from moderation.notifications.digest import send_due_emails
from moderation.webhooks.delivery import deliver_due
from moderation.webhooks.endpoints import create_endpoint
from tests.accounts.conftest import bearer

POST = "/api/v1/sites/news/articles/a-1/comments"
ANN = "Ann.Reader@Example.org"
BOB = "bob@example.net"


def plain_emails_at_rest(app, *emails: str) -> list[str]:
    """Return 'table.column' for every stored value that contains one of the addresses."""
    found = []
    needles = [e.lower() for e in emails]
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).mappings():
                for column, value in row.items():
                    if value is not None and any(n in str(value).lower() for n in needles):
                        found.append(f"{table.name}.{column}")
    return found


def full_flow(app, client, secret) -> dict:
    """Ann signs in and asks for replies; Bob posts anonymously with an email; both reply."""
    with app.app_context():
        create_endpoint(db.session.query(Site).filter_by(key="news").one(),
                        "http://127.0.0.1:9/hook", ["comment.created", "comment.published"])
    ann = bearer(client, secret, email=ANN, username="Ann")
    root = client.post(POST, json={"body": "Who pays for the new lanes?",
                                   "notify_replies": True}, headers=ann).get_json()["id"]
    reply = client.post(POST, json={"author_name": "Bob", "body": "The city does, mostly.",
                                    "email": BOB, "notify_replies": True, "parent_id": root})
    assert reply.status_code == 201, reply.get_json()
    client.post(POST, json={"body": "Thanks, that helps.", "parent_id": root}, headers=ann)
    with app.app_context():
        deliver_due()
        send_due_emails()
    return ann


@pytest.fixture
def flow(app, client, sso_secret):
    return full_flow(app, client, sso_secret)


def test_no_plain_email_in_any_table_after_a_full_flow(app, client, flow):
    assert plain_emails_at_rest(app, ANN, BOB) == []
    with app.app_context():
        assert db.session.scalar(select(ReplySubscription.id)) is not None
    assert client.delete("/api/v1/sites/news/me", headers=flow).status_code == 200
    assert plain_emails_at_rest(app, ANN, BOB) == []


def test_reader_downloads_their_comments_as_json(client, flow):
    response = client.get("/api/v1/sites/news/me/export", headers=flow)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert [c["body"] for c in data["comments"]] == ["Who pays for the new lanes?",
                                                     "Thanks, that helps."]
    assert data["accounts"][0]["email"] == ANN.lower()
    assert [s["confirmed"] for s in data["reply_notifications"]] == [True]


def test_reader_erases_their_account_and_comments_are_anonymised(app, client, flow):
    response = client.delete("/api/v1/sites/news/me", headers=flow)
    assert response.status_code == 200
    assert response.get_json()["erased"] == {"comments": 2, "subscriptions": 1, "accounts": 1}
    with app.app_context():
        assert db.session.scalar(select(ReaderAccount)) is None
        mine = db.session.scalars(select(Comment).where(Comment.author_name != "Bob")).all()
        assert {c.author_name for c in mine} == {"Deleted reader"}
        assert all(c.status is CommentStatus.published and c.email_hash is None for c in mine)
        assert db.session.scalars(select(ReplySubscription.email_hash)).all() != []  # Bob's
        reasons = db.session.scalars(select(ModerationEvent.reason)).all()
        assert reasons.count("privacy_erasure") == 2
    # The reader token of an erased account no longer works.
    assert client.get("/api/v1/sites/news/me", headers=flow).status_code == 401


def test_site_may_remove_rather_than_anonymise(app, client, flow):
    with app.app_context():
        db.session.execute(update(Site).values(erase_mode="remove"))
        db.session.commit()
    client.delete("/api/v1/sites/news/me", headers=flow)
    thread = client.get(POST).get_json()
    assert [c["author_name"] for c in thread["comments"]] == []  # the root is gone...
    with app.app_context():
        erased = db.session.scalars(select(Comment).where(Comment.reader_id.is_(None),
                                                          Comment.author_name != "Bob")).all()
        assert {(c.status, c.body) for c in erased} == {(CommentStatus.deleted, "")}


def test_removal_withdraws_the_draft_kept_after_a_nudge_too(app, client, flow):
    with app.app_context():
        db.session.execute(update(Site).values(erase_mode="remove"))
        db.session.execute(update(Comment).where(Comment.reader_id.is_not(None))
                           .values(draft_body="A first draft.", nudge_outcome="revised"))
        db.session.commit()
    export = client.get("/api/v1/sites/news/me/export", headers=flow).get_json()
    assert {c["draft_body"] for c in export["comments"]} == {"A first draft."}
    client.delete("/api/v1/sites/news/me", headers=flow)
    with app.app_context():
        drafts = db.session.scalars(select(Comment.draft_body).where(
            Comment.nudge_outcome.is_not(None))).all()
        assert drafts and set(drafts) == {""}


def test_admin_erases_by_email_from_the_cli(app, runner, flow):
    result = runner.invoke(args=["moderation", "export-reader", BOB])
    assert result.exit_code == 0 and "The city does, mostly." in result.output
    result = runner.invoke(args=["moderation", "erase-reader", BOB.upper(), "--yes"])
    assert result.exit_code == 0, result.output
    assert "erased 1 comments, 1 subscriptions, 0 accounts" in result.output
    with app.app_context():
        bob = db.session.scalars(select(Comment).where(Comment.author_name == "Bob")).all()
        assert bob == []
        events = db.session.scalars(select(ModerationEvent).where(
            ModerationEvent.reason == "privacy_erasure")).all()
        assert [e.actor_type.value for e in events] == ["moderator"]
