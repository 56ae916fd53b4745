"""Operations fixtures (shared with the reliability suite)."""

from tests.reliability.fixtures import queue_app_factory, queue_prefix, redis_url  # noqa: F401

