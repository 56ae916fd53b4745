"""Redis stopping under the service: rate limits fall back to per-process memory (posting
stays up and still limited), thread reads go on, and readiness reports the outage."""

from __future__ import annotations

from tests.reliability.fixtures import URL
from tests.reliability.processes import throwaway_redis

COMMENT = {"author_name": "Ann", "body": "Nice one."}
PRODUCTION_LIMITS = {"RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
                     "RATELIMIT_SWALLOW_ERRORS": True}


def test_production_settings_fail_open_to_memory_limits():
    from config import load_settings

    settings = load_settings({"MODERATION_ENV": "production"})
    assert settings["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    assert settings["RATELIMIT_SWALLOW_ERRORS"] is True


def test_rate_limits_fall_back_to_memory_when_redis_stops(app_factory, site):
    with throwaway_redis() as (url, stop_redis):
        app = app_factory(RATELIMIT_STORAGE_URI=url, COMMENT_RATE_LIMIT_CLIENT="3/minute",
                          **PRODUCTION_LIMITS)
        client = app.test_client()
        assert [client.post(URL, json=COMMENT).status_code for _ in range(2)] == [201, 201]
        stop_redis()
        after = [client.post(URL, json=COMMENT).status_code for _ in range(4)]
    # Counting starts again in memory: never a 500, and the limit still bites.
    assert after == [201, 201, 201, 429]


def test_thread_reads_and_queue_posts_survive_redis_stopping(app_factory, site):
    with throwaway_redis() as (url, stop_redis):
        app = app_factory(REDIS_URL=url, SCORING="queue", QUEUE_PREFIX="outage",
                          RATELIMIT_STORAGE_URI=url, **PRODUCTION_LIMITS)
        client = app.test_client()
        assert client.post(URL, json=COMMENT).status_code == 202
        assert client.get(URL).status_code == 200
        assert client.get("/readyz").status_code == 200
        stop_redis()
        assert client.post(URL, json=COMMENT).status_code == 202
        assert client.get(URL).status_code == 200
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["redis"] is False
