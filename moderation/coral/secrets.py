"""A site's Coral signing secrets and its choice to keep a verdict log."""

from __future__ import annotations

from moderation.errors import ApiError
from moderation.extensions import db
from moderation.models import Site
from moderation.sites.lookup import get_site

# Coral's own secrets are longer; anything this short is a typo, not a secret.
MIN_SECRET_LENGTH = 16
MAX_SECRETS = 2


def set_coral_secret(site_key: str, secret: str, *, keep_previous: bool = False) -> Site:
    """Make secret the site's signing secret; keep the previous one too during a rotation."""
    secret = secret.strip()
    if len(secret) < MIN_SECRET_LENGTH or not secret.isprintable():
        raise ApiError(f"A signing secret has at least {MIN_SECRET_LENGTH} printable characters.",
                       code="invalid_secret")
    site = get_site(site_key)
    previous = list(site.coral_secrets or [])[:1] if keep_previous else []
    site.coral_secrets = [secret, *[s for s in previous if s != secret]][:MAX_SECRETS]
    db.session.commit()
    return site


def clear_coral_secrets(site_key: str) -> Site:
    """Stop taking Coral requests for the site."""
    site = get_site(site_key)
    site.coral_secrets = None
    db.session.commit()
    return site


def set_verdict_log(site_key: str, keep: bool) -> Site:
    """Choose whether Coral answers leave a verdict row (ids and status, never text)."""
    site = get_site(site_key)
    site.coral_log_verdicts = keep
    db.session.commit()
    return site
