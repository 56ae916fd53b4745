"""Operations fixtures (shared with the reliability suite) and the slow switch."""

import os

import pytest

from tests.reliability.fixtures import queue_app_factory, queue_prefix, redis_url  # noqa: F401


def pytest_collection_modifyitems(config, items):
    """Skip tests marked slow unless MODERATION_RUN_SLOW=1."""
    if os.environ.get("MODERATION_RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow reliability check; set MODERATION_RUN_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
