"""Admins create and revoke Perspective API keys from the dashboard."""

from __future__ import annotations

import re

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import ApiKey
from tests.dashboard.conftest import csrf_token

KEYS = "/dashboard/admin/sites/news/keys"
ANALYZE = "/v1alpha1/comments:analyze"


def create(client, **data):
    return client.post(KEYS, data={"csrf_token": csrf_token(client, KEYS), **data})


def test_a_created_key_is_shown_once_and_works(app, admin_client):
    response = create(admin_client, name="Coral production", quota="5/second")
    assert response.status_code == 201
    raw = re.search(r'<code id="new-key">([^<]+)</code>', response.get_data(as_text=True))[1]
    with app.app_context():
        stored = db.session.scalar(select(ApiKey))
        assert (stored.name, stored.quota) == ("Coral production", "5/second")
        assert raw not in stored.key_hash and stored.prefix == raw[: len(stored.prefix)]
    listing = admin_client.get(KEYS).get_data(as_text=True)
    assert raw not in listing and stored.prefix in listing
    answer = app.test_client().post(f"{ANALYZE}?key={raw}", json={
        "comment": {"text": "Thanks for the article."}, "requestedAttributes": {"TOXICITY": {}}})
    assert answer.status_code == 200
    assert "TOXICITY" in answer.get_json()["attributeScores"]


def test_a_revoked_key_is_refused(app, admin_client):
    response = create(admin_client)
    raw = re.search(r'<code id="new-key">([^<]+)</code>', response.get_data(as_text=True))[1]
    with app.app_context():
        key_id = db.session.scalar(select(ApiKey.id))
    revoke = admin_client.post(f"{KEYS}/{key_id}/revoke",
                               data={"csrf_token": csrf_token(admin_client, KEYS)})
    assert revoke.status_code == 303
    answer = app.test_client().post(f"{ANALYZE}?key={raw}", json={
        "comment": {"text": "Hello"}, "requestedAttributes": {"TOXICITY": {}}})
    assert answer.status_code == 403
    assert answer.get_json()["error"]["status"] == "PERMISSION_DENIED"


def test_moderators_cannot_manage_keys(app, mod_client):
    assert mod_client.get(KEYS).status_code == 403
    response = mod_client.post(KEYS, data={"csrf_token": csrf_token(mod_client, "/dashboard/"),
                                           "quota": "1/second"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(ApiKey)) is None


def test_creating_a_key_without_csrf_token_is_refused(app, admin_client):
    assert admin_client.post(KEYS, data={"quota": "1/second"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(ApiKey)) is None


def test_a_bad_quota_is_refused_with_a_page(app, admin_client):
    response = admin_client.post(KEYS, headers={"Accept": "text/html"}, data={
        "csrf_token": csrf_token(admin_client, KEYS), "quota": "lots"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "text/html" in response.content_type
    assert '<span class="field-error" id="key-quota-error">&#39;lots&#39; is not a quota' in html
    assert 'aria-invalid="true"' in html and 'value="lots"' in html
    with app.app_context():
        assert db.session.scalar(select(ApiKey)) is None
