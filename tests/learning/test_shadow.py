"""Shadow mode records a candidate's decision on each new comment and never acts on it."""

from __future__ import annotations

import pytest

from moderation.extensions import db
from moderation.learning import shadow
from moderation.models import Comment, CommentStatus, PolicyChange, ShadowDecision, Site
from moderation.services import actions
from tests.factories import make_moderator

# Holds everything the tiny benign model scores: nothing would be published.
STRICT = {"approve": {"toxicity": 0.0, "severe_toxicity": 0.0, "obscene": 0.0, "threat": 0.0,
                      "insult": 0.0, "identity_attack": 0.0},
          "reject": {"toxicity": 0.99, "severe_toxicity": 0.99, "obscene": 0.99, "threat": 0.99,
                     "insult": 0.99, "identity_attack": 0.99}}
POST = "/api/v1/sites/news/articles/a-1/comments"


@pytest.fixture
def running(app, site):
    with app.app_context():
        run = shadow.start("news", STRICT, None, note="strict")
        return run.id


def post(client, body: str) -> int:
    response = client.post(POST, json={"author_name": "Ann", "body": body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_new_comments_get_the_shadow_decision_recorded_and_the_live_one_acted_on(
        app, client, running):
    comment_id = post(client, "Thanks for the great article, a good read.")
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        recorded = db.session.query(ShadowDecision).filter_by(comment_id=comment_id).one()
        assert comment.status is CommentStatus.published
        assert (recorded.live_status, recorded.status) == ("published", "pending_review")


def test_report_compares_live_and_shadow_with_verdicts_then_promote_applies(
        app, client, running):
    ids = [post(client, f"Thanks for the great article number {n}.") for n in range(4)]
    with app.app_context():
        moderator = make_moderator("mod@example.org")
        actions.reject(ids[0], moderator, version=1)
        for comment_id in ids[1:]:
            actions.approve(comment_id, moderator, version=1)
        site = db.session.query(Site).filter_by(key="news").one()
        report = shadow.report(site, db.session.get(shadow.ShadowPolicy, running))
        assert report["overall"]["decided"] == 4
        assert report["overall"]["live"]["published_but_rejected"] == 0.25
        assert report["overall"]["shadow"]["published_but_rejected"] == 0.0
        assert report["overall"]["shadow"]["held_but_approved"] == 0.75
        assert report["labels"] and len(report["examples"]) == 4
        shadow.promote("news", running, moderator)
        db.session.expire_all()
        assert db.session.get(Site, site.id).thresholds == STRICT
        assert db.session.query(PolicyChange).one().kind == "promotion"
    assert client.post(POST, json={"author_name": "Ann", "body": "Nice piece."}).get_json()[
        "state"] == "pending"


def test_discard_changes_nothing_live_and_ends_the_run(app, client, running):
    with app.app_context():
        shadow.discard("news", running, None)
        assert shadow.running(db.session.query(Site).filter_by(key="news").one().id) is None
        assert db.session.query(Site).filter_by(key="news").one().thresholds == {}
    comment_id = post(client, "Thanks for the great article.")
    with app.app_context():
        assert db.session.query(ShadowDecision).filter_by(comment_id=comment_id).count() == 0


def test_a_broken_shadow_never_costs_a_comment(app, client, running, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("shadow failed")

    monkeypatch.setattr(shadow, "shadow_decision", broken)
    comment_id = post(client, "Thanks for the great article.")
    with app.app_context():
        assert db.session.get(Comment, comment_id).status is CommentStatus.published
