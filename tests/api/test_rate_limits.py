"""Rate limits on posting: per client, JSON 429 with Retry-After, no spoofing, shared Redis."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.redis_support import redis_available

URL = "/api/v1/sites/news/articles/a-1/comments"
COMMENT = {"author_name": "Ann", "body": "Nice one."}


def test_over_the_limit_is_json_429_with_retry_after(app_factory, site):
    client = app_factory(COMMENT_RATE_LIMIT_CLIENT="2/minute").test_client()
    assert client.post(URL, json=COMMENT).status_code == 201
    assert client.post(URL, json=COMMENT).status_code == 201
    response = client.post(URL, json=COMMENT)
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_forwarded_for_header_cannot_pick_a_fresh_key(app_factory, site):
    client = app_factory(COMMENT_RATE_LIMIT_CLIENT="2/minute").test_client()
    statuses = [
        client.post(URL, json=COMMENT, headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
        for i in range(4)
    ]
    assert statuses == [201, 201, 429, 429]


def test_configured_proxy_hop_uses_the_proxys_client_address(app_factory, site):
    client = app_factory(COMMENT_RATE_LIMIT_CLIENT="2/minute", PROXY_HOPS=1).test_client()
    first = [client.post(URL, json=COMMENT, headers={"X-Forwarded-For": "203.0.113.5"})
             for _ in range(3)]
    assert [r.status_code for r in first] == [201, 201, 429]
    other = client.post(URL, json=COMMENT, headers={"X-Forwarded-For": "203.0.113.6"})
    assert other.status_code == 201


def test_site_wide_limit_applies_across_clients(app_factory, site):
    client = app_factory(COMMENT_RATE_LIMIT_SITE="3/minute").test_client()
    statuses = [
        client.post(URL, json=COMMENT, environ_base={"REMOTE_ADDR": f"192.0.2.{i}"}).status_code
        for i in range(4)
    ]
    assert statuses == [201, 201, 201, 429]


REDIS_URL = os.environ.get("MODERATION_TEST_REDIS_URL", "redis://127.0.0.1:6379")


SECOND_PROCESS = """
import json, sys
from moderation import create_app
app = create_app(json.loads(sys.argv[1]))
client = app.test_client()
body = {"author_name": "Ann", "body": "Nice one."}
env = {"REMOTE_ADDR": sys.argv[2]}
print(json.dumps([client.post(sys.argv[3], json=body, environ_base=env).status_code
                  for _ in range(2)]))
"""


@pytest.mark.redis
@pytest.mark.any_database  # the counts live in Redis
@pytest.mark.skipif(not redis_available(REDIS_URL) and not os.environ.get("CI"),
                    reason="no Redis at " + REDIS_URL)
def test_two_processes_share_counts_in_redis(app_factory, site, tmp_path):
    import json
    import subprocess
    import sys

    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL,
                "COMMENT_RATE_LIMIT_CLIENT": f"3/minute;{uuid.uuid4().int % 1000 + 100}/day"}
    app = app_factory(**settings)
    env = {"REMOTE_ADDR": address}
    first = [app.test_client().post(URL, json=COMMENT, environ_base=env).status_code
             for _ in range(2)]
    assert first == [201, 201]
    shared = {"ENV_NAME", "TESTING", "DATABASE_URL", "MODEL", "MODEL_CHECKPOINT",
              "MODEL_CONFIG_DIR", "RATELIMIT_STORAGE_URI", "COMMENT_RATE_LIMIT_CLIENT"}
    other_settings = {k: v for k, v in app.config.items() if k in shared}
    other_settings["INSTANCE_PATH"] = str(tmp_path / "second")
    result = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, json.dumps(other_settings), address, URL],
        capture_output=True, text=True, timeout=120, cwd=os.getcwd(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [201, 429]


def test_in_process_counters_start_no_thread_per_comment(app_factory, site):
    import threading

    from moderation.extensions import limiter
    from moderation.ratelimits import SweptMemoryStorage

    client = app_factory().test_client()
    client.post(URL, json=COMMENT)
    assert isinstance(limiter.storage, SweptMemoryStorage)
    before = threading.active_count()
    for _ in range(3):
        client.post(URL, json=COMMENT)
    assert threading.active_count() == before


def test_in_process_counters_past_their_window_are_swept():
    from moderation.ratelimits import SweptMemoryStorage

    storage = SweptMemoryStorage("memory://")
    storage.incr("gone", expiry=0.01)
    storage.incr("kept", expiry=60)
    storage._swept_at -= storage.SWEEP_SECONDS
    storage.expirations["gone"] -= 1  # its window has passed
    storage.incr("kept", expiry=60)
    assert "gone" not in storage.storage and storage.get("kept") == 2
