"""Access: login with a password hash, sessions, CSRF, rate limits, roles and the CLI."""

from __future__ import annotations

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import Comment, CommentStatus, ModerationEvent, Moderator, Role
from tests.dashboard.conftest import csrf_token, login
from tests.factories import PASSWORD, make_comment


def test_anonymous_page_visit_redirects_to_login(client, site):
    response = client.get("/dashboard/?tab=rejected")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dashboard/login?next=")


def test_anonymous_ajax_call_gets_json_401(client, site):
    token = csrf_token(client)
    response = client.post("/dashboard/api/comments/1/approve", json={"version": 1},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_anonymous_sees_no_queue_content(app, client, site):
    with app.app_context():
        make_comment(body="A secret pending comment")
    response = client.get("/dashboard/", follow_redirects=True)
    assert "A secret pending comment" not in response.get_data(as_text=True)
    assert "Moderator login" in response.get_data(as_text=True)


def test_login_stores_session_and_shows_queue(app, client, mod):
    response = login(client, "MOD@example.org")
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    with app.app_context():
        stored = db.session.get(Moderator, mod)
        assert stored.password_hash.startswith("scrypt:") and PASSWORD not in stored.password_hash
        assert stored.last_login_at is not None


def test_session_cookie_is_httponly_and_lax(client, mod):
    response = login(client, "mod@example.org")
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure():
    from config import load_settings

    settings = load_settings({"MODERATION_ENV": "production"})
    assert settings["SESSION_COOKIE_SECURE"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_wrong_password_is_refused(client, mod):
    response = login(client, "mod@example.org", "wrong password")
    assert response.status_code == 401
    assert client.get("/dashboard/").status_code == 302


def test_inactive_account_cannot_log_in(app, client, mod):
    with app.app_context():
        db.session.get(Moderator, mod).active = False
        db.session.commit()
    assert login(client, "mod@example.org").status_code == 401


def test_login_redirect_never_leaves_the_dashboard(client, mod):
    token = csrf_token(client)
    response = client.post("/dashboard/login", data={
        "email": "mod@example.org", "password": PASSWORD, "csrf_token": token,
        "next": "//evil.example/dashboard"})
    assert response.headers["Location"] == "/dashboard/"


def test_login_attempts_are_rate_limited(app_factory, site):
    app = app_factory(LOGIN_RATE_LIMIT="3/minute")
    client = app.test_client()
    statuses = [login(client, "nobody@example.org", "guess").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_forged_post_without_token_is_refused_and_changes_nothing(app, mod_client):
    with app.app_context():
        comment_id = make_comment().id
    response = mod_client.post(f"/dashboard/comments/{comment_id}/approve",
                               data={"version": "1"}, headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    ajax = mod_client.post(f"/dashboard/api/comments/{comment_id}/approve", json={"version": 1})
    assert ajax.status_code == 400 and ajax.get_json()["error"]["code"] == "bad_request"
    with app.app_context():
        assert db.session.get(Comment, comment_id).status is CommentStatus.pending_review
        assert db.session.scalar(select(ModerationEvent).where(
            ModerationEvent.moderator_id.is_not(None))) is None


def test_moderator_cannot_open_admin_pages(mod_client):
    response = mod_client.get("/dashboard/admin/sites", headers={"Accept": "text/html"})
    assert response.status_code == 403
    assert "<html" in response.get_data(as_text=True)


def test_admin_opens_admin_pages(admin_client):
    assert admin_client.get("/dashboard/admin/sites").status_code == 200
    assert admin_client.get("/dashboard/admin/moderators").status_code == 200


def test_logout_ends_the_session(mod_client):
    token = csrf_token(mod_client, "/dashboard/")
    mod_client.post("/dashboard/logout", data={"csrf_token": token})
    assert mod_client.get("/dashboard/").status_code == 302


def test_create_moderator_cli_reads_password_from_environment(app, runner, monkeypatch):
    monkeypatch.setenv("MODERATION_NEW_PASSWORD", "a long enough password")
    result = runner.invoke(args=["moderation", "create-moderator", "Boss@Example.org",
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert login(client, "boss@example.org", "a long enough password").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Moderator.role)) is Role.admin


def test_create_moderator_cli_prompts_for_password(app, runner, monkeypatch):
    monkeypatch.delenv("MODERATION_NEW_PASSWORD", raising=False)
    result = runner.invoke(args=["moderation", "create-moderator", "m@example.org"],
                           input="prompted password\nprompted password\n")
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "m@example.org", "prompted password").status_code == 303


def test_create_moderator_cli_refuses_a_short_password(runner, monkeypatch):
    monkeypatch.setenv("MODERATION_NEW_PASSWORD", "short")
    result = runner.invoke(args=["moderation", "create-moderator", "m@example.org"])
    assert result.exit_code != 0 and "10 characters" in result.output
