"""Likes, reader reports with the auto-hide threshold, featured comments and most discussed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, update

from moderation.extensions import db
from moderation.models import (
    ActorType,
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationEvent,
    Site,
)
from moderation.models.types import utcnow
from tests.posting import THREAD, load_comment, post_comment

BASE = "/api/v1/sites/news"


def like(client, comment_id, remote="10.0.0.2", method="post"):
    return getattr(client, method)(f"{BASE}/comments/{comment_id}/like",
                                   environ_base={"REMOTE_ADDR": remote})


def report(client, comment_id, remote, reason="abusive", **extra):
    return client.post(f"{BASE}/comments/{comment_id}/flags", json={"reason": reason, **extra},
                       environ_base={"REMOTE_ADDR": remote})


def test_like_counts_once_per_reader(app, client, site):
    comment = post_comment(client)
    assert like(client, comment["id"]).get_json() == {"id": comment["id"], "likes": 1,
                                                      "liked": True}
    assert like(client, comment["id"]).get_json()["likes"] == 1
    assert like(client, comment["id"], remote="10.0.0.3").get_json()["likes"] == 2
    assert load_comment(app, comment["id"]).like_count == 2


def test_unlike_withdraws_the_readers_like(client, site):
    comment = post_comment(client)
    like(client, comment["id"])
    like(client, comment["id"], remote="10.0.0.3")
    answer = like(client, comment["id"], method="delete").get_json()
    assert answer == {"id": comment["id"], "likes": 1, "liked": False}
    thread = client.get(THREAD.format(article="a-1")).get_json()
    assert thread["comments"][0]["likes"] == 1


def test_likes_feed_the_top_sort(client, site):
    first = post_comment(client, body="First comment here.")
    second = post_comment(client, body="Second comment here.")
    for remote in ("10.0.1.1", "10.0.1.2"):
        like(client, second["id"], remote=remote)
    top = client.get(THREAD.format(article="a-1") + "?sort=top").get_json()
    assert [c["id"] for c in top["comments"]] == [second["id"], first["id"]]


def test_like_of_an_unpublished_or_foreign_comment_is_404(app, client, site):
    from moderation.sites.create import create_site

    with app.app_context():
        create_site("other", name="Other")
    comment = post_comment(client)
    response = client.post(f"/api/v1/sites/other/comments/{comment['id']}/like")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "comment_not_found"
    with app.app_context():
        db.session.execute(update(Comment).values(status=CommentStatus.pending_review))
        db.session.commit()
    assert like(client, comment["id"]).status_code == 404


def test_likes_are_rate_limited(app_factory, site):
    client = app_factory(LIKE_RATE_LIMIT="2/minute").test_client()
    comment = post_comment(client)
    statuses = [like(client, comment["id"], method=m).status_code
                for m in ("post", "delete", "post")]
    assert statuses == [200, 200, 429]


def test_report_is_recorded_once_per_reader(app, client, site):
    comment = post_comment(client)
    first = report(client, comment["id"], "10.0.2.1", reason="spam", note="Selling pills")
    assert first.status_code == 201 and first.get_json()["reported"] is True
    again = report(client, comment["id"], "10.0.2.1")
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_reported"
    with app.app_context():
        flags = db.session.query(Flag).all()
        assert [(f.reason, f.note) for f in flags] == [(FlagReason.spam, "Selling pills")]
        assert db.session.get(Comment, comment["id"]).flag_count == 1


def test_reports_below_the_threshold_keep_the_comment_published(app, client, site):
    comment = post_comment(client)
    for remote in ("10.0.2.1", "10.0.2.2"):
        assert report(client, comment["id"], remote).status_code == 201
    stored = load_comment(app, comment["id"])
    assert stored.status is CommentStatus.published and stored.flag_count == 2


def test_reports_at_the_threshold_hide_the_comment_for_review(app, client, site):
    comment = post_comment(client)
    for remote in ("10.0.2.1", "10.0.2.2", "10.0.2.3"):
        assert report(client, comment["id"], remote, reason="off_topic").status_code == 201
    stored = load_comment(app, comment["id"])
    assert stored.status is CommentStatus.pending_review and stored.reason == "reported"
    with app.app_context():
        events = db.session.query(ModerationEvent).filter_by(comment_id=comment["id"]).all()
        last = events[-1]
        assert (last.actor_type, last.from_status, last.to_status, last.reason) == (
            ActorType.reader, CommentStatus.published, CommentStatus.pending_review, "reported")
    thread = client.get(THREAD.format(article="a-1")).get_json()
    assert thread["count"] == 0 and thread["comments"] == []


def test_site_threshold_setting_applies(app, client, site):
    with app.app_context():
        db.session.execute(update(Site).values(flag_threshold=1))
        db.session.commit()
    comment = post_comment(client)
    report(client, comment["id"], "10.0.2.1")
    assert load_comment(app, comment["id"]).status is CommentStatus.pending_review


def test_report_reason_must_be_known(client, site):
    comment = post_comment(client)
    response = report(client, comment["id"], "10.0.2.1", reason="boring")
    assert response.status_code == 422
    assert "reason" in response.get_json()["error"]["fields"]


def test_reports_are_rate_limited(app_factory, site):
    client = app_factory(FLAG_RATE_LIMIT="2/minute").test_client()
    ids = [post_comment(client, body=f"Comment {n}")["id"] for n in range(3)]
    statuses = [report(client, i, "10.0.2.9").status_code for i in ids]
    assert statuses == [201, 201, 429]


def test_featured_comments_come_first_under_their_own_list(app, client, site):
    plain = post_comment(client, body="An ordinary remark.")
    pick = post_comment(client, body="A thoughtful remark.")
    with app.app_context():
        db.session.execute(update(Comment).where(Comment.id == pick["id"])
                           .values(is_featured=True))
        db.session.commit()
    thread = client.get(THREAD.format(article="a-1")).get_json()
    assert [c["id"] for c in thread["featured"]] == [pick["id"]]
    assert thread["featured"][0]["featured"] is True
    assert {c["id"] for c in thread["comments"]} == {plain["id"], pick["id"]}


def _backdate(app, comment_id, hours):
    with app.app_context():
        db.session.execute(update(Comment).where(Comment.id == comment_id)
                           .values(created_at=utcnow() - timedelta(hours=hours)))
        db.session.commit()


def test_most_discussed_ranks_articles_by_recent_published_comments(app, client, site):
    for _ in range(3):
        post_comment(client, article="busy", article_title="Busy story")
    post_comment(client, article="quiet", article_title="Quiet story")
    old = post_comment(client, article="stale", article_title="Old story")
    post_comment(client, article="stale")
    _backdate(app, old["id"], 48)
    with app.app_context():
        # The second comment on the stale story is rejected: it must not count.
        db.session.execute(update(Comment).where(Comment.id == old["id"] + 1)
                           .values(status=CommentStatus.rejected))
        db.session.commit()
    data = client.get(f"{BASE}/most-discussed?hours=24&limit=10").get_json()
    assert [(a["article"], a["recent_count"]) for a in data["articles"]] == [
        ("busy", 3), ("quiet", 1)]
    assert data["articles"][0]["title"] == "Busy story"


def test_most_discussed_is_one_query_and_honours_limit(app, client, site):
    for n in range(5):
        post_comment(client, article=f"story-{n}")
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        data = client.get(f"{BASE}/most-discussed?limit=2").get_json()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(data["articles"]) == 2
    aggregate = [s for s in statements if "count(" in s.lower()]
    assert len(aggregate) == 1
    # Site lookups and the CORS check aside, nothing else runs per article.
    assert len(statements) <= 3


def test_most_discussed_refuses_a_silly_window(client, site):
    response = client.get(f"{BASE}/most-discussed?hours=0")
    assert response.status_code == 422


def test_hidden_reply_drops_out_and_its_reply_moves_under_the_root(app, client, site):
    root = post_comment(client, body="Top-level remark.")
    middle = post_comment(client, body="A reply.", parent_id=root["id"])
    last = post_comment(client, body="A reply to the reply.", parent_id=middle["id"])
    with app.app_context():
        db.session.execute(update(Comment).where(Comment.id == middle["id"])
                           .values(status=CommentStatus.rejected))
        db.session.commit()
    thread = client.get(THREAD.format(article="a-1")).get_json()
    replies = thread["comments"][0]["replies"]
    assert [r["id"] for r in replies] == [last["id"]]
    assert thread["comments"][0]["reply_count"] == 1
