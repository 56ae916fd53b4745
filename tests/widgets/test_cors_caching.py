"""CORS only for a site's origins, and ETags that move the moment a decision is made."""

from __future__ import annotations

from moderation.extensions import db
from moderation.models import ActorType, Comment, CommentStatus
from moderation.services.decisions import set_status
from tests.posting import THREAD, post_comment

ALLOWED = "http://localhost:8123"
COUNTS = "/api/v1/sites/news/counts?articles=a-1,a-2"


def test_allowed_origin_may_read_api_responses(client, site):
    response = client.get(THREAD.format(article="a-1"), headers={"Origin": ALLOWED})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers["Vary"]


def test_other_origin_gets_no_cors_headers(client, site):
    response = client.get(THREAD.format(article="a-1"), headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert not [h for h, _ in response.headers if h.startswith("Access-Control-")]


def test_unknown_site_gets_no_cors_headers(client, site):
    response = client.get("/api/v1/sites/nope/counts?articles=a", headers={"Origin": ALLOWED})
    assert response.status_code == 404
    assert "Access-Control-Allow-Origin" not in response.headers


def test_preflight_is_answered_for_allowed_origin_only(client, site):
    headers = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "content-type"}
    response = client.options(THREAD.format(article="a-1"), headers=headers)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert "X-Edit-Token" in response.headers["Access-Control-Allow-Headers"]
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    headers["Origin"] = "https://evil.example"
    refused = client.options(THREAD.format(article="a-1"), headers=headers)
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_preflight_does_not_spend_the_comment_rate_limit(app_factory, site):
    client = app_factory(COMMENT_RATE_LIMIT_CLIENT="1/minute").test_client()
    headers = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}
    for _ in range(3):
        assert client.options(THREAD.format(article="a-1"), headers=headers).status_code == 200
    post_comment(client)


def test_errors_carry_cors_headers_so_widgets_can_read_them(app_factory, site):
    client = app_factory(COMMENT_RATE_LIMIT_CLIENT="1/minute").test_client()
    body = {"author_name": "Ann", "body": "Hello there."}
    client.post(THREAD.format(article="a-1"), json=body, headers={"Origin": ALLOWED})
    limited = client.post(THREAD.format(article="a-1"), json=body, headers={"Origin": ALLOWED})
    assert limited.status_code == 429
    assert limited.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_counts_carry_etag_and_cache_control(client, site):
    post_comment(client)
    response = client.get(COUNTS)
    assert response.get_json() == {"counts": {"a-1": 1, "a-2": 0}}
    assert response.headers["ETag"]
    assert "max-age=" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]
    again = client.get(COUNTS, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def _reject_first(app):
    with app.app_context():
        comment = db.session.query(Comment).first()
        set_status(comment, CommentStatus.rejected, reason="moderator", actor=ActorType.moderator)
        db.session.commit()


def test_counts_etag_changes_right_after_a_decision(app, client, site):
    post_comment(client)
    etag = client.get(COUNTS).headers["ETag"]
    _reject_first(app)
    after = client.get(COUNTS, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.get_json()["counts"]["a-1"] == 0
    assert after.headers["ETag"] != etag


def test_thread_revalidates_with_304_until_a_decision(app, client, site):
    post_comment(client)
    url = THREAD.format(article="a-1")
    first = client.get(url)
    etag = first.headers["ETag"]
    assert "max-age=" in first.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    _reject_first(app)
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.get_json()["comments"] == []


def test_thread_etag_differs_by_sort(client, site):
    post_comment(client)
    url = THREAD.format(article="a-1")
    assert client.get(url).headers["ETag"] != client.get(url + "?sort=newest").headers["ETag"]


def test_like_moves_the_thread_etag(client, site):
    comment = post_comment(client)
    url = THREAD.format(article="a-1")
    etag = client.get(url).headers["ETag"]
    client.post(f"/api/v1/sites/news/comments/{comment['id']}/like")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_weak_validator_from_a_cdn_still_matches(client, site):
    post_comment(client)
    etag = client.get(COUNTS).headers["ETag"]
    weak = "W/" + etag
    assert client.get(COUNTS, headers={"If-None-Match": weak}).status_code == 304


def test_recreated_article_never_matches_the_old_etag(app, client, site):
    from sqlalchemy import delete

    from moderation.models import Article

    post_comment(client)
    url = THREAD.format(article="a-1")
    etag = client.get(url).headers["ETag"]
    with app.app_context():
        db.session.execute(delete(Article))
        db.session.commit()
    post_comment(client, body="A different first comment.")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert again.get_json()["comments"][0]["body"] == "A different first comment."


def test_widget_cache_buster_reads_the_same_validated_answer(client, site):
    # After posting, the widget adds fresh=<time> so no cache holds the address; the service
    # must answer it as the plain read, with the same ETag, counts included.
    post_comment(client)
    url = THREAD.format(article="a-1")
    plain, fresh = client.get(url), client.get(url + "?fresh=1796025405067")
    assert fresh.status_code == 200 and fresh.headers["ETag"] == plain.headers["ETag"]
    counts = client.get("/api/v1/sites/news/counts?article=a-1&fresh=1796025405067")
    assert counts.status_code == 200 and counts.get_json()["counts"] == {"a-1": 1}
