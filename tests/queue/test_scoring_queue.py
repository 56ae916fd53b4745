"""The scoring queue on Redis Streams: 202 then routed, micro-batches, at-least-once
delivery with reclaiming, idempotent routing, the deadline sweeper and scorer faults."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from moderation.extensions import db, scorer
from moderation.models import Article, Comment, ModerationEvent
from moderation.queue.batches import apply_batch, sweep_overdue
from moderation.queue.worker import Worker, collect_batch
from tests.reliability.fixtures import URL, ledger

pytestmark = pytest.mark.redis


def post_many(app, count: int) -> list[int]:
    """Post comments and return their ids, checking each was accepted for scoring."""
    client = app.test_client()
    ids = []
    for i in range(count):
        response = client.post(URL, json={"author_name": "Ann", "body": f"Point number {i}."})
        assert response.status_code == 202, response.get_json()
        assert response.get_json()["state"] == "pending"
        ids.append(response.get_json()["id"])
    return ids


def statuses(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(select(Comment.status, Comment.reason).order_by(Comment.id))
        result = [(status.value, reason) for status, reason in rows]
        db.session.remove()
    return result


def test_queued_comment_is_pending_until_a_worker_publishes_it(queue_app_factory, site):
    app = queue_app_factory()
    [comment_id] = post_many(app, 1)
    assert statuses(app) == [("pending_review", "awaiting_score")]
    assert Worker(app, consumer="w1").run_once() == 1
    assert statuses(app) == [("published", "threshold")]
    facts = ledger(app)
    assert facts["published_counts"] == facts["published_rows"] == 1
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'moderation_scoring_batch_size_count{mode="queue"}' in metrics
    with app.app_context():
        assert db.session.get(Comment, comment_id).model_id == "tiny"
        db.session.remove()


def test_abusive_model_rejects_queued_comments(queue_app_factory, site):
    app = queue_app_factory(model="abusive")
    post_many(app, 2)
    Worker(app, consumer="w1").run_once()
    assert statuses(app) == [("rejected", "threshold")] * 2


def test_batch_stops_at_its_size(queue_app_factory, site):
    app = queue_app_factory()
    post_many(app, 5)
    queue = app.extensions["moderation.queue"]
    queue.ensure_group()
    assert len(collect_batch(queue, "w1", size=3, window_ms=1000)) == 3
    assert len(collect_batch(queue, "w1", size=3, window_ms=1000)) == 2


def test_batch_window_closes_after_its_time(queue_app_factory, site):
    app = queue_app_factory()
    post_many(app, 1)
    queue = app.extensions["moderation.queue"]
    queue.ensure_group()
    started = time.monotonic()
    batch = collect_batch(queue, "w1", size=32, window_ms=150)
    assert len(batch) == 1
    assert 0.1 <= time.monotonic() - started < 2.0


def test_comment_scored_twice_is_routed_once(queue_app_factory, site):
    app = queue_app_factory()
    [comment_id] = post_many(app, 1)
    with app.app_context():
        first = apply_batch([comment_id, comment_id])
        second = apply_batch([comment_id])
        assert sum(first.routed.values()) == 1
        assert second.routed == {} and second.skipped == 1
        events = db.session.scalar(select(func.count()).select_from(ModerationEvent))
        assert events == 2  # stored, then routed
        assert db.session.scalar(select(Article.published_count)) == 1
        db.session.remove()


def test_batch_of_a_dead_consumer_is_reclaimed_by_another(queue_app_factory, site):
    app = queue_app_factory(QUEUE_CLAIM_IDLE_MS=100)
    post_many(app, 4)
    queue = app.extensions["moderation.queue"]
    queue.ensure_group()
    # The first consumer takes the batch and dies before acknowledging it.
    taken = queue.read("doomed", 10, 100)
    assert len(taken) == 4
    assert Worker(app, consumer="w2").run_once() == 0  # nothing new, not idle long enough
    time.sleep(0.15)
    survivor = Worker(app, consumer="w2")
    survivor.run_once()
    assert statuses(app) == [("published", "threshold")] * 4
    assert queue.pending_count() == 0
    assert queue.length() == 0


def test_scorer_raising_sends_batch_to_review_and_publishes_nothing(queue_app_factory, site):
    class Broken:
        model_id, languages = "broken", frozenset({"en"})

        def score(self, texts):
            raise RuntimeError("out of memory")

    app = queue_app_factory()
    scorer.override(app, Broken())
    post_many(app, 3)
    Worker(app, consumer="w1").run_once()
    assert statuses(app) == [("pending_review", "scorer_unavailable")] * 3
    assert ledger(app)["published_counts"] == 0
    assert app.extensions["moderation.queue"].pending_count() == 0


def test_scorer_hanging_sends_batch_to_review(queue_app_factory, site):
    class Hanging:
        model_id, languages = "hanging", frozenset({"en"})

        def score(self, texts):
            time.sleep(1.0)
            return [{"toxicity": 0.0} for _ in texts]

    app = queue_app_factory(SCORER_TIMEOUT_SECONDS=0.2)
    scorer.override(app, Hanging())
    post_many(app, 2)
    Worker(app, consumer="w1").run_once()
    assert statuses(app) == [("pending_review", "scorer_unavailable")] * 2


def test_comment_unscored_past_the_deadline_goes_to_review(queue_app_factory, site):
    app = queue_app_factory(QUEUE_DEADLINE_SECONDS=60)
    [old, fresh] = post_many(app, 2)
    with app.app_context():
        comment = db.session.get(Comment, old)
        db.session.execute(update(Comment).where(Comment.id == old).values(
            created_at=comment.created_at - timedelta(minutes=5)))
        db.session.commit()
        assert sweep_overdue() == 1
        assert sweep_overdue() == 0
        db.session.remove()
    assert statuses(app) == [("pending_review", "scorer_unavailable"),
                             ("pending_review", "awaiting_score")]
    # The late entry of the swept comment is skipped, not routed a second time.
    Worker(app, consumer="w1").run_once()
    assert statuses(app) == [("pending_review", "scorer_unavailable"), ("published", "threshold")]


def test_comment_whose_entry_was_lost_is_scored_by_the_sweep(queue_app_factory, site):
    app = queue_app_factory(QUEUE_RESCUE_SECONDS=60, QUEUE_DEADLINE_SECONDS=600)
    [lost] = post_many(app, 1)
    queue = app.extensions["moderation.queue"]
    queue.redis.delete(queue.stream)  # as if the enqueue had failed
    with app.app_context():
        comment = db.session.get(Comment, lost)
        db.session.execute(update(Comment).where(Comment.id == lost).values(
            created_at=comment.created_at - timedelta(minutes=2)))
        db.session.commit()
        db.session.remove()
    Worker(app, consumer="w1").run_once()
    assert statuses(app) == [("published", "threshold")]


def test_redis_down_at_post_keeps_the_comment_for_the_sweeper(app_factory, site):
    from tests.reliability.processes import free_port

    app = app_factory(SCORING="queue", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
                      QUEUE_DEADLINE_SECONDS=0)
    response = app.test_client().post(URL, json={"author_name": "Ann", "body": "Still here."})
    assert response.status_code == 202
    with app.app_context():
        assert sweep_overdue() == 1
        db.session.remove()
    assert statuses(app) == [("pending_review", "scorer_unavailable")]


def test_queue_mode_without_redis_refuses_to_start(app_factory):
    from config import ConfigError

    with pytest.raises(ConfigError, match="REDIS_URL"):
        app_factory(SCORING="queue", REDIS_URL=None)


def test_inline_scorer_failure_holds_the_comment_for_review(app_factory, site):
    class Broken:
        model_id, languages = "broken", frozenset({"en"})

        def score(self, texts):
            raise RuntimeError("model crashed")

    app = app_factory()
    scorer.override(app, Broken())
    response = app.test_client().post(URL, json={"author_name": "Ann", "body": "Hello there."})
    assert response.status_code == 201
    assert response.get_json()["state"] == "pending"
    assert statuses(app) == [("pending_review", "scorer_unavailable")]
    assert ledger(app)["published_counts"] == 0


def test_worker_command_scores_then_stops_at_its_bound(queue_app_factory, site):
    app = queue_app_factory()
    post_many(app, 3)
    result = app.test_cli_runner().invoke(args=["moderation", "worker", "--max-batches", "1",
                                                "--max-seconds", "20"])
    assert result.exit_code == 0, result.output
    assert statuses(app) == [("published", "threshold")] * 3


def test_the_loop_routes_the_previous_batch_while_the_model_scores(
        queue_app_factory, site, monkeypatch):
    from moderation.queue import worker as worker_module

    app = queue_app_factory(QUEUE_BATCH_SIZE=2)
    post_many(app, 4)
    second_scoring = threading.Event()
    steps = []
    score_batch, route_batch = worker_module.score_batch, worker_module.route_batch

    def scoring(batch):
        steps.append(("scoring", [c.id for c in batch.candidates]))
        if len(steps) == 2:
            second_scoring.set()
        score_batch(batch)

    def routing(batch):
        if not steps[1:]:
            # Routed one after the other, the second batch would never start scoring here.
            assert second_scoring.wait(10), "the first batch was routed before the next scored"
        steps.append(("routed", [c.id for c in batch.candidates]))
        return route_batch(batch)

    monkeypatch.setattr(worker_module, "score_batch", scoring)
    monkeypatch.setattr(worker_module, "route_batch", routing)
    Worker(app, consumer="w1").run(max_batches=2, max_seconds=30)
    assert [step for step, _ in steps] == ["scoring", "scoring", "routed", "routed"]
    assert steps[2][1] == steps[0][1] and steps[3][1] == steps[1][1]
    assert statuses(app) == [("published", "threshold")] * 4
    assert app.extensions["moderation.queue"].pending_count() == 0


def test_the_loop_routes_at_once_when_nothing_more_is_queued(queue_app_factory, site):
    app = queue_app_factory()
    post_many(app, 1)
    worker = Worker(app, consumer="w1")
    assert worker.run_overlapped() == 1
    assert statuses(app) == [("pending_review", "awaiting_score")]  # scored, not yet routed
    assert worker.run_overlapped() == 0  # nothing queued: routed without waiting for more
    assert statuses(app) == [("published", "threshold")]
    assert app.extensions["moderation.queue"].pending_count() == 0


def test_a_failed_routing_leaves_the_batch_pending_for_reclaiming(
        queue_app_factory, site, monkeypatch):
    from moderation.queue import worker as worker_module

    app = queue_app_factory()
    post_many(app, 1)

    def broken(batch):
        raise RuntimeError("database went away")

    monkeypatch.setattr(worker_module, "route_batch", broken)
    Worker(app, consumer="w1").run(max_batches=1, max_seconds=30)
    assert statuses(app) == [("pending_review", "awaiting_score")]
    assert app.extensions["moderation.queue"].pending_count() == 1
