"""Dashboard sessions live on the server: logout and deactivation revoke them."""

from __future__ import annotations

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import ModeratorSession
from tests.dashboard.conftest import csrf_token


def _copy_session(source, app):
    """Return a fresh client holding a copy of source's session cookie."""
    cookie = source.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_copied_cookie_stops_working_after_logout(app, mod_client):
    thief = _copy_session(mod_client, app)
    assert thief.get("/dashboard/").status_code == 200
    mod_client.post("/dashboard/logout", data={"csrf_token": csrf_token(mod_client,
                                                                         "/dashboard/")})
    assert mod_client.get("/dashboard/").status_code == 302
    assert thief.get("/dashboard/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ModeratorSession.revoked_at)) is not None


def test_session_row_keeps_only_a_hash_of_the_token(app, mod_client):
    with mod_client.session_transaction() as session:
        token = session["moderator_session"]
    with app.app_context():
        stored = db.session.scalar(select(ModeratorSession.token_hash))
    assert token and stored and token not in stored and len(stored) == 64


def test_deactivating_an_account_ends_its_sessions(app, admin_client, mod_client, mod):
    response = admin_client.post(f"/dashboard/admin/moderators/{mod}", data={
        "role": "moderator", "csrf_token": csrf_token(admin_client, "/dashboard/")})
    assert response.status_code == 303
    assert mod_client.get("/dashboard/").status_code == 302


def test_a_second_login_is_its_own_session(app, mod_client):
    from tests.dashboard.conftest import login

    other = app.test_client()
    assert login(other, "mod@example.org").status_code == 303
    other.post("/dashboard/logout", data={"csrf_token": csrf_token(other, "/dashboard/")})
    assert mod_client.get("/dashboard/").status_code == 200
