"""The admins' learning page: the proposal, its SVG plot, apply, shadow and rollback buttons."""

from __future__ import annotations

import re

import pytest

from moderation.extensions import db
from moderation.models import PolicyChange, ShadowPolicy, Site
from tests.dashboard.conftest import csrf_token
from tests.learning.seeding import seed_strict_decisions

PAGE = "/dashboard/admin/sites/news/learning"


@pytest.fixture
def decided(app, site, small_rails):
    with app.app_context():
        seed_strict_decisions()


def test_page_shows_current_against_proposed_and_the_plot(decided, admin_client):
    html = admin_client.get(PAGE + "?max_review=0.5").get_data(as_text=True)
    assert "On the newer decisions, which the fit did not see" in html
    assert re.search(r"<svg[^>]*role=\"img\"", html) and "<polyline" in html
    assert "point-current" in html and "point-proposed" in html
    assert "cdn" not in html.lower()


def test_apply_shadow_and_rollback_from_the_page(app, decided, admin_client):
    token = csrf_token(admin_client, PAGE)
    form = {"csrf_token": token, "max_missed": "0.02", "max_review": "0.5"}
    assert admin_client.post(PAGE + "/shadow", data=form).status_code == 303
    assert admin_client.post(PAGE + "/apply", data=form).status_code == 303
    with app.app_context():
        assert db.session.query(Site).filter_by(key="news").one().thresholds
        assert db.session.query(ShadowPolicy).one().status == "running"
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert "Live against shadow" in html and "calibration" in html
    assert admin_client.post(PAGE + "/rollback", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.query(Site).filter_by(key="news").one().thresholds == {}
        assert [c.kind for c in db.session.query(PolicyChange).order_by(PolicyChange.id)] == [
            "calibration", "rollback"]


def test_too_few_decisions_are_explained_on_the_page(app, site, admin_client):
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert "No proposal yet: 0 usable decisions; calibration needs 200: 200 more." in html


def test_csv_download_is_for_admins_only(decided, admin_client, mod_client):
    response = admin_client.get("/dashboard/admin/sites/news/decisions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).count("\n") == 61
    assert mod_client.get("/dashboard/admin/sites/news/decisions.csv").status_code == 403
    assert mod_client.get(PAGE).status_code == 403


def test_a_site_model_is_trained_into_shadow_from_the_page(app, decided, admin_client,
                                                          monkeypatch):
    from moderation.learning import adaptation
    from moderation.models import SiteModel

    monkeypatch.setattr(adaptation, "MIN_DECISIONS", 40)
    token = csrf_token(admin_client, PAGE)
    response = admin_client.post(PAGE + "/site-model/shadow", data={"csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        model = db.session.query(SiteModel).one()
        run = db.session.query(ShadowPolicy).one()
        assert not model.active and run.site_model_id == model.id and run.status == "running"
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert "Candidate: site model v1" in html
    # While a run is going, no second version is offered for a trial.
    assert "Try v1 in shadow" not in html
    admin_client.post(f"{PAGE}/shadow/{run.id}/discard", data={"csrf_token": token})
    assert "Try v1 in shadow" in admin_client.get(PAGE).get_data(as_text=True)
