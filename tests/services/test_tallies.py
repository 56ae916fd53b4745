"""Article counts stay exact while posts to one article run at once (tallies on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from moderation.extensions import db
from moderation.models import Article, ArticleTally
from tests.posting import THREAD, post_comment

COUNTS = "/api/v1/sites/news/counts?article=hot"


def stored(app) -> tuple[int, int, int]:
    """Return the hot article's (published_count, revision, unfolded tallies)."""
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.external_id == "hot"))
        pending = db.session.scalar(select(func.count(ArticleTally.id)))
        return article.published_count, article.revision, pending


def test_each_post_is_folded_into_the_article_row(app, client, site):
    for n in range(3):
        post_comment(client, article="hot", body=f"Comment number {n}.")
    count, revision, pending = stored(app)
    assert (count, pending) == (3, 0)
    assert revision >= 3


def test_concurrent_posts_to_one_article_give_the_exact_count(app_factory, site):
    app = app_factory(COMMENT_RATE_LIMIT_CLIENT="100000/minute",
                      COMMENT_RATE_LIMIT_SITE="100000/minute")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time; the row lock race needs PostgreSQL")
    threads, per_thread = 8, 5
    errors: list[BaseException] = []

    def post_many(worker: int) -> None:
        client = app.test_client()
        try:
            for n in range(per_thread):
                response = client.post(
                    THREAD.format(article="hot"),
                    json={"author_name": "Ann", "body": f"Busy thread, {worker}-{n}."},
                    environ_base={"REMOTE_ADDR": f"10.0.1.{worker}"})
                assert response.status_code == 201, response.get_json()
        except BaseException as exc:  # noqa: BLE001 (reported by the main thread)
            errors.append(exc)

    workers = [threading.Thread(target=post_many, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors, errors
    total = threads * per_thread
    assert app.test_client().get(COUNTS).get_json()["counts"] == {"hot": total}
    count, revision, pending = stored(app)
    assert (count, pending) == (total, 0)
    assert revision >= total


def test_a_fold_of_many_articles_waits_for_one_held_then_folds_each_once(app, client, site):
    from moderation.services.tallies import fold_tallies, tally_articles

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("tallies are PostgreSQL's; SQLite updates the article row")
    for key in ("a-1", "a-2", "a-3"):
        post_comment(client, article=key, body=f"First on {key}.")
    with app.app_context():
        ids = dict(db.session.execute(select(Article.external_id, Article.id)).all())
        before = dict(db.session.execute(select(Article.external_id, Article.revision)).all())
        tally_articles(db.session, [(ids[key], 1, None) for key in ("a-1", "a-2", "a-3")])
        # Commit without the automatic fold, to fold by hand below.
        db.session.info.pop("moderation.tallied_articles", None)
        db.session.commit()
        holder = db.engine.connect()
        held = holder.begin()
        holder.execute(select(Article.id).where(Article.id == ids["a-2"]).with_for_update())
        folding = threading.Thread(target=fold_tallies, args=(db.engine, set(ids.values())))
        folding.start()
        folding.join(timeout=1)
        assert folding.is_alive()  # waiting for a-2, which another transaction holds
        held.rollback()
        holder.close()
        folding.join(timeout=10)
        assert not folding.is_alive()
        pending = db.session.scalar(select(func.count(ArticleTally.id)))
        after = {key: (count, revision) for key, count, revision in db.session.execute(
            select(Article.external_id, Article.published_count, Article.revision))}
        db.session.remove()
    assert pending == 0
    assert after == {key: (2, before[key] + 1) for key in ("a-1", "a-2", "a-3")}
