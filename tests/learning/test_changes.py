"""Applying a calibration writes the site's thresholds with an audit row; rollback restores."""

from __future__ import annotations

import pytest

from moderation.errors import Conflict
from moderation.extensions import db
from moderation.learning import changes
from moderation.learning.calibration import Targets
from moderation.models import PolicyChange, Site
from tests.learning.seeding import seed_strict_decisions

TARGETS = Targets(max_missed=0.02, max_review=0.5)


@pytest.fixture
def decided(app, site, small_rails):
    with app.app_context():
        seed_strict_decisions()
        yield db.session.query(Site).filter_by(key="news").one()


def test_nothing_changes_until_applied_then_the_site_layer_holds_the_proposal(decided):
    proposal = changes.site_calibration("news", TARGETS)
    assert proposal.refusal is None
    assert decided.thresholds == {}
    change = changes.apply_calibration("news", TARGETS, None, note="test")
    db.session.expire_all()
    site = db.session.get(Site, decided.id)
    assert site.thresholds == proposal.proposed
    # The mild insults (0.30-0.36) no longer publish: one of their labels now holds them.
    assert min(site.thresholds["approve"]["insult"], site.thresholds["approve"]["toxicity"]) <= 0.3
    assert change.kind == "calibration" and change.before == {}
    assert change.evidence["newer"]["proposed"]["missed"] <= change.evidence["newer"]["current"][
        "missed"]


def test_rollback_restores_the_thresholds_before_and_is_audited(decided):
    decided.thresholds = {"approve": {"threat": 0.2}, "reject": {}}
    db.session.commit()
    applied = changes.apply_calibration("news", TARGETS, None)
    rollback = changes.rollback("news", None)
    db.session.expire_all()
    assert db.session.get(Site, decided.id).thresholds == {"approve": {"threat": 0.2},
                                                           "reject": {}}
    assert db.session.get(PolicyChange, applied.id).rolled_back_by_id == rollback.id
    with pytest.raises(Exception, match="no applied change"):
        changes.rollback("news", None)


def test_rollback_refuses_once_the_thresholds_were_edited_by_hand(decided):
    changes.apply_calibration("news", TARGETS, None)
    site = db.session.get(Site, decided.id)
    site.thresholds = {"approve": {"insult": 0.1}, "reject": {}}
    db.session.commit()
    with pytest.raises(Conflict):
        changes.rollback("news", None)


def test_calibrate_command_proposes_and_applies_only_when_asked(app, decided):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["moderation", "calibrate", "news", "--max-review", "0.5"])
    assert dry.exit_code == 0, dry.output
    assert "missed rejections" in dry.output and "approve toxicity: 0.4000 -> " in dry.output
    assert db.session.query(PolicyChange).count() == 0
    applied = runner.invoke(args=["moderation", "calibrate", "news", "--max-review", "0.5",
                                  "--apply", "--as", "m0@example.org"])
    assert applied.exit_code == 0, applied.output
    change = db.session.query(PolicyChange).one()
    assert change.moderator_id is not None and change.kind == "calibration"
    back = runner.invoke(args=["moderation", "rollback-thresholds", "news"])
    assert back.exit_code == 0, back.output


def test_too_few_decisions_say_how_many_more_and_apply_refuses(app, site):
    with app.app_context():
        seed_strict_decisions(12)
        result = app.test_cli_runner().invoke(args=["moderation", "calibrate", "news", "--apply"])
        assert result.exit_code != 0
        assert "188 more" in result.output


def test_after_calibration_a_language_the_model_does_not_read_still_goes_to_review(
        app, decided):
    changes.apply_calibration("news", TARGETS, None)
    response = app.test_client().post(
        "/api/v1/sites/news/articles/a-1/comments",
        json={"author_name": "Jan", "body": "Das ist ein sehr guter Artikel, vielen Dank für die "
                                            "gründliche Recherche und die klaren Worte."})
    assert response.get_json()["state"] == "pending"
    with app.app_context():
        from moderation.models import Comment

        comment = db.session.get(Comment, response.get_json()["id"])
        assert comment.language == "de" and comment.reason == "language_unsupported"
