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
    Comment,
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



def stored_article(app, external_id: str) -> tuple[int, int, object, list]:
    """Return the article's stored (published count, revision, last comment time) and its
    comments' creation times, after any fold."""
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.external_id == external_id))
        created = sorted(db.session.scalars(
            select(Comment.created_at).where(Comment.article_id == article.id)))
        row = (article.published_count, article.revision, article.last_comment_at, created)
        db.session.remove()
    return row


def test_an_accept_moves_no_counter_until_the_workers_decision(queue_app_factory, site):
    app = queue_app_factory()
    post(app, "a-1", 1)
    count, revision, last, _ = stored_article(app, "a-1")
    post(app, "a-1", 1)
    # Readers see nothing new, so the accept wrote no counter (a round trip saved per post).
    assert stored_article(app, "a-1")[:3] == (count, revision, last)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ArticleTally)) == 0
        db.session.remove()
    assert Worker(app, consumer="w1").run_once() == 2
    count, revision_after, last, created = stored_article(app, "a-1")
    # Each decision moves the revision on and brings the comment's time to the article.
    assert (count, revision_after, last) == (2, revision + 2, created[-1])
    assert readers_counts(app)["a-1"] == (2, revision + 2)


def test_the_deadline_sweep_brings_its_comments_time_to_the_article(queue_app_factory, site):
    from moderation.queue.batches import sweep_overdue

    app = queue_app_factory(QUEUE_DEADLINE_SECONDS=0)
    post(app, "a-2", 1)
    _, revision, _, _ = stored_article(app, "a-2")
    with app.app_context():
        assert sweep_overdue() == 1
        db.session.remove()
    count, revision_after, last, created = stored_article(app, "a-2")
    assert (count, revision_after, last) == (0, revision + 1, created[-1])


def test_one_batch_stores_each_comments_decision_and_moves_its_version_on_once(routed):
    app, ids, _before = routed
    with app.app_context():
        rows = db.session.execute(
            select(Comment.id, Comment.status, Comment.reason, Comment.version,
                   Comment.model_id, Comment.scored_at.is_not(None), Comment.max_score,
                   Comment.scores).where(Comment.id.in_(ids)).order_by(Comment.id)).all()
        db.session.remove()
    assert [row[:6] for row in rows] == [
        (i, CommentStatus.published, "threshold", 2, rows[0].model_id, True) for i in ids]
    assert all(row.max_score == max(row.scores.values()) for row in rows)


def test_a_batch_is_refused_whole_when_one_comment_changed_meanwhile(queue_app_factory, site):
    from sqlalchemy.orm.exc import StaleDataError

    from moderation.services.decisions import decision_batch, set_status

    app = queue_app_factory()
    ids = post(app, "a-1", 3)
    with app.app_context():
        comments = db.session.scalars(select(Comment).where(Comment.id.in_(ids))).all()
        # A moderator decides the second comment on another connection meanwhile.
        with db.engine.begin() as other:
            other.execute(Comment.__table__.update().where(Comment.id == ids[1])
                          .values(version=Comment.version + 1))
        with pytest.raises(StaleDataError):
            with decision_batch():
                for comment in comments:
                    set_status(comment, CommentStatus.published, reason="threshold",
                               actor=ActorType.system)
            db.session.commit()
        db.session.rollback()
        stored = db.session.execute(
            select(Comment.status, Comment.version).where(Comment.id.in_(ids))
            .order_by(Comment.id)).all()
        db.session.remove()
    assert stored == [(CommentStatus.pending_review, 1), (CommentStatus.pending_review, 2),
                      (CommentStatus.pending_review, 1)]


def test_one_batch_writes_its_comments_in_one_statement_where_the_driver_counts_rows(
        queue_app_factory, site):
    from sqlalchemy import event

    app = queue_app_factory()
    ids = post(app, "a-1", 2) + post(app, "a-2", 2)
    updates = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("UPDATE comments"):
            updates.append(len(parameters) if executemany else 1)

    with app.app_context():
        engine = db.engine
        counts_rows = engine.dialect.supports_sane_multi_rowcount
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert Worker(app, consumer="w1").run_once() == len(ids)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    # PostgreSQL's driver tells how many rows an executemany matched; SQLite's flush
    # writes (and checks) a comment a statement.
    assert updates == ([len(ids)] if counts_rows else [1] * len(ids))
