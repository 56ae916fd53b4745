"""Rendered thread pages come from the cache until the article's revision changes."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from moderation.extensions import db
from moderation.models import ActorType, Comment, CommentStatus
from moderation.services.decisions import set_status
from tests.reliability.fixtures import URL


def comment_queries(app, client, url: str) -> tuple[int, dict]:
    """GET url and return (SQL statements touching comments, JSON body)."""
    seen = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if "FROM comments" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), response.get_json()


@pytest.fixture(params=["memory", "pages-only", "redis"])
def cached_app(request, app_factory):
    """An app with the in-process cache, the page cache alone, or Redis (db 3, own prefix)."""
    if request.param == "memory":
        return app_factory()
    if request.param == "pages-only":
        return app_factory(ANSWER_CACHE_SECONDS=0)
    redis_url = request.getfixturevalue("redis_url")
    prefix = request.getfixturevalue("queue_prefix")
    return app_factory(REDIS_URL=redis_url, QUEUE_PREFIX=prefix)


def test_second_read_comes_from_the_cache(cached_app, site):
    client = cached_app.test_client()
    client.post(URL, json={"author_name": "Ann", "body": "First."})
    queries, first = comment_queries(cached_app, client, URL)
    assert queries >= 2
    queries, again = comment_queries(cached_app, client, URL)
    assert queries == 0
    assert again == first


def test_new_comment_changes_the_cached_page(cached_app, site):
    client = cached_app.test_client()
    client.post(URL, json={"author_name": "Ann", "body": "First."})
    assert len(client.get(URL).get_json()["comments"]) == 1
    client.post(URL, json={"author_name": "Bob", "body": "Second."})
    body = client.get(URL).get_json()
    assert [c["body"] for c in body["comments"]] == ["First.", "Second."]
    assert body["count"] == 2


def test_moderation_decision_removes_comment_from_the_cached_page(cached_app, site):
    client = cached_app.test_client()
    posted = client.post(URL, json={"author_name": "Ann", "body": "First."}).get_json()
    assert client.get(URL).get_json()["count"] == 1
    with cached_app.app_context():
        comment = db.session.get(Comment, posted["id"])
        set_status(comment, CommentStatus.rejected, reason="moderator", actor=ActorType.moderator)
        db.session.commit()
        db.session.remove()
    body = client.get(URL).get_json()
    assert body["count"] == 0 and body["comments"] == []


def test_cache_can_be_turned_off(app_factory, site):
    app = app_factory(THREAD_CACHE_SECONDS=0, ANSWER_CACHE_SECONDS=0)
    client = app.test_client()
    client.post(URL, json={"author_name": "Ann", "body": "First."})
    comment_queries(app, client, URL)
    queries, _ = comment_queries(app, client, URL)
    assert queries >= 2
