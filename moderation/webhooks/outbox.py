"""The outbox: each decision adds its deliveries to the same transaction; no HTTP happens here."""

from __future__ import annotations

import json
import uuid

from moderation.extensions import db
from moderation.models import (
    Article,
    Comment,
    CommentStatus,
    ModerationEvent,
    Site,
    WebhookDelivery,
)
from moderation.models.types import utcnow
from moderation.sites.kept import KeptEndpoint, active_endpoints

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
    return queue_events(comment, [event_type], reason)


def queue_events(comment: Comment, event_types: list[str], reason: str | None = None,
                 endpoints_of: dict[int, tuple[KeptEndpoint, ...]] | None = None) -> int:
    """Add deliveries of several events of one decision, reading the endpoints once.

    endpoints_of, when given, keeps each site's active endpoints for a batch of decisions
    (where no generation store keeps them between requests).
    """
    article = db.session.get(Article, comment.article_id)
    site = db.session.get(Site, article.site_id)
    if endpoints_of is None:
        endpoints = active_endpoints(site)
    elif site.id not in endpoints_of:
        endpoints = endpoints_of[site.id] = active_endpoints(site)
    else:
        endpoints = endpoints_of[site.id]
    queued = 0
    for event_type in event_types:
        chosen = [e for e in endpoints if event_type in e.events]
        if not chosen:
            continue
        body = payload(event_type, site, article, comment, reason)
        for endpoint in chosen:
            db.session.add(WebhookDelivery(endpoint_id=endpoint.id, comment_id=comment.id,
                                           event_type=event_type, body=body))
        queued += len(chosen)
    return queued


def queue_decisions(decisions: list[tuple[Comment, ModerationEvent]]) -> None:
    """Queue comment.created for new comments, and published/rejected on such a change."""
    endpoints_of: dict[int, tuple[KeptEndpoint, ...]] = {}
    for comment, event in decisions:
        event_types = ["comment.created"] if event.from_status is None else []
        if event.to_status in STATUS_EVENTS and event.from_status is not event.to_status:
            event_types.append(STATUS_EVENTS[event.to_status])
        if event_types:
            queue_events(comment, event_types, event.reason, endpoints_of)
