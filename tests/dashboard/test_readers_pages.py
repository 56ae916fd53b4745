"""Admin pages for readers: SSO secrets, reader settings, webhooks and their log, privacy."""

from __future__ import annotations

import re

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import ReplySubscription, Site, SsoSecret, WebhookEndpoint
from tests.dashboard.conftest import csrf_token

PAGE = "/dashboard/admin/sites/news/readers"


def test_admin_creates_and_rotates_the_sso_secret(app, admin_client):
    token = csrf_token(admin_client, PAGE)
    first = admin_client.post("/dashboard/admin/sites/news/sso-secret", data={"csrf_token": token})
    assert first.status_code == 201
    shown = re.search(r'<code id="new-secret">([^<]+)</code>', first.get_data(as_text=True))
    with app.app_context():
        stored = db.session.scalar(select(SsoSecret))
        assert shown and shown.group(1) not in stored.secret_encrypted
    admin_client.post("/dashboard/admin/sites/news/sso-secret", data={"csrf_token": token})
    with app.app_context():
        rows = db.session.scalars(select(SsoSecret).order_by(SsoSecret.id)).all()
        assert rows[0].expires_at is not None and rows[1].expires_at is None


def test_moderator_cannot_see_secrets(mod_client):
    assert mod_client.get(PAGE, headers={"Accept": "text/html"}).status_code == 403


def test_admin_switches_reader_settings(app, admin_client):
    admin_client.post(PAGE, data={"csrf_token": csrf_token(admin_client, PAGE),
                                  "sso_replay_protection": "true", "erase_mode": "remove"})
    with app.app_context():
        site = db.session.query(Site).filter_by(key="news").one()
        assert (site.allow_anonymous, site.sso_replay_protection, site.erase_mode) == (
            False, True, "remove")
        assert site.nudge_authors is False  # an unchecked box turns the nudge off


def test_admin_keeps_the_nudge_on(app, admin_client):
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert re.search(r'name="nudge_authors" value="true" checked', page)  # on by default
    admin_client.post(PAGE, data={"csrf_token": csrf_token(admin_client, PAGE),
                                  "nudge_authors": "true", "erase_mode": "anonymise"})
    with app.app_context():
        assert db.session.query(Site).filter_by(key="news").one().nudge_authors is True


def test_admin_registers_a_webhook_and_sees_its_log(app, admin_client, client):
    response = admin_client.post("/dashboard/admin/sites/news/webhooks", data={
        "csrf_token": csrf_token(admin_client, PAGE), "url": "http://127.0.0.1:9/hook",
        "events": ["comment.created", "comment.published"]})
    assert response.status_code == 201 and "whsec_" in response.get_data(as_text=True)
    with app.app_context():
        endpoint = db.session.scalar(select(WebhookEndpoint))
        assert endpoint.events == ["comment.created", "comment.published"]
    client.post("/api/v1/sites/news/articles/a-1/comments",
                json={"author_name": "Ann", "body": "Good piece."})
    with app.app_context():
        from moderation.webhooks.delivery import deliver_due

        deliver_due()
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "comment.published" in page and "pending" in page and "Connection refused" in page


def test_admin_erases_an_address_from_the_privacy_page(app, admin_client, client):
    client.post("/api/v1/sites/news/articles/a-1/comments", json={
        "author_name": "Zoe", "body": "Tell me of replies.", "email": "zoe@example.org",
        "notify_replies": True})
    token = csrf_token(admin_client, "/dashboard/admin/privacy")
    export = admin_client.post("/dashboard/admin/privacy", data={
        "csrf_token": token, "email": "zoe@example.org", "action": "export"})
    assert export.status_code == 200 and export.get_json()["comments"][0]["author_name"] == "Zoe"
    unconfirmed = admin_client.post("/dashboard/admin/privacy", data={
        "csrf_token": token, "email": "zoe@example.org", "action": "erase"})
    assert unconfirmed.status_code == 422
    erased = admin_client.post("/dashboard/admin/privacy", data={
        "csrf_token": token, "email": "zoe@example.org", "action": "erase", "confirm": "true"},
        follow_redirects=True)
    assert "Erased 1 comments, 1 subscriptions" in erased.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ReplySubscription)) is None
