"""Refused admin forms come back on their page, typed values kept and fields marked; none stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from moderation.extensions import db
from moderation.models import Article, Moderator, Role, Site, SiteWord
from tests.dashboard.conftest import csrf_token
from tests.factories import make_comment

SITES = "/dashboard/admin/sites"
MODERATORS = "/dashboard/admin/moderators"


def post(client, path, **data):
    """Post a dashboard form as a browser does, CSRF token included."""
    return client.post(path, headers={"Accept": "text/html"},
                       data={"csrf_token": csrf_token(client, "/dashboard/"), **data})


def marked(html: str, field_id: str, message: str) -> bool:
    """Tell whether the input is flagged invalid and its message stands next to it."""
    return (f'aria-invalid="true" aria-describedby="{field_id}-error"' in html
            and f'<span class="field-error" id="{field_id}-error">{message}' in html)


@pytest.fixture
def stored_site(app, site):
    """Return a function that reads the news site's stored settings."""

    def read():
        with app.app_context():
            row = db.session.scalar(select(Site).where(Site.key == "news"))
            return (row.name, row.allowed_origins, row.thresholds, row.premoderate,
                    row.language_check, row.flag_threshold)

    return read


def test_bad_new_site_comes_back_with_the_key_marked(app, admin_client):
    response = post(admin_client, SITES, key="no spaces!", name="Metro")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert marked(html, "site-key", "Use letters, digits, dots, dashes.")
    assert 'value="no spaces!"' in html and 'value="Metro"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Site)) == 1


def test_taken_site_key_comes_back_on_the_form(app, admin_client, stored_site):
    before = stored_site()
    response = post(admin_client, SITES, key="news", name="Another News")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert marked(html, "site-key", "A site with key &#39;news&#39; exists.")
    assert 'value="Another News"' in html
    assert stored_site() == before


def test_bad_site_settings_come_back_with_each_field_marked(app, admin_client, stored_site):
    before = stored_site()
    response = post(admin_client, "/dashboard/admin/sites/news", name="",
                    allowed_origins="ftp://files.example", approve_toxicity="7",
                    reject_insult="0.9", flag_threshold="0", premoderate="true")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert marked(html, "name", "Missing data for required field.")
    assert marked(html, "origins", "&#39;ftp://files.example&#39; is not an origin")
    assert ('aria-describedby="approve_toxicity-now approve_toxicity-error" '
            'aria-invalid="true"') in html
    assert ('<span class="field-error" id="approve_toxicity-error">'
            "Must be greater than or equal to 0 and less than or equal to 1.") in html
    assert marked(html, "flag_threshold", "Must be greater than or equal to 1")
    assert "reject_insult-error" not in html
    assert ">ftp://files.example</textarea>" in html
    assert 'value="7"' in html and 'value="0.9"' in html and 'value="0"' in html
    assert 'name="premoderate" value="true" checked' in html
    assert stored_site() == before


def test_bad_article_settings_come_back_on_its_row(app, admin_client):
    with app.app_context():
        article = db.session.get(Article, make_comment().article_id)
        article_id, revision = article.id, article.revision
    response = post(admin_client, f"/dashboard/admin/articles/{article_id}", is_closed="maybe")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert marked(html, f"article-{article_id}-closed", "Not a valid boolean.")
    with app.app_context():
        article = db.session.get(Article, article_id)
        assert (article.is_closed, article.premoderate, article.revision) == (False, False,
                                                                              revision)


def test_empty_word_list_comes_back_on_its_form(app, admin_client):
    response = post(admin_client, "/dashboard/admin/sites/news/words", kind="suspect", words="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert marked(html, "words-suspect", "Missing data for required field.")
    assert 'aria-describedby="words-banned-error"' not in html
    with app.app_context():
        assert db.session.scalar(select(SiteWord)) is None


def test_message_without_an_input_is_listed_at_the_top(app, admin_client):
    response = post(admin_client, "/dashboard/admin/sites/news/words", kind="loud", words="x")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<div class="form-problems" role="alert">' in html
    assert "<li>Kind: Must be one of: banned, suspect.</li>" in html
    with app.app_context():
        assert db.session.scalar(select(SiteWord)) is None


def test_bad_new_moderator_comes_back_without_the_password(app, admin_client):
    response = post(admin_client, MODERATORS, email="not-an-email", password="short",
                    role="admin")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert marked(html, "new-email", "Not a valid email address.")
    assert marked(html, "new-password", "Length must be between 10 and 500.")
    assert 'value="not-an-email"' in html and '<option value="admin" selected>' in html
    assert "short" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Moderator)) == 1


def test_taken_email_comes_back_on_the_form(app, admin_client):
    response = post(admin_client, MODERATORS, email="admin@example.org",
                    password="a good long one", role="moderator")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert marked(html, "new-email", "admin@example.org already has an account.")
    assert 'value="admin@example.org"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Moderator)) == 1


def test_bad_role_comes_back_on_the_accounts_row(app, admin_client, mod):
    response = post(admin_client, f"{MODERATORS}/{mod}", role="owner", active="true")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert marked(html, f"role{mod}", "Must be one of: moderator, admin.")
    with app.app_context():
        moderator = db.session.get(Moderator, mod)
        assert (moderator.role, moderator.active) == (Role.moderator, True)


def test_removing_ones_own_admin_rights_comes_back_on_the_row(app, admin_client, admin):
    response = post(admin_client, f"{MODERATORS}/{admin}", role="admin")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert marked(html, f"role{admin}", "You cannot remove your own admin rights.")
    with app.app_context():
        assert db.session.get(Moderator, admin).active
