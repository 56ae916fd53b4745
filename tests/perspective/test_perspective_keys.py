"""API keys: created per site, stored hashed, revocable, each with its own quota."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select

from moderation.errors import ApiError, NotFound
from moderation.extensions import db
from moderation.models import ApiKey
from moderation.perspective.api_keys import (
    create_api_key,
    list_api_keys,
    revoke_api_key,
    set_quota,
    verify_api_key,
)
from tests.perspective.conftest import ANALYZE
from tests.redis_support import redis_available

BODY = {"comment": {"text": "nice game"}, "requestedAttributes": {"TOXICITY": {}}}


def test_key_is_stored_only_as_a_hash(app, site):
    with app.app_context():
        api_key, raw = create_api_key(site, name="Coral")
        row = db.session.scalar(select(ApiKey).where(ApiKey.id == api_key.id))
        assert raw not in (row.key_hash, row.prefix) and raw.startswith(row.prefix)
        assert len(row.key_hash) == 64 and row.quota == "1/second" and row.name == "Coral"
        assert verify_api_key(raw).id == api_key.id


def test_unknown_site_and_bad_quota_are_refused(app, site):
    with app.app_context():
        with pytest.raises(NotFound):
            create_api_key("elsewhere")
        with pytest.raises(ApiError):
            create_api_key(site, quota="lots")
        assert list_api_keys(site) == []


def test_revoked_key_is_refused_by_the_endpoint(app, site, make_key):
    key = make_key(app, site)
    client = app.test_client()
    assert client.post(ANALYZE, json=BODY, query_string={"key": key}).status_code == 200
    with app.app_context():
        revoke_api_key(key[:11])
    response = client.post(ANALYZE, json=BODY, query_string={"key": key})
    assert response.status_code == 403
    assert response.get_json()["error"]["status"] == "PERMISSION_DENIED"


def test_over_quota_is_429_resource_exhausted_per_key(app, site, make_key):
    slow, other = make_key(app, site, quota="2/hour"), make_key(app, site, quota="2/hour")
    client = app.test_client()
    statuses = [client.post(ANALYZE, json=BODY, query_string={"key": slow}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.post(ANALYZE, json=BODY, headers={"X-Goog-Api-Key": slow})
    error = limited.get_json()["error"]
    assert error["code"] == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert int(limited.headers["Retry-After"]) > 0
    assert client.post(ANALYZE, json=BODY, query_string={"key": other}).status_code == 200


def test_default_quota_is_one_per_second(app, site, make_key):
    key = make_key(app, site, quota="1/second")
    client = app.test_client()
    # Three quick requests span at most two one-second windows: one must be refused.
    statuses = [client.post(ANALYZE, json=BODY, query_string={"key": key}).status_code
                for _ in range(3)]
    assert statuses[0] == 200 and 429 in statuses


def test_changed_quota_applies_to_the_next_request(app, site, make_key):
    key = make_key(app, site, quota="1/hour")
    client = app.test_client()
    assert client.post(ANALYZE, json=BODY, query_string={"key": key}).status_code == 200
    assert client.post(ANALYZE, json=BODY, query_string={"key": key}).status_code == 429
    with app.app_context():
        set_quota(key[:11], "100/hour")
    assert client.post(ANALYZE, json=BODY, query_string={"key": key}).status_code == 200


def test_cli_creates_a_key_printed_once_and_revokes_it(app, site):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["moderation", "create-api-key", site, "--quota", "5/second",
                                  "--name", "Coral production"])
    assert created.exit_code == 0, created.output
    raw = created.stdout.strip()
    with app.app_context():
        api_key = verify_api_key(raw)
        assert api_key.quota == "5/second" and api_key.name == "Coral production"
    client = app.test_client()
    assert client.post(ANALYZE, json=BODY, query_string={"key": raw}).status_code == 200
    revoked = runner.invoke(args=["moderation", "revoke-api-key", raw[:11]])
    assert revoked.exit_code == 0, revoked.output
    assert client.post(ANALYZE, json=BODY, query_string={"key": raw}).status_code == 403


def test_cli_refuses_unknown_site_and_unknown_prefix(app, site):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["moderation", "create-api-key", "nowhere"]).exit_code != 0
    assert runner.invoke(args=["moderation", "revoke-api-key", "mk_nothing"]).exit_code != 0


REDIS_URL = os.environ.get("MODERATION_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


@pytest.mark.redis
@pytest.mark.skipif(not redis_available(REDIS_URL) and not os.environ.get("CI"),
                    reason="no Redis at " + REDIS_URL)
def test_workers_share_a_keys_quota_through_redis(app_factory, site, make_key):
    import redis

    # Two apps stand for two gunicorn workers; their own key prefix keeps other test runs
    # on the same Redis (make test runs SQLite and PostgreSQL at once) out of the count.
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    first, second = (app_factory(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
                     for _ in range(2))
    key = make_key(first, site, quota="3/hour")
    with first.app_context():
        key_id = verify_api_key(key).id
    # Key ids restart in an emptied test database: forget this id's counts from earlier runs.
    store = redis.Redis.from_url(REDIS_URL)
    for name in store.scan_iter(match=f"*/api-key:{key_id}/perspective*"):
        store.delete(name)
    statuses = [app.test_client().post(ANALYZE, json=BODY, query_string={"key": key}).status_code
                for app in (first, first, second, second)]
    assert statuses == [200, 200, 200, 429]


def test_cli_lists_keys_by_prefix_without_the_key(app, site, make_key):
    live, revoked = make_key(app, site, name="Coral"), make_key(app, site)
    runner = app.test_cli_runner()
    runner.invoke(args=["moderation", "revoke-api-key", revoked[:11]])
    listed = runner.invoke(args=["moderation", "list-api-keys", site])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert len(lines) == 2 and live not in listed.output and revoked not in listed.output
    assert lines[0].startswith(revoked[:11]) and "revoked" in lines[0]
    assert lines[1].startswith(live[:11]) and "live" in lines[1] and "Coral" in lines[1]
