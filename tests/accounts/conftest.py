"""Fixtures for reader accounts: a site with an SSO secret, and tokens signed as a site would."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from moderation.accounts.secrets import rotate_secret
from moderation.extensions import db
from moderation.models import Site


@pytest.fixture
def sso_secret(app, site):
    """The news site's SSO secret, created as an admin would."""
    with app.app_context():
        return rotate_secret(db.session.query(Site).filter_by(key=site).one())


def make_token(secret: str, sub: str = "u-1", username: str = "Ann",
               email: str | None = "ann@example.org", ttl: int = 300, **claims) -> str:
    """Sign a token the way the site's server does."""
    now = int(time.time())
    user = {"id": sub, "username": username}
    if email:
        user["email"] = email
    payload = {"sub": sub, "user": user, "iat": now, "exp": now + ttl,
               "jti": uuid.uuid4().hex, **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


def sign_in(client, token: str, site: str = "news"):
    """Exchange a site token; return the response."""
    return client.post(f"/api/v1/sites/{site}/sso", json={"token": token})


def bearer(client, secret: str, **kwargs) -> dict:
    """Sign in and return the Authorization header of the reader token."""
    response = sign_in(client, make_token(secret, **kwargs))
    assert response.status_code == 200, response.get_json()
    return {"Authorization": "Bearer " + response.get_json()["reader_token"]}
