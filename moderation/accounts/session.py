"""Who is asking: the reader token the service issues after SSO, sent as a Bearer header."""

from __future__ import annotations

from flask import current_app, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from moderation.clients import client_hash, hash_value
from moderation.errors import ApiError
from moderation.extensions import db
from moderation.models import ReaderAccount, Site

SALT = "reader-session"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_reader_token(account: ReaderAccount) -> str:
    """Return the token that proves, for a while, that this browser is this site's reader."""
    return _serializer().dumps({"r": account.id, "s": account.site_id})


def _refuse(message: str, code: str = "reader_token_invalid") -> ApiError:
    return ApiError(message, status=401, code=code)


def current_reader(site: Site) -> ReaderAccount | None:
    """Return the signed-in reader of this site, None when anonymous; refuse a bad token."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refuse("Send the reader token as 'Authorization: Bearer TOKEN'.")
    try:
        data = _serializer().loads(token.strip(),
                                   max_age=current_app.config["READER_SESSION_SECONDS"])
    except SignatureExpired as exc:
        raise _refuse("Your sign-in has expired; sign in again.", "reader_token_expired") from exc
    except BadSignature as exc:
        raise _refuse("This reader token is not valid.") from exc
    if not isinstance(data, dict) or data.get("s") != site.id:
        raise _refuse("This reader token is for another site.")
    account = db.session.get(ReaderAccount, data.get("r"))
    if account is None or account.site_id != site.id:
        # Erased accounts leave tokens that must not work any more.
        raise _refuse("This reader account no longer exists.")
    return account


def reader_key(account: ReaderAccount | None) -> str:
    """Return what likes and reports are keyed on: the account, else the client address."""
    if account is not None:
        return hash_value(str(account.id), "reader")
    return client_hash()
