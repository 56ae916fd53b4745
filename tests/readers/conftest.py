"""Fixtures for the readers' tests: the thread cache runs on Redis as well as in memory."""

from tests.reliability.fixtures import queue_prefix, redis_url  # noqa: F401
