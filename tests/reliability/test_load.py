"""Concurrent posting through real gunicorn workers: every accepted comment has its row,
no row lacks an answer, and stored published counts equal the published rows."""

from __future__ import annotations

import os
import time

import pytest

from tests.reliability.fixtures import ledger
from tests.reliability.load import post_comments
from tests.reliability.processes import app_env, gunicorn, start_worker, stop

UNLIMITED = {"COMMENT_RATE_LIMIT_CLIENT": "100000/minute",
             "COMMENT_RATE_LIMIT_SITE": "100000/minute"}


def assert_nothing_lost(app, result) -> dict:
    """Check the invariants between the answers the clients saw and the stored rows."""
    facts = ledger(app)
    assert result.bad_bodies == []
    assert result.transport_errors == 0
    assert facts["ids"] == result.accepted_ids  # every 201/202 has its row, and only those
    assert facts["published_counts"] == facts["published_rows"]
    assert facts["creation_events"] == len(facts["ids"])
    return facts


def wait_until_scored(app, seconds: float = 120) -> dict:
    """Wait for the workers to route every queued comment."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        facts = ledger(app)
        if facts["awaiting"] == 0:
            return facts
        time.sleep(0.5)
    raise AssertionError(f"{ledger(app)['awaiting']} comments still await a score")


def test_concurrent_posts_through_two_workers_lose_nothing(app_factory, site):
    app = app_factory(**UNLIMITED)
    with gunicorn(app_env(app), workers=2, threads=4) as (base, _):
        result = post_comments(base, total=200, clients=16)
    assert result.statuses == {201: 200}
    facts = assert_nothing_lost(app, result)
    # A few short texts read as another language and wait for a human; most publish.
    assert facts["published_rows"] > 150


@pytest.mark.slow
@pytest.mark.postgres
def test_thousand_posts_from_32_clients_on_postgres(app_factory, site):
    if not (os.environ.get("MODERATION_TEST_DATABASE_URL") or "").startswith("postgresql"):
        pytest.skip("needs MODERATION_TEST_DATABASE_URL on PostgreSQL")
    app = app_factory(**UNLIMITED)
    with gunicorn(app_env(app), workers=2, threads=8) as (base, _):
        result = post_comments(base, total=1000, clients=32)
    assert result.statuses == {201: 1000}
    assert assert_nothing_lost(app, result)["published_rows"] > 900


@pytest.mark.slow
@pytest.mark.redis
def test_queue_mode_with_a_worker_killed_mid_load_loses_nothing(queue_app_factory, site):
    import signal

    app = queue_app_factory(QUEUE_CLAIM_IDLE_MS=1000, QUEUE_BATCH_SIZE=16,
                            QUEUE_RESCUE_SECONDS=5, QUEUE_SWEEP_SECONDS=1.0, **UNLIMITED)
    env = app_env(app)
    doomed, survivor = start_worker(env), start_worker(env)
    try:
        with gunicorn(env, workers=2, threads=8) as (base, _):
            time.sleep(3)  # let both workers load the model and join the group
            first = post_comments(base, total=300, clients=32)
            doomed.send_signal(signal.SIGKILL)  # no chance to acknowledge what it holds
            second = post_comments(base, total=300, clients=32)
        facts = wait_until_scored(app)
    finally:
        stop(doomed)
        stop(survivor)
    assert first.statuses == {202: 300} and second.statuses == {202: 300}
    first.accepted_ids |= second.accepted_ids
    assert_nothing_lost(app, first)
    assert facts["awaiting"] == 0 and facts["published_rows"] > 500
    assert app.extensions["moderation.queue"].pending_count() == 0
