"""Whole public answers are served from the cache until a change to what they show."""

from __future__ import annotations

import time

from sqlalchemy import event, update

from moderation.extensions import db
from moderation.models import Site
from moderation.readers.answers import Answer, AnswerCache
from moderation.services import actions
from tests.factories import make_moderator
from tests.posting import THREAD, post_comment

COUNTS = "/api/v1/sites/news/counts?article=a-1&article=a-2"
THREAD_A1 = THREAD.format(article="a-1")


def statements(app, client, method: str, url: str, **kwargs) -> tuple[int, object]:
    """Send a request and return (SQL statements it ran, its response)."""
    seen = []
    with app.app_context():
        engine = db.engine

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = getattr(client, method)(url, **kwargs)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen), response


def counts(client) -> dict:
    response = client.get(COUNTS)
    assert response.status_code == 200
    return response.get_json()["counts"]


def thread_bodies(client) -> list[str]:
    response = client.get(THREAD_A1)
    assert response.status_code == 200
    return [c["body"] for c in response.get_json()["comments"]]


def prime(client) -> None:
    """Read counts and thread twice, so both come from the cache next time."""
    for _ in range(2):
        counts(client)
        thread_bodies(client)


def test_repeated_reads_run_no_sql(answer_app, site):
    client = answer_app.test_client()
    post_comment(client)
    for method, url, kwargs in [("get", COUNTS, {}), ("get", THREAD_A1, {}),
                                ("post", "/api/v1/sites/news/counts",
                                 {"json": {"articles": ["a-1", "a-2"]}})]:
        first_queries, first = statements(answer_app, client, method, url, **kwargs)
        again_queries, again = statements(answer_app, client, method, url, **kwargs)
        assert first_queries > 0 and again_queries == 0, url
        assert again.get_data() == first.get_data()
        assert again.headers.get("ETag") == first.headers.get("ETag")


def test_cached_answer_still_answers_304(answer_app, site):
    client = answer_app.test_client()
    post_comment(client)
    etag = client.get(THREAD_A1).headers["ETag"]
    client.get(THREAD_A1)
    queries, response = statements(answer_app, client, "get", THREAD_A1,
                                   headers={"If-None-Match": etag})
    assert response.status_code == 304 and queries == 0


def test_post_changes_the_next_answers(answer_app, site):
    client = answer_app.test_client()
    post_comment(client, body="First one.")
    prime(client)
    post_comment(client, body="Second one.")
    assert counts(client) == {"a-1": 2, "a-2": 0}
    assert thread_bodies(client) == ["First one.", "Second one."]


def test_reject_and_approve_change_the_next_answers(answer_app, site):
    client = answer_app.test_client()
    comment_id = post_comment(client, body="Judge me.")["id"]
    with answer_app.app_context():
        moderator = make_moderator("mod@example.com")
    prime(client)
    with answer_app.app_context():
        actions.reject(comment_id, db.session.merge(moderator))
    assert counts(client)["a-1"] == 0 and thread_bodies(client) == []
    prime(client)
    with answer_app.app_context():
        actions.approve(comment_id, db.session.merge(moderator))
    assert counts(client)["a-1"] == 1 and thread_bodies(client) == ["Judge me."]


def test_readers_delete_changes_the_next_answers(answer_app, site):
    client = answer_app.test_client()
    posted = post_comment(client, body="Regrets.")
    prime(client)
    response = client.delete(f"/api/v1/sites/news/comments/{posted['id']}",
                             headers={"X-Edit-Token": posted["edit_token"]},
                             environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 200
    assert counts(client)["a-1"] == 0 and thread_bodies(client) == []


def test_reports_that_hide_a_comment_change_the_next_answers(answer_app, site):
    client = answer_app.test_client()
    comment_id = post_comment(client, body="Contested.")["id"]
    with answer_app.app_context():
        db.session.execute(update(Site).values(flag_threshold=1))
        db.session.commit()
    prime(client)
    response = client.post(f"/api/v1/sites/news/comments/{comment_id}/flags",
                           json={"reason": "abusive"}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code in (200, 201)
    assert counts(client)["a-1"] == 0 and thread_bodies(client) == []


def test_a_change_through_another_app_changes_this_apps_answers(answer_apps, site):
    reader_side, writer_side = answer_apps(), answer_apps()
    readers, writers = reader_side.test_client(), writer_side.test_client()
    post_comment(writers, body="From the other node.")
    prime(readers)
    assert counts(readers)["a-1"] == 1
    post_comment(writers, body="And another.")
    assert counts(readers)["a-1"] == 2
    assert thread_bodies(readers) == ["From the other node.", "And another."]


def test_site_origins_change_applies_at_once(answer_app, site):
    client = answer_app.test_client()
    origin = {"Origin": "https://new.example"}
    assert "Access-Control-Allow-Origin" not in client.get(COUNTS, headers=origin).headers
    with answer_app.app_context():
        db.session.execute(update(Site).values(allowed_origins=["https://new.example"]))
        db.session.commit()
    response = client.get(COUNTS, headers=origin)
    assert response.headers["Access-Control-Allow-Origin"] == "https://new.example"


def test_public_api_answers_do_not_vary_on_cookies(answer_app, site):
    response = answer_app.test_client().get(COUNTS)
    assert response.headers["Vary"] == "Origin"
    assert "Set-Cookie" not in response.headers


def test_cache_keeps_within_its_byte_budget():
    cache = AnswerCache(entries=100, seconds=60, max_bytes=250)
    for n in range(5):
        cache.put(("k", n), Answer((), (), "", b"x" * 100, time.monotonic() + 60))
    assert cache.get(("k", 4)) is not None and cache.get(("k", 3)) is not None
    assert cache.get(("k", 0)) is None and cache.get(("k", 2)) is None
