"""Per-site SSO secrets: admins create and rotate them; the old one signs on for an overlap."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select

from moderation.accounts.crypto import decrypt, encrypt
from moderation.extensions import db
from moderation.models import Site, SsoSecret
from moderation.models.types import utcnow


def live_secrets(site: Site) -> list[SsoSecret]:
    """Return the site's secrets that still verify tokens, newest first."""
    return list(db.session.scalars(
        select(SsoSecret).where(
            SsoSecret.site_id == site.id,
            or_(SsoSecret.expires_at.is_(None), SsoSecret.expires_at > utcnow()))
        .order_by(SsoSecret.id.desc())))


def verifying_keys(site: Site) -> list[str]:
    """Return the plain secrets that may have signed a token for this site."""
    return [key for key in (decrypt(s.secret_encrypted) for s in live_secrets(site)) if key]


def rotate_secret(site: Site) -> str:
    """Create a new secret and return it (shown once); older ones expire after the overlap."""
    overlap = timedelta(seconds=current_app.config["SSO_SECRET_OVERLAP_SECONDS"])
    retire_at = utcnow() + overlap
    for old in live_secrets(site):
        if old.expires_at is None or old.expires_at > retire_at:
            old.expires_at = retire_at
    raw = secrets.token_urlsafe(48)
    db.session.add(SsoSecret(site_id=site.id, secret_encrypted=encrypt(raw), prefix=raw[:8]))
    db.session.commit()
    return raw


def revoke_secrets(site: Site) -> None:
    """Stop every secret of the site at once (a leaked secret)."""
    now = utcnow()
    for old in live_secrets(site):
        old.expires_at = now
    db.session.commit()
