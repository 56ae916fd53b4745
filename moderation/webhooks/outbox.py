"""The outbox: each decision adds its deliveries to the same transaction; no HTTP happens here."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import (
    Article,
    Comment,
    CommentStatus,
    ModerationEvent,
    Site,
    WebhookDelivery,
    WebhookEndpoint,
)
from moderation.models.types import utcnow

STATUS_EVENTS = {CommentStatus.published: "comment.published",
                 CommentStatus.rejected: "comment.rejected"}
STATES = {CommentStatus.published: "published", CommentStatus.pending_review: "pending",
          CommentStatus.rejected: "rejected", CommentStatus.deleted: "deleted"}


def payload(event_type: str, site: Site, article: Article, comment: Comment,
            reason: str | None) -> str:
    """Return the JSON body of an event: what the site may know, never emails or hashes."""
    return json.dumps({
        "id": str(uuid.uuid4()),
        "type": event_type,
        "created_at": utcnow().isoformat() + "Z",
        "site": site.key,
        "data": {"comment": {
            "id": comment.id, "article": article.external_id, "parent_id": comment.parent_id,
            "author_name": comment.author_name, "body": comment.body,
            "state": STATES[comment.status], "reason": reason,
            "created_at": comment.created_at.isoformat() + "Z",
        }},
    }, separators=(",", ":"))


def queue_event(comment: Comment, event_type: str, reason: str | None = None) -> int:
    """Add a delivery of the event for each of the site's endpoints that chose it."""
    article = db.session.get(Article, comment.article_id)
    endpoints = [e for e in db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.site_id == article.site_id, WebhookEndpoint.active.is_(True)))
        if event_type in (e.events or [])]
    if not endpoints:
        return 0
    site = db.session.get(Site, article.site_id)
    body = payload(event_type, site, article, comment, reason)
    for endpoint in endpoints:
        db.session.add(WebhookDelivery(endpoint_id=endpoint.id, comment_id=comment.id,
                                       event_type=event_type, body=body))
    return len(endpoints)


def queue_decision(comment: Comment, event: ModerationEvent) -> None:
    """Queue comment.created for a new comment, and published/rejected on such a change."""
    if event.from_status is None:
        queue_event(comment, "comment.created", event.reason)
    if event.to_status in STATUS_EVENTS and event.from_status is not event.to_status:
        queue_event(comment, STATUS_EVENTS[event.to_status], event.reason)
