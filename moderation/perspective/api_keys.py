"""Per-site API keys for the scoring API: created once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from limits import parse_many
from sqlalchemy import select

from moderation.errors import ApiError, NotFound
from moderation.extensions import db
from moderation.models import ApiKey, Site
from moderation.models.types import utcnow

# Perspective's default quota is one query per second per project.
DEFAULT_QUOTA = "1/second"
KEY_TAG = "mk_"
PREFIX_LENGTH = 11  # "mk_" and eight characters: enough to tell keys apart, useless alone


def hash_key(raw: str) -> str:
    """Return the stored hash of a raw key.

    Keys are 256 random bits, so a plain SHA-256 is enough; unlike the salted
    client hashes it does not depend on SECRET_KEY, so rotating that secret
    leaves every issued key working.
    """
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def check_quota(quota: str) -> str:
    """Return the quota if Flask-Limiter can read it (e.g. "1/second", "10/second;600/minute")."""
    try:
        if not parse_many(quota):
            raise ValueError(quota)
    except ValueError as exc:
        raise ApiError(f"'{quota}' is not a quota; write it like 1/second or 600/minute.",
                       code="invalid_quota") from exc
    return quota


def create_api_key(site_key: str, *, quota: str = DEFAULT_QUOTA,
                   name: str | None = None) -> tuple[ApiKey, str]:
    """Create a key for a site; return it with the raw key, which is shown only this once."""
    site = db.session.scalar(select(Site).where(Site.key == site_key))
    if site is None:
        raise NotFound(f"No site with key '{site_key}'.")
    check_quota(quota)
    raw = KEY_TAG + secrets.token_urlsafe(32)
    api_key = ApiKey(site_id=site.id, key_hash=hash_key(raw), prefix=raw[:PREFIX_LENGTH],
                     name=name, quota=quota)
    db.session.add(api_key)
    db.session.commit()
    return api_key, raw


def list_api_keys(site_key: str) -> list[ApiKey]:
    """Return a site's keys, newest first, revoked ones included."""
    site = db.session.scalar(select(Site).where(Site.key == site_key))
    if site is None:
        raise NotFound(f"No site with key '{site_key}'.")
    return list(db.session.scalars(
        select(ApiKey).where(ApiKey.site_id == site.id).order_by(ApiKey.id.desc())
    ))


def revoke_api_key(prefix: str) -> ApiKey:
    """Revoke the live key with this prefix; its next request is refused."""
    matches = list(db.session.scalars(
        select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
    ))
    if not matches:
        raise NotFound(f"No live API key starts with '{prefix}'.")
    if len(matches) > 1:
        raise ApiError(f"More than one key starts with '{prefix}'.", code="ambiguous_prefix",
                       status=409)
    api_key = matches[0]
    api_key.revoked_at = utcnow()
    db.session.commit()
    return api_key


def revoke_site_key(site_key: str, key_id: int) -> ApiKey:
    """Revoke one of a site's keys by id (the dashboard's revoke button)."""
    api_key = db.session.scalar(
        select(ApiKey).join(Site, Site.id == ApiKey.site_id)
        .where(Site.key == site_key, ApiKey.id == key_id)
    )
    if api_key is None:
        raise NotFound(f"No API key {key_id} on site '{site_key}'.")
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        db.session.commit()
    return api_key


def set_quota(prefix: str, quota: str) -> ApiKey:
    """Change the quota of the live key with this prefix."""
    check_quota(quota)
    api_key = db.session.scalar(
        select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
    )
    if api_key is None:
        raise NotFound(f"No live API key starts with '{prefix}'.")
    api_key.quota = quota
    db.session.commit()
    return api_key


def verify_api_key(raw: str | None) -> ApiKey | None:
    """Return the live key matching a raw key, or None for a missing, unknown or revoked one."""
    if not raw or not raw.startswith(KEY_TAG) or len(raw) > 200:
        return None
    digest = hash_key(raw)
    api_key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
    # The lookup is by hash; compare again in constant time so timing says nothing.
    if api_key is None or not hmac.compare_digest(api_key.key_hash, digest):
        return None
    if api_key.revoked_at is not None:
        return None
    return api_key
