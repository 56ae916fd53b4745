"""Admin pages end to end: word lists and bans reach the submit pipeline, settings stick."""

from __future__ import annotations

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import Article, Comment, Moderator, Role, Site, SiteWord
from tests.dashboard.conftest import csrf_token, login

URL = "/api/v1/sites/news/articles/a-1/comments"


def post_comment(client, body="Thanks for the careful reporting.", **fields):
    return client.post(URL, json={"author_name": "Ann", "body": body, **fields})


def form(client, path, page="/dashboard/", **data):
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def test_banned_and_suspect_words_route_new_comments(app, admin_client):
    form(admin_client, "/dashboard/admin/sites/news/words", kind="banned", words="Fudge, crud")
    form(admin_client, "/dashboard/admin/sites/news/words", kind="suspect", words="lawsuit")
    page = admin_client.get("/dashboard/admin/sites/news").get_data(as_text=True)
    assert "fudge" in page and "crud" in page and "lawsuit" in page
    client = app.test_client()
    banned = post_comment(client, body="What a load of f.u.d.g.e").get_json()
    suspect = post_comment(client, body="Expect a LAWSUIT soon").get_json()
    fine = post_comment(client, body="Fudgeable and crude, but fine").get_json()
    assert (banned["state"], suspect["state"], fine["state"]) == ("rejected", "pending",
                                                                  "published")
    with app.app_context():
        stored = db.session.get(Comment, banned["id"])
        assert (stored.reason, stored.matched_word) == ("banned_word", "fudge")
        stored = db.session.get(Comment, suspect["id"])
        assert (stored.reason, stored.matched_word) == ("suspect_word", "lawsuit")
    queue = admin_client.get("/dashboard/?reason=suspect_word").get_data(as_text=True)
    assert "suspect word: “lawsuit”" in queue


def test_removing_a_word_stops_matching(app, admin_client):
    form(admin_client, "/dashboard/admin/sites/news/words", kind="banned", words="crud")
    with app.app_context():
        word_id = db.session.scalar(select(SiteWord.id))
    form(admin_client, f"/dashboard/admin/sites/news/words/{word_id}/delete")
    assert post_comment(app.test_client(), body="crud").get_json()["state"] == "published"


def test_banned_author_is_rejected_end_to_end(app, mod_client):
    client = app.test_client()
    first = post_comment(client, email="troll@example.org").get_json()
    assert first["state"] == "published"
    response = form(mod_client, f"/dashboard/comments/{first['id']}/ban",
                    version="1", days="7", match="email")
    assert response.status_code == 303
    again = post_comment(client, email="Troll@Example.org", body="Hello again").get_json()
    assert again["state"] == "rejected"
    with app.app_context():
        assert db.session.get(Comment, again["id"]).reason == "banned"
    other = app.test_client().post(URL, json={"author_name": "Bo", "body": "Hi",
                                              "email": "bo@example.org"}).get_json()
    assert other["state"] == "published"


def test_moderator_cannot_change_words(app, mod_client):
    response = form(mod_client, "/dashboard/admin/sites/news/words", kind="banned", words="x")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(SiteWord)) is None


def test_site_settings_are_saved(app, admin_client):
    response = form(admin_client, "/dashboard/admin/sites/news", name="News Daily",
                    allowed_origins="https://news.example\nhttps://m.news.example/",
                    approve_toxicity="0.2", reject_threat="", premoderate="true",
                    flag_threshold="5")
    assert response.status_code == 303
    with app.app_context():
        site = db.session.scalar(select(Site))
        assert site.name == "News Daily" and site.premoderate and not site.language_check
        assert site.allowed_origins == ["https://news.example", "https://m.news.example"]
        assert site.thresholds == {"approve": {"toxicity": 0.2}, "reject": {}}
        assert site.flag_threshold == 5
    assert post_comment(app.test_client()).get_json()["state"] == "pending"


def test_article_can_be_closed_and_premoderated(app, admin_client):
    client = app.test_client()
    assert post_comment(client).status_code == 201
    with app.app_context():
        article_id = db.session.scalar(select(Article.id))
    form(admin_client, f"/dashboard/admin/articles/{article_id}", premoderate="true")
    assert post_comment(client).get_json()["state"] == "pending"
    form(admin_client, f"/dashboard/admin/articles/{article_id}", is_closed="true")
    closed = post_comment(client)
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "article_closed"


def test_admin_creates_and_deactivates_a_moderator(app, admin_client, admin):
    page = "/dashboard/admin/moderators"
    form(admin_client, page, page, email="New@Example.org", password="a good long one",
         role="moderator")
    fresh = app.test_client()
    assert login(fresh, "new@example.org", "a good long one").status_code == 303
    with app.app_context():
        new_id = db.session.scalar(select(Moderator.id).where(Moderator.email == "new@example.org"))
    form(admin_client, f"{page}/{new_id}", page, role="moderator")
    assert fresh.get("/dashboard/").status_code == 302


def test_admin_cannot_demote_themselves(app, admin_client, admin):
    page = "/dashboard/admin/moderators"
    response = form(admin_client, f"{page}/{admin}", page, role="moderator", active="true")
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Moderator, admin).role is Role.admin


def test_admin_creates_a_site(app, admin_client):
    response = form(admin_client, "/dashboard/admin/sites", key="metro", name="Metro")
    assert response.headers["Location"] == "/dashboard/admin/sites/metro"
    taken = form(admin_client, "/dashboard/admin/sites", key="metro")
    assert taken.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Site.name).where(Site.key == "metro")) == "Metro"


def test_readers_reports_reach_the_reported_tab_and_a_decision_clears_them(app, mod_client):
    client = app.test_client()
    comment_id = post_comment(client).get_json()["id"]
    for remote in ("10.0.2.1", "10.0.2.2", "10.0.2.3"):
        response = client.post(f"/api/v1/sites/news/comments/{comment_id}/flags",
                               json={"reason": "abusive"}, environ_base={"REMOTE_ADDR": remote})
        assert response.status_code == 201
    reported = mod_client.get("/dashboard/?tab=reported").get_data(as_text=True)
    assert f'id="c{comment_id}"' in reported and "3 reports" in reported and "reported" in reported
    with app.app_context():
        version = db.session.get(Comment, comment_id).version
    response = form(mod_client, f"/dashboard/comments/{comment_id}/approve", version=str(version))
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.get(Comment, comment_id)
        assert (stored.status.value, stored.flag_count) == ("published", 0)
    assert f'id="c{comment_id}"' not in mod_client.get("/dashboard/?tab=reported").get_data(
        as_text=True)
