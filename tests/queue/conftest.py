"""Fixtures for the scoring queue: a Redis of its own and apps that enqueue to it."""

from tests.reliability.fixtures import queue_app_factory, queue_prefix, redis_url  # noqa: F401
