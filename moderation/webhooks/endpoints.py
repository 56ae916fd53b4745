"""A site's webhook endpoints as admins register, rotate and remove them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from moderation.accounts.crypto import encrypt
from moderation.errors import NotFound
from moderation.extensions import db
from moderation.models import Site, WebhookDelivery, WebhookEndpoint
from moderation.models.types import utcnow


def new_secret() -> str:
    """Return a fresh signing secret."""
    return "whsec_" + secrets.token_urlsafe(32)


def list_endpoints(site: Site) -> list[WebhookEndpoint]:
    """Return the site's endpoints, oldest first."""
    return list(db.session.scalars(select(WebhookEndpoint)
                                   .where(WebhookEndpoint.site_id == site.id)
                                   .order_by(WebhookEndpoint.id)))


def get_endpoint(site: Site, endpoint_id: int) -> WebhookEndpoint:
    """Return one of the site's endpoints or raise NotFound."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.site_id != site.id:
        raise NotFound("No such webhook endpoint.", code="webhook_not_found")
    return endpoint


def create_endpoint(site: Site, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; return it and its secret (shown once, kept encrypted)."""
    raw = new_secret()
    endpoint = WebhookEndpoint(site_id=site.id, url=url, events=sorted(set(events)),
                               secret_encrypted=encrypt(raw))
    db.session.add(endpoint)
    db.session.commit()
    return endpoint, raw


def rotate_endpoint_secret(site: Site, endpoint_id: int) -> str:
    """Give the endpoint a new secret; the old one also signs until the overlap ends."""
    endpoint = get_endpoint(site, endpoint_id)
    raw = new_secret()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_expires_at = utcnow() + timedelta(
        seconds=current_app.config["WEBHOOK_SECRET_OVERLAP_SECONDS"])
    endpoint.secret_encrypted = encrypt(raw)
    db.session.commit()
    return raw


def delete_endpoint(site: Site, endpoint_id: int) -> None:
    """Remove an endpoint and its delivery log."""
    db.session.delete(get_endpoint(site, endpoint_id))
    db.session.commit()


def recent_deliveries(site: Site, limit: int = 50) -> list[WebhookDelivery]:
    """Return the site's latest deliveries, newest first, for the dashboard's log."""
    return list(db.session.scalars(
        select(WebhookDelivery).join(WebhookEndpoint)
        .where(WebhookEndpoint.site_id == site.id)
        .order_by(WebhookDelivery.id.desc()).limit(limit)))
