"""A queue batch writes its decisions together: counts, revisions, audit events and webhook
deliveries come out as if each comment had been decided alone."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from moderation.extensions import db
from moderation.models import (
    ActorType,
    Article,
    ArticleTally,
    CommentStatus,
    ModerationEvent,
    Site,
    WebhookDelivery,
)
from moderation.queue.worker import Worker
from moderation.services.tallies import published_now, revision_now
from moderation.webhooks.endpoints import create_endpoint

pytestmark = pytest.mark.redis

POSTS = {"a-1": 3, "a-2": 1, "a-3": 2}


def post(app, article: str, count: int) -> list[int]:
    """Post count comments to an article in queue mode; return their ids."""
    client = app.test_client()
    ids = []
    for i in range(count):
        response = client.post(f"/api/v1/sites/news/articles/{article}/comments",
                               json={"author_name": "Ann", "body": f"Point {i} on {article}."})
        assert response.status_code == 202, response.get_json()
        ids.append(response.get_json()["id"])
    return ids


def readers_counts(app) -> dict[str, tuple[int, int]]:
    """Return each article's (published count, revision) as readers see them."""
    with app.app_context():
        rows = db.session.execute(select(Article.external_id, published_now, revision_now))
        counts = {external_id: (published, revision) for external_id, published, revision in rows}
        db.session.remove()
    return counts


@pytest.fixture
def routed(queue_app_factory, site):
    """Comments on three articles, two webhook endpoints, then one worker batch over all."""
    app = queue_app_factory()
    with app.app_context():
        news = db.session.scalar(select(Site).where(Site.key == site))
        create_endpoint(news, "http://127.0.0.1:9/one", ["comment.published"])
        create_endpoint(news, "http://127.0.0.1:9/two", ["comment.published", "comment.rejected"])
        db.session.remove()
    ids = [i for article, count in POSTS.items() for i in post(app, article, count)]
    before = readers_counts(app)
    assert Worker(app, consumer="w1").run_once() == len(ids)
    return app, ids, before


def test_one_batch_over_several_articles_keeps_each_count_and_revision_exact(routed):
    app, _ids, before = routed
    after = readers_counts(app)
    # Every decision moves its article's revision on by one, as when decided alone.
    assert after == {article: (count, before[article][1] + count)
                     for article, count in POSTS.items()}
    with app.app_context():
        rows = {external_id: count for external_id, count in db.session.execute(
            select(Article.external_id, Article.published_count))}
        pending = db.session.scalar(select(func.count()).select_from(ArticleTally))
        db.session.remove()
    assert rows == POSTS and pending == 0  # folded into the rows after the commit


def test_one_batch_records_one_audit_event_per_comment(routed):
    app, ids, _before = routed
    with app.app_context():
        events = db.session.execute(
            select(ModerationEvent.comment_id, ModerationEvent.from_status,
                   ModerationEvent.to_status, ModerationEvent.reason, ModerationEvent.actor_type)
            .where(ModerationEvent.from_status.is_not(None))
            .order_by(ModerationEvent.id)).all()
        db.session.remove()
    assert events == [(i, CommentStatus.pending_review, CommentStatus.published, "threshold",
                       ActorType.system) for i in ids]


def test_one_batch_queues_each_comments_deliveries_for_every_endpoint(routed):
    app, ids, _before = routed
    with app.app_context():
        deliveries = Counter(db.session.execute(
            select(WebhookDelivery.comment_id, WebhookDelivery.event_type)).all())
        db.session.remove()
    assert deliveries == {(i, "comment.published"): 2 for i in ids}


def stored_rows(app) -> tuple[dict[str, int], int]:
    """Return each article's stored revision and the number of tallies not yet folded."""
    with app.app_context():
        revisions = dict(db.session.execute(select(Article.external_id, Article.revision)).all())
        unfolded = db.session.scalar(select(func.count()).select_from(ArticleTally))
        db.session.remove()
    return revisions, unfolded


def test_accepted_posts_wait_for_the_workers_decision_to_be_folded(queue_app_factory, site):
    app = queue_app_factory()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite updates the article row at once; tallies are PostgreSQL's")
    post(app, "a-1", 2)
    revisions, unfolded = stored_rows(app)
    # The accepts' tallies stay as rows, and readers already count them.
    assert unfolded == 2
    assert readers_counts(app) == {"a-1": (0, revisions["a-1"] + 2)}
    assert Worker(app, consumer="w1").run_once() == 2
    revisions, unfolded = stored_rows(app)
    # The worker's decisions fold the accepts' tallies together with their own.
    assert unfolded == 0
    assert readers_counts(app) == {"a-1": (2, revisions["a-1"])}


def test_the_deadline_sweep_folds_the_tallies_of_the_comments_it_sends_to_review(
        queue_app_factory, site):
    from moderation.queue.batches import sweep_overdue

    app = queue_app_factory(QUEUE_DEADLINE_SECONDS=0)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite updates the article row at once; tallies are PostgreSQL's")
    post(app, "a-2", 1)
    assert stored_rows(app)[1] == 1
    with app.app_context():
        assert sweep_overdue() == 1
        db.session.remove()
    revisions, unfolded = stored_rows(app)
    assert unfolded == 0
    assert readers_counts(app) == {"a-2": (0, revisions["a-2"])}
