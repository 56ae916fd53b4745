"""Delivering webhooks: sign the stored body, POST it, retry with backoff, log each attempt."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from moderation.accounts.crypto import decrypt
from moderation.extensions import db
from moderation.models import WebhookDelivery, WebhookEndpoint
from moderation.models.types import utcnow

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Moderation-Signature"
# A claimed delivery is invisible to other workers this long: longer than any request takes.
LEASE_SECONDS = 120


def sign(body: bytes, secret: str) -> str:
    """Return the hex HMAC-SHA256 of the raw body under one secret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_header(body: bytes, endpoint: WebhookEndpoint, now: datetime) -> str:
    """Return 'sha256=NEW[,sha256=OLD]': both signatures while a rotation overlaps."""
    secrets = [decrypt(endpoint.secret_encrypted)]
    if endpoint.previous_secret_encrypted and endpoint.previous_expires_at \
            and endpoint.previous_expires_at > now:
        secrets.append(decrypt(endpoint.previous_secret_encrypted))
    return ",".join(f"sha256={sign(body, s)}" for s in secrets if s)


def backoff_seconds(attempts: int) -> float:
    """Return how long to wait after the given number of failed attempts (doubling, capped)."""
    base = current_app.config["WEBHOOK_RETRY_BASE_SECONDS"]
    return min(base * 2 ** (attempts - 1), 6 * 3600)


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str | None]:
    """POST once; return the status code and an error text (None when 2xx)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=current_app.config[
                "WEBHOOK_TIMEOUT_SECONDS"]) as response:
            return response.status, None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:500]


def _claim(now: datetime, limit: int) -> list[int]:
    """Take due deliveries for this worker by pushing their next attempt past a lease."""
    due = db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.status == "pending",
                                      WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit).with_for_update(skip_locked=True)).all()
    for delivery in due:
        delivery.next_attempt_at = now + timedelta(seconds=LEASE_SECONDS)
    ids = [d.id for d in due]
    db.session.commit()
    return ids


def attempt(delivery_id: int, now: datetime) -> bool:
    """Send one delivery and record the outcome; return True when the endpoint took it."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    body = delivery.body.encode()
    headers = {"Content-Type": "application/json", "User-Agent": "moderation-webhooks/1",
               SIGNATURE_HEADER: signature_header(body, endpoint, now),
               "X-Moderation-Event": delivery.event_type,
               "X-Moderation-Delivery": str(delivery.id)}
    started = time.perf_counter()
    code, error = _post(endpoint.url, body, headers)
    delivery.attempts += 1
    delivery.last_status_code = code
    delivery.last_error = error
    if error is None:
        delivery.status, delivery.delivered_at = "delivered", utcnow()
    elif delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts))
    db.session.commit()
    log.info("webhook %s to %s: %s in %.0f ms", delivery.event_type, endpoint.url,
             code or error, (time.perf_counter() - started) * 1000)
    return error is None


def deliver_due(now: datetime | None = None, limit: int = 50) -> int:
    """Attempt every delivery due now; return how many were delivered."""
    now = now or utcnow()
    return sum(attempt(delivery_id, now) for delivery_id in _claim(now, limit))
