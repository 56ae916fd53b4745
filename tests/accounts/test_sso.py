"""Sign-in from the site: only tokens the site signed with HS256 make or update an account."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from sqlalchemy import select, update

from moderation.extensions import db
from moderation.models import Ban, Comment, CommentStatus, Reaction, ReaderAccount, Site
from tests.accounts.conftest import bearer, make_token, sign_in
from tests.factories import make_comment

POST = "/api/v1/sites/news/articles/a-1/comments"


def _error(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return body["error"]


def test_valid_token_creates_account_with_encrypted_email(app, client, sso_secret):
    response = sign_in(client, make_token(sso_secret))
    assert response.status_code == 200
    assert response.get_json()["reader"] == {"id": "u-1", "username": "Ann", "email_known": True}
    with app.app_context():
        account = db.session.scalar(select(ReaderAccount))
        assert account.external_id == "u-1"
        assert "ann@example.org" not in (account.email_encrypted or "")
        assert account.email_hash and len(account.email_hash) == 64


def test_second_sign_in_updates_the_same_account(app, client, sso_secret):
    sign_in(client, make_token(sso_secret))
    sign_in(client, make_token(sso_secret, username="Ann B."))
    with app.app_context():
        accounts = db.session.scalars(select(ReaderAccount)).all()
        assert [a.username for a in accounts] == ["Ann B."]


def _alg_none(claims: dict) -> str:
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.mark.parametrize("kind", ["forged", "expired", "alg_none", "garbage", "hs512",
                                  "no_exp", "wrong_audience"])
def test_bad_tokens_are_refused_in_the_error_shape(app, client, sso_secret, kind):
    now = int(time.time())
    claims = {"sub": "u-1", "user": {"username": "Ann"}, "iat": now, "exp": now + 60}
    token = {
        "forged": lambda: make_token("another-secret-of-enough-length-to-sign-with-hs256"),
        "expired": lambda: make_token(sso_secret, ttl=-3600),
        "alg_none": lambda: _alg_none(claims),
        "garbage": lambda: "not.a.jwt",
        "hs512": lambda: jwt.encode(claims, sso_secret + sso_secret, algorithm="HS512"),
        "no_exp": lambda: jwt.encode({k: v for k, v in claims.items() if k != "exp"},
                                     sso_secret, algorithm="HS256"),
        "wrong_audience": lambda: make_token(sso_secret, aud="other-site"),
    }[kind]()
    response = sign_in(client, token)
    assert response.status_code == 401
    error = _error(response)
    assert error["code"] == ("sso_token_expired" if kind == "expired" else "sso_token_invalid")
    with app.app_context():
        assert db.session.scalar(select(ReaderAccount)) is None


def test_token_of_another_site_is_refused(app, client, sso_secret):
    from moderation.accounts.secrets import rotate_secret
    from moderation.sites.create import create_site

    with app.app_context():
        other_secret = rotate_secret(create_site("other", name="Other"))
    response = sign_in(client, make_token(other_secret))
    assert response.status_code == 401 and _error(response)["code"] == "sso_token_invalid"


def test_token_without_identity_names_the_missing_claims(client, sso_secret):
    now = int(time.time())
    token = jwt.encode({"iat": now, "exp": now + 60}, sso_secret, algorithm="HS256")
    error = _error(sign_in(client, token))
    assert set(error["fields"]) == {"sub", "user.username"}


def test_replayed_jti_is_refused_only_when_the_site_asks(app, client, sso_secret):
    token = make_token(sso_secret, jti="once")
    assert sign_in(client, token).status_code == 200
    assert sign_in(client, token).status_code == 200
    with app.app_context():
        db.session.execute(update(Site).values(sso_replay_protection=True))
        db.session.commit()
    assert sign_in(client, make_token(sso_secret, jti="twice")).status_code == 200
    replay = sign_in(client, make_token(sso_secret, jti="twice"))
    assert replay.status_code == 401 and _error(replay)["code"] == "sso_token_replayed"


def test_rotated_secret_keeps_verifying_during_the_overlap(app, client, sso_secret):
    from moderation.accounts.secrets import rotate_secret

    with app.app_context():
        new = rotate_secret(db.session.query(Site).filter_by(key="news").one())
    assert sign_in(client, make_token(new)).status_code == 200
    assert sign_in(client, make_token(sso_secret)).status_code == 200
    app.config["SSO_SECRET_OVERLAP_SECONDS"] = 0
    with app.app_context():
        rotate_secret(db.session.query(Site).filter_by(key="news").one())
    assert sign_in(client, make_token(new)).status_code == 401


def test_comment_is_attributed_to_the_account(app, client, sso_secret):
    headers = bearer(client, sso_secret, username="Ann Reader")
    response = client.post(POST, json={"body": "Signed in and commenting."}, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["author_name"] == "Ann Reader"
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        account = db.session.scalar(select(ReaderAccount))
        assert comment.reader_id == account.id and comment.email_hash == account.email_hash
        assert comment.author_email is None


def test_site_can_refuse_anonymous_comments(app, client, sso_secret):
    with app.app_context():
        db.session.execute(update(Site).values(allow_anonymous=False))
        db.session.commit()
    refused = client.post(POST, json={"author_name": "Anon", "body": "Hello there."})
    assert refused.status_code == 401 and _error(refused)["code"] == "sign_in_required"
    headers = bearer(client, sso_secret)
    assert client.post(POST, json={"body": "Hello there."}, headers=headers).status_code == 201


def test_anonymous_comment_still_needs_a_name(client, site):
    response = client.post(POST, json={"body": "No name given."})
    assert response.status_code == 422 and "author_name" in _error(response)["fields"]


def test_bad_reader_token_is_refused(client, site):
    response = client.post(POST, json={"body": "x"}, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and _error(response)["code"] == "reader_token_invalid"


def test_ban_on_the_account_holds_whatever_the_device(app, client, sso_secret):
    headers = bearer(client, sso_secret)
    assert client.post(POST, json={"body": "First."}, headers=headers).status_code == 201
    with app.app_context():
        account = db.session.scalar(select(ReaderAccount))
        db.session.add(Ban(site_id=account.site_id, reader_id=account.id))
        db.session.commit()
    other_device = app.test_client()
    response = other_device.post(POST, json={"body": "Second."}, headers=headers,
                                 environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.get_json()["state"] == "rejected"


def test_likes_key_on_the_account_not_the_network(app, client, sso_secret):
    with app.app_context():
        comment_id = make_comment(status=CommentStatus.published).id
    ann = bearer(client, sso_secret, sub="u-ann", username="Ann")
    bob = bearer(client, sso_secret, sub="u-bob", username="Bob")
    like = f"/api/v1/sites/news/comments/{comment_id}/like"
    assert client.post(like, headers=ann).get_json()["likes"] == 1
    assert client.post(like, headers=bob).get_json()["likes"] == 2
    with app.app_context():
        assert len(db.session.scalars(select(Reaction)).all()) == 2
