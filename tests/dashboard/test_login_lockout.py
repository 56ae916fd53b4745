"""Failed logins slow strangers down and can never lock out a moderator's known browser."""

from __future__ import annotations

import re
import time

from moderation.models import CommentStatus
from tests.dashboard.conftest import csrf_token, login
from tests.factories import PASSWORD, make_comment

EMAIL = "mod@example.org"


def attempt(app, address: str, password: str, email: str = EMAIL, cookie_from=None):
    """Try a login from a fresh browser at another address; return the response."""
    client = cookie_from or app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return login(client, email, password)


def test_strangers_guessing_cannot_lock_out_the_known_browser(app, mod):
    moderator = app.test_client()
    assert login(moderator, EMAIL).status_code == 303  # this browser is now known
    moderator.post("/dashboard/logout", data={"csrf_token": csrf_token(moderator, "/dashboard/")})
    statuses = [attempt(app, f"203.0.113.{n}", "guess").status_code for n in range(12)]
    assert statuses[:5] == [401] * 5 and 429 in statuses[5:]
    assert attempt(app, "198.51.100.7", PASSWORD, cookie_from=moderator).status_code == 303


def test_unknown_browsers_wait_longer_after_each_failure(app, mod):
    for n in range(5):
        assert attempt(app, f"203.0.113.{n}", "guess").status_code == 401
    assert attempt(app, "203.0.113.50", "guess").status_code == 401  # sixth: starts the wait
    refused = attempt(app, "203.0.113.51", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "try again in" in refused.get_data(as_text=True)


def test_the_wait_has_a_ceiling(app_factory, site):
    app = app_factory(LOGIN_FREE_FAILURES=0, LOGIN_MAX_DELAY_SECONDS=2)
    with app.app_context():
        from tests.factories import make_moderator

        make_moderator(EMAIL)
    waits = []
    for n in range(5):
        response = attempt(app, f"203.0.113.{n}", "guess")
        if response.status_code == 429:
            found = re.search(r"try again in (\d+) seconds", response.get_data(as_text=True))
            waits.append(int(found.group(1)))
            time.sleep(int(found.group(1)))
    assert waits and max(waits) <= 3 and max(waits) > 1  # it grew, up to the ceiling


def test_a_good_login_clears_the_failures(app, mod):
    for n in range(4):
        attempt(app, f"203.0.113.{n}", "guess")
    assert attempt(app, "203.0.113.9", PASSWORD).status_code == 303
    assert [attempt(app, f"203.0.114.{n}", "guess").status_code for n in range(5)] == [401] * 5


def test_login_next_with_a_line_break_goes_to_the_queue(client, mod):
    token = csrf_token(client)
    response = client.post("/dashboard/login", data={
        "email": EMAIL, "password": PASSWORD, "csrf_token": token,
        "next": "/dashboard/\r\nSet-Cookie: x=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard/"


def test_action_back_with_a_line_break_goes_to_the_queue(app, mod_client):
    with app.app_context():
        comment_id = make_comment().id
    token = csrf_token(mod_client, "/dashboard/")
    response = mod_client.post(f"/dashboard/comments/{comment_id}/approve", data={
        "version": "1", "csrf_token": token, "back": "/dashboard/?tab=x\r\nLocation: //evil"})
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard/"
    with app.app_context():
        from moderation.extensions import db
        from moderation.models import Comment

        assert db.session.get(Comment, comment_id).status is CommentStatus.published
