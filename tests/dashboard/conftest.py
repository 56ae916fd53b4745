"""Fixtures for the dashboard: accounts and logged-in clients."""

from __future__ import annotations

import re

import pytest

from moderation.models import Role
from tests.dashboard.browser_walk import desktop, phone, walk, walk_server  # noqa: F401
from tests.factories import PASSWORD, make_moderator


def csrf_token(client, path: str = "/dashboard/login") -> str:
    """Return the CSRF token embedded in a dashboard page."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def login(client, email: str, password: str = PASSWORD):
    """Log in through the real form, token and all."""
    token = csrf_token(client)
    return client.post("/dashboard/login", data={"email": email, "password": password,
                                                 "csrf_token": token})


@pytest.fixture
def mod(app, site):
    """A moderator account; returns its id."""
    with app.app_context():
        return make_moderator("mod@example.org").id


@pytest.fixture
def admin(app, site):
    """An admin account; returns its id."""
    with app.app_context():
        return make_moderator("admin@example.org", Role.admin).id


@pytest.fixture
def mod_client(app, mod):
    """A test client logged in as the moderator."""
    client = app.test_client()
    assert login(client, "mod@example.org").status_code == 303
    return client


@pytest.fixture
def admin_client(app, admin):
    """A test client logged in as the admin."""
    client = app.test_client()
    assert login(client, "admin@example.org").status_code == 303
    return client
