"""A site's thresholds as labelled fields: sources, validation, audit and the routing preview."""

from __future__ import annotations

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import CommentStatus, PolicyChange, Site
from moderation.sites.thresholds import effective, preview
from tests.dashboard.conftest import csrf_token
from tests.factories import BENIGN, make_comment

PAGE = "/dashboard/admin/sites/news"


def post(client, path, **data):
    """Post a form as a browser does, CSRF token included."""
    return client.post(path, headers={"Accept": "text/html"},
                       data={"csrf_token": csrf_token(client, "/dashboard/"), **data})


def news(app):
    return db.session.scalar(select(Site).where(Site.key == "news"))


def test_preview_counts_recent_comments_under_current_and_proposed(app, site):
    with app.app_context():
        limits = effective(None)
        mild = dict(BENIGN, toxicity=round(limits["approve"]["toxicity"].value / 2, 3))
        make_comment(scores=mild)
        make_comment(scores=mild)
        make_comment(scores=dict(BENIGN, insult=round(limits["reject"]["insult"].value, 3)))
        make_comment(scores={}, reason="scorer_unavailable")  # no stored scores: left out
        proposed = {"approve": {"toxicity": mild["toxicity"] / 2},
                    "reject": {"toxicity": mild["toxicity"]}}
        counts = preview(news(app), proposed)
    assert counts["comments"] == 3
    assert counts["current"] == {"published": 2, "review": 0, "rejected": 1}
    assert counts["proposed"] == {"published": 0, "review": 0, "rejected": 3}


def test_preview_keeps_rules_decided_before_the_thresholds(app, site):
    with app.app_context():
        make_comment(status=CommentStatus.rejected, reason="banned_word")
        make_comment(reason="suspect_word")
        counts = preview(news(app), {"approve": {}, "reject": {}})
    assert counts["proposed"] == {"published": 0, "review": 1, "rejected": 1}


def test_values_show_their_source_and_site_values_win(app, site):
    with app.app_context():
        values = effective({"approve": {"threat": 0.11}, "reject": {}})
    assert (values["approve"]["threat"].value, values["approve"]["threat"].source) == (
        0.11, "this site")
    assert values["reject"]["threat"].source != "this site"


def test_site_page_shows_fields_with_effective_values(admin_client):
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert 'id="approve_identity_attack" name="approve_identity_attack" type="number"' in html
    assert "Publish below: identity attack" in html and "Reject from: threat" in html
    assert "Preview routing" in html and "Thresholds (JSON" not in html


def test_saving_thresholds_is_audited(app, admin_client):
    response = post(admin_client, PAGE, name="News", approve_threat="0.15", reject_threat="0.6")
    assert response.status_code == 303
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert "now 0.15 · this site" in html and 'value="0.15"' in html
    with app.app_context():
        assert news(app).thresholds == {"approve": {"threat": 0.15}, "reject": {"threat": 0.6}}
        [change] = db.session.scalars(select(PolicyChange)).all()
        assert (change.kind, change.before, change.after["approve"]) == (
            "manual", {}, {"threat": 0.15})
        assert change.moderator_id is not None


def test_approve_at_or_above_reject_is_refused(app, admin_client):
    response = post(admin_client, PAGE, name="News", approve_insult="0.9", reject_insult="0.5")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="approve_insult-error">Approve (0.9) must stay below reject (0.5).' in html
    with app.app_context():
        assert news(app).thresholds in ({}, None)
        assert db.session.scalar(select(PolicyChange)) is None


def test_preview_button_shows_counts_and_keeps_typed_values(app, admin_client):
    with app.app_context():
        make_comment()
    response = post(admin_client, PAGE + "/thresholds/preview", name="News",
                    approve_toxicity="0.01", premoderate="true")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "latest 1 scored comments" in html and 'value="0.01"' in html
    assert "Nothing was saved." not in html
    with app.app_context():
        assert not news(app).thresholds


def test_json_preview_for_the_page_script(app, admin_client):
    with app.app_context():
        make_comment()
    token = csrf_token(admin_client, "/dashboard/")
    response = admin_client.post(PAGE + "/thresholds/preview", headers={"X-CSRFToken": token},
                                 json={"approve_toxicity": 0.01})
    assert response.get_json()["proposed"] == {"published": 0, "review": 1, "rejected": 0}
    bad = admin_client.post(PAGE + "/thresholds/preview", headers={"X-CSRFToken": token},
                            json={"approve_toxicity": 2})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "validation_failed"
