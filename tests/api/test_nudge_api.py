"""The before-posting nudge: a draft the model would hold or reject is sent back once."""

from __future__ import annotations

from sqlalchemy import func, select, update

from moderation.extensions import db
from moderation.models import Comment, CommentStatus, Nudge, Site

URL = "/api/v1/sites/news/articles/a-1/comments"
DRAFT = "You are stupid and this game is stupid."


def post(client, url=URL, **fields):
    body = {"author_name": "Ann", "body": DRAFT, "nudge": True}
    body.update(fields)
    return client.post(url, json=body)


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Comment)),
                db.session.scalar(select(func.count()).select_from(Nudge)))


def stored(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id)


def test_held_draft_is_nudged_and_not_stored(app_factory, site):
    app = app_factory(model="middling")
    response = post(app.test_client())
    assert response.status_code == 200
    data = response.get_json()
    assert data["state"] == "nudge" and data["nudge_token"] and data["nudge_seconds"] == 1800
    assert "change it" in data["message"]
    assert counts(app) == (0, 1)


def test_revised_resubmit_is_stored_with_the_first_draft(app_factory, site):
    app = app_factory(model="middling")
    client = app.test_client()
    token = post(client).get_json()["nudge_token"]
    response = post(client, body="I disagree with this game.", nudge_token=token)
    assert response.status_code == 201
    data = response.get_json()
    assert data["state"] == "pending"  # the normal policy still decides
    comment = stored(app, data["id"])
    assert comment.draft_body == DRAFT and comment.body == "I disagree with this game."
    assert comment.nudge_outcome == "revised"
    assert counts(app) == (1, 1)


def test_sent_as_is_is_never_nudged_twice(app_factory, site):
    app = app_factory(model="abusive")
    client = app.test_client()
    token = post(client).get_json()["nudge_token"]
    response = post(client, nudge_token=token)
    assert response.status_code == 201 and response.get_json()["state"] == "rejected"
    comment = stored(app, response.get_json()["id"])
    assert comment.nudge_outcome == "as_is" and comment.draft_body == DRAFT
    assert comment.status is CommentStatus.rejected


def test_tampered_token_is_a_clear_json_error_and_stores_nothing(app_factory, site):
    app = app_factory(model="middling")
    client = app.test_client()
    token = post(client).get_json()["nudge_token"]
    response = post(client, nudge_token=token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB"))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "nudge_token_invalid"
    assert counts(app) == (0, 1)


def test_token_of_another_article_is_refused(app_factory, site):
    app = app_factory(model="middling")
    client = app.test_client()
    token = post(client).get_json()["nudge_token"]
    response = post(client, url=URL.replace("a-1", "a-2"), nudge_token=token)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "nudge_token_invalid"


def test_expired_token_asks_to_send_again(app_factory, site):
    app = app_factory(model="middling")
    client = app.test_client()
    token = post(client).get_json()["nudge_token"]
    app.config["NUDGE_TOKEN_SECONDS"] = -1  # every token is now older than allowed
    response = post(client, body="Fine.", nudge_token=token)
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "nudge_token_expired" and "send your comment again" in error["message"]
    assert counts(app) == (0, 1)


def test_site_with_the_nudge_off_posts_at_once(app_factory, site):
    app = app_factory(model="middling")
    with app.app_context():
        db.session.execute(update(Site).values(nudge_authors=False))
        db.session.commit()
    response = post(app.test_client())
    assert response.status_code == 201 and response.get_json()["state"] == "pending"
    assert counts(app) == (1, 0)


def test_scorer_failure_skips_the_nudge_and_posts(app_factory, site, tmp_path):
    app = app_factory(model="middling", MODEL_CHECKPOINT=str(tmp_path / "missing.ckpt"))
    response = post(app.test_client())
    assert response.status_code == 201 and response.get_json()["state"] == "pending"
    assert stored(app, response.get_json()["id"]).reason == "scorer_unavailable"
    assert counts(app) == (1, 0)


def test_fine_comment_and_clients_that_do_not_ask_are_never_nudged(app_factory, site):
    benign = app_factory().test_client()
    assert post(benign, body="Thanks, a good article.").status_code == 201
    held = app_factory(model="middling").test_client()
    assert post(held, nudge=False).status_code == 201
