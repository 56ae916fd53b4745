"""Fixtures shared by the reliability and operations tests: Redis db 3 and queue apps."""

from __future__ import annotations

import os
import uuid

import pytest

from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, ModerationEvent

BASE_REDIS_URL = os.environ.get("MODERATION_TEST_REDIS_URL", "redis://127.0.0.1:6379")
# Our own Redis database, so other suites sharing the server never see our streams.
REDIS_DB = int(os.environ.get("MODERATION_TEST_REDIS_DB", "3"))
URL = "/api/v1/sites/news/articles/a-1/comments"


def redis_url_for_tests() -> str | None:
    """Return the test Redis URL (db 3) if a server answers, else None."""
    import redis

    url = f"{BASE_REDIS_URL.rstrip('/')}/{REDIS_DB}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


@pytest.fixture
def redis_url():
    """The test Redis database; skipped where none runs (CI always has one)."""
    url = redis_url_for_tests()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Redis at {BASE_REDIS_URL}")
        pytest.skip(f"no Redis at {BASE_REDIS_URL}")
    return url


@pytest.fixture
def queue_prefix(redis_url):
    """A key prefix of this test alone; its keys are deleted afterwards."""
    import redis

    prefix = f"prod-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)


@pytest.fixture
def queue_app_factory(app_factory, redis_url, queue_prefix):
    """Build apps in queue mode on the test stream."""

    def factory(model="benign", **overrides):
        settings = {"SCORING": "queue", "REDIS_URL": redis_url, "QUEUE_PREFIX": queue_prefix,
                    "QUEUE_BATCH_MS": 20, "QUEUE_SWEEP_SECONDS": 0.0}
        settings.update(overrides)
        return app_factory(model=model, **settings)

    return factory


def ledger(app) -> dict:
    """Return the facts the invariants are checked on: rows, events and stored counts."""
    from sqlalchemy import func, select

    with app.app_context():
        session = db.session
        rows = dict(session.execute(
            select(Comment.status, func.count()).group_by(Comment.status)).all())
        result = {
            "ids": set(session.scalars(select(Comment.id))),
            "by_status": {status.value: rows.get(status, 0) for status in CommentStatus},
            "published_rows": rows.get(CommentStatus.published, 0),
            "published_counts": session.scalar(
                select(func.coalesce(func.sum(Article.published_count), 0))),
            "creation_events": session.scalar(select(func.count()).select_from(ModerationEvent)
                                              .where(ModerationEvent.from_status.is_(None))),
            "awaiting": session.scalar(select(func.count()).select_from(Comment)
                                       .where(Comment.reason == "awaiting_score")),
        }
        session.remove()
    return result
