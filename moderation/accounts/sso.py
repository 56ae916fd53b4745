"""Sign-in from the site: verify its HS256 JWT, then create or update the reader's account."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import jwt
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from moderation.accounts.crypto import email_lookup, encrypt, normalise_email
from moderation.accounts.secrets import verifying_keys
from moderation.errors import ApiError
from moderation.extensions import db
from moderation.models import ReaderAccount, Site, SsoTokenUse
from moderation.models.types import utcnow

ALGORITHMS = ["HS256"]  # never taken from the token's header
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")


def refuse(message: str, code: str = "sso_token_invalid", fields: dict | None = None):
    """Return the error every refused token gets: 401 in the one error shape."""
    return ApiError(message, status=401, code=code, fields=fields)


def verify_token(site: Site, token: str) -> dict:
    """Return the claims of a token the site signed; refuse forged, expired or foreign ones."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        raise refuse("The sign-in token is not a JWT.") from exc
    if header.get("alg") not in ALGORITHMS:
        raise refuse("Sign-in tokens must be signed with HS256.")
    keys = verifying_keys(site)
    if not keys:
        raise refuse("This site has no sign-in secret yet.", code="sso_not_configured")
    audience = site.key if "aud" in unverified else None
    for key in keys:
        try:
            return jwt.decode(token, key, algorithms=ALGORITHMS, audience=audience,
                              leeway=current_app.config["SSO_LEEWAY_SECONDS"],
                              options={"require": ["exp", "iat"]})
        except jwt.InvalidSignatureError:
            continue
        except jwt.ExpiredSignatureError as exc:
            raise refuse("The sign-in token has expired.", code="sso_token_expired") from exc
        except jwt.InvalidTokenError as exc:
            raise refuse(f"The sign-in token is not valid: {exc}.") from exc
    raise refuse("The sign-in token was not signed with this site's secret.")


def _identity(claims: dict) -> tuple[str, str, str | None]:
    """Return the reader's site id, display name and email from the claims, checked."""
    user = claims.get("user") if isinstance(claims.get("user"), dict) else {}
    subject = claims.get("sub") or user.get("id")
    problems = {}
    if not isinstance(subject, str | int) or isinstance(subject, bool) or not str(subject) \
            or len(str(subject)) > 200:
        problems["sub"] = ["Give the reader's id as `sub` or `user.id` (at most 200 characters)."]
    username = user.get("username")
    if not isinstance(username, str) or not 1 <= len(username.strip()) <= 80:
        problems["user.username"] = ["Give a display name of 1 to 80 characters."]
    email = user.get("email")
    if email is not None and (not isinstance(email, str) or not EMAIL.match(email.strip())
                              or len(email) > 320):
        problems["user.email"] = ["Not a valid email address."]
    if problems:
        raise refuse("The sign-in token lacks what identifies the reader.", fields=problems)
    return str(subject), username.strip(), normalise_email(email) if email else None


def _spend_jti(site: Site, claims: dict) -> None:
    """Record the token id once; a second use of it is a replay."""
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 1 <= len(jti) <= 200:
        raise refuse("This site requires a unique `jti` in every sign-in token.")
    # Spent ids are only needed until their token would have expired anyway.
    db.session.execute(delete(SsoTokenUse).where(SsoTokenUse.expires_at < utcnow()))
    expires = datetime.fromtimestamp(int(claims["exp"]), UTC).replace(tzinfo=None)
    try:
        with db.session.begin_nested():
            db.session.add(SsoTokenUse(site_id=site.id, jti=jti, expires_at=expires))
    except IntegrityError as exc:
        raise refuse("This sign-in token was already used.", code="sso_token_replayed") from exc


def sign_in(site: Site, token: str) -> ReaderAccount:
    """Verify the site's token and return the reader's account, created or brought up to date."""
    claims = verify_token(site, token)
    subject, username, email = _identity(claims)
    if site.sso_replay_protection:
        _spend_jti(site, claims)
    account = db.session.scalar(select(ReaderAccount).where(
        ReaderAccount.site_id == site.id, ReaderAccount.external_id == subject))
    if account is None:
        account = ReaderAccount(site_id=site.id, external_id=subject, username=username)
        db.session.add(account)
    account.username = username
    account.email_hash = email_lookup(email) if email else None
    account.email_encrypted = encrypt(email) if email else None
    account.last_seen_at = utcnow()
    try:
        db.session.commit()
    except IntegrityError:
        # The same reader signing in twice at once: the other request created the row.
        db.session.rollback()
        return sign_in_existing(site, subject)
    return account


def sign_in_existing(site: Site, subject: str) -> ReaderAccount:
    """Return the account another request just created."""
    return db.session.scalar(select(ReaderAccount).where(
        ReaderAccount.site_id == site.id, ReaderAccount.external_id == subject))
