"""Fixtures for the readers' tests: the caches run on Redis as well as beside SQLite."""

import pytest

from moderation.readers.generations import get_store
from tests.reliability.fixtures import queue_prefix, redis_url  # noqa: F401


@pytest.fixture(params=["shared-file", "redis"])
def answer_apps(request, app_factory):
    """Build apps that share generations: beside the SQLite file, or in Redis."""
    settings = {}
    if request.param == "redis":
        settings = {"REDIS_URL": request.getfixturevalue("redis_url"),
                    "QUEUE_PREFIX": request.getfixturevalue("queue_prefix")}

    def build(**overrides):
        app = app_factory(**settings, **overrides)
        with app.app_context():
            if get_store() is None:
                pytest.skip("no shared generation store: PostgreSQL without Redis")
        return app

    return build


@pytest.fixture
def answer_app(answer_apps):
    return answer_apps()
