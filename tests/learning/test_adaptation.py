"""A site model fitted to the site's verdicts is used only when it beats the bundled scores."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from moderation.errors import Conflict
from moderation.extensions import db, scorer
from moderation.learning import adaptation
from moderation.learning.adaptation import auc, fit_logistic
from moderation.models import Comment, CommentStatus, SiteModel
from moderation.services import actions
from tests.factories import make_comment, make_moderator
from tests.learning.seeding import CLEAN, seed_strict_decisions

POST = "/api/v1/sites/news/articles/a-1/comments"


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def seed_combined_rule(n: int) -> None:
    """Moderators who reject when insult and threat together cross a line neither shows alone."""
    rng = random.Random(5)
    moderators = [make_moderator(f"c{i}@example.org") for i in range(3)]
    model_id = scorer.get().model_id
    for number in range(n):
        insult, threat = rng.uniform(0.02, 0.7), rng.uniform(0.02, 0.7)
        comment = make_comment(body=f"c{number}", scores=CLEAN | {"insult": insult,
                                                                  "threat": threat})
        comment.model_id, comment.language = model_id, "en"
        db.session.commit()
        decide = actions.reject if logit(insult) + logit(threat) > -1.0 else actions.approve
        decide(comment.id, moderators[number % 3], version=comment.version)


@pytest.fixture
def few(monkeypatch):
    monkeypatch.setattr(adaptation, "MIN_DECISIONS", 50)
    monkeypatch.setattr("moderation.learning.calibration.MIN_DECISIONS", 50)
    monkeypatch.setattr("moderation.learning.calibration.MIN_REJECTIONS", 5)


def test_logistic_regression_recovers_a_known_rule():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] - 2 * x[:, 1] > 0).astype(float)
    coef, _ = fit_logistic(x, y, np.ones(400))
    assert coef[0] > 0 > coef[1] and auc(x @ coef, y.astype(bool)) > 0.99


def test_too_few_decisions_say_how_many_more(app, site):
    with app.app_context(), pytest.raises(Conflict, match="needs 500: 500 more"):
        adaptation.train("news")


def test_a_model_that_beats_the_bundled_scores_is_stored_versioned_and_used(
        app, site, client, few):
    with app.app_context():
        seed_combined_rule(90)
        model = adaptation.train("news")
        assert model.version == 1 and model.active
        assert model.metrics["auc_site_model"] > model.metrics["auc_bundled_best"]
        assert model.weights["features"] == list(adaptation.LABELS)
    response = client.post(POST, json={"author_name": "Ann", "body": "Thanks, a good article."})
    assert response.get_json()["state"] == "published"
    with app.app_context():
        # A broken stored model sends comments to review, as a failed scorer does.
        stored = db.session.get(SiteModel, model.id)
        stored.weights = {**stored.weights, "coef": [1.0]}
        db.session.commit()
    comment_id = client.post(POST, json={"author_name": "Ann", "body": "Thanks again."}
                             ).get_json()["id"]
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, comment.reason) == (CommentStatus.pending_review,
                                                    "scorer_unavailable")


def test_a_model_that_does_not_beat_the_bundled_scores_is_kept_but_not_used(app, site, few):
    with app.app_context():
        seed_strict_decisions(60)
        model = adaptation.train("news")
        assert not model.active and not model.metrics["beats_bundled"]
        assert db.session.query(SiteModel).filter_by(active=True).count() == 0


def test_a_site_model_runs_in_shadow_then_is_promoted_and_rolled_back(
        app, site, client, few, monkeypatch):
    from moderation.learning import changes, shadow
    from moderation.models import PolicyChange, ShadowDecision
    from moderation.policy.routing import Decision

    with app.app_context():
        seed_combined_rule(90)
        model = adaptation.train("news", activate=False)
        # It beats the bundled scores, but a trial keeps it out of use until promoted.
        assert model.metrics["beats_bundled"] and not model.active
        run = shadow.start_model("news", model.version, None)
        run_id, version = run.id, model.version
        assert run.site_model_id == model.id and run.note == f"site model v{version}"
        with pytest.raises(Conflict, match="already runs"):
            shadow.start_model("news", model.version, None)
    body = "Thanks, a good article."
    comment_id = client.post(POST, json={"author_name": "Ann", "body": body}).get_json()["id"]
    with app.app_context():
        recorded = db.session.query(ShadowDecision).filter_by(comment_id=comment_id).one()
        comment = db.session.get(Comment, comment_id)
        expected = adaptation.predict(model.weights, comment.scores)
        cut = model.weights["approve_below"]
        assert recorded.live_status == comment.status.value == "published"
        assert recorded.status == ("published" if expected < cut else "pending_review")
        # The candidate decides by its model: one sure of rejection holds what the
        # thresholds alone would publish.
        sure = SiteModel(weights={**model.weights, "intercept": 50.0})
        run = db.session.get(shadow.ShadowPolicy, run_id)
        live = Decision(CommentStatus.published, "threshold")
        monkeypatch.setattr(shadow, "candidate_model", lambda _run: sure)
        assert shadow.shadow_decision(run, comment, live, False).status is not \
            CommentStatus.published
        monkeypatch.undo()
        shadow.promote("news", run_id, None)
        db.session.expire_all()
        assert db.session.query(SiteModel).filter_by(version=version).one().active
        change = db.session.query(PolicyChange).one()
        assert change.kind == "site_model_promotion"
        assert change.evidence["site_model_version"] == version
        assert change.evidence["previous_site_model"] is None
        changes.rollback("news", None)
        db.session.expire_all()
        assert db.session.query(SiteModel).filter_by(active=True).count() == 0


def test_only_an_unused_version_of_the_site_can_run_in_shadow(app, site, few):
    from moderation.errors import NotFound
    from moderation.learning import shadow

    with app.app_context():
        seed_combined_rule(90)
        model = adaptation.train("news")
        assert model.active
        with pytest.raises(Conflict, match="already in use"):
            shadow.start_model("news", model.version, None)
        with pytest.raises(NotFound, match="no model version 9"):
            shadow.start_model("news", 9, None)
