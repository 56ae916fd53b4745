"""The review queue's size and waiting times over the days, rebuilt from the audit trail."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import or_, select

from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, ModerationEvent, Site
from moderation.models.types import utcnow

PENDING = CommentStatus.pending_review


@dataclass(frozen=True)
class QueueSample:
    """The review queue at one moment: how many waited, and for how long."""

    day: str
    at: datetime
    size: int
    median_wait_s: float | None
    oldest_wait_s: float | None


def _moments(days: int, now: datetime) -> list[datetime]:
    """Return the end of each of the last `days` days, today's being now."""
    first = now.date() - timedelta(days=days - 1)
    ends = [datetime.combine(first + timedelta(days=n + 1), time.min) for n in range(days - 1)]
    return [*ends, now]


def _stays(since: datetime, site_key: str | None) -> dict[int, list[list]]:
    """Return per comment its stays in the queue, [entered, left or None], oldest first."""
    touches = or_(ModerationEvent.to_status == PENDING, ModerationEvent.from_status == PENDING)
    recent = select(ModerationEvent.comment_id).where(touches,
                                                      ModerationEvent.created_at >= since)
    query = (
        select(ModerationEvent.comment_id, ModerationEvent.created_at,
               ModerationEvent.from_status, ModerationEvent.to_status)
        .join(Comment, Comment.id == ModerationEvent.comment_id)
        .where(touches, or_(Comment.status == PENDING, Comment.id.in_(recent)))
        .order_by(ModerationEvent.id)
    )
    if site_key:
        query = query.join(Article, Article.id == Comment.article_id).join(
            Site, Site.id == Article.site_id).where(Site.key == site_key)
    stays: dict[int, list[list]] = defaultdict(list)
    for comment_id, when, from_status, to_status in db.session.execute(query):
        if to_status is PENDING and from_status is not PENDING:
            stays[comment_id].append([when, None])
        elif from_status is PENDING and to_status is not PENDING and stays[comment_id]:
            stays[comment_id][-1][1] = when
    return stays


def queue_samples(*, days: int = 14, site_key: str | None = None) -> list[QueueSample]:
    """Return the queue's size and median and oldest wait at the end of each day."""
    now = utcnow()
    moments = _moments(days, now)
    stays = _stays(datetime.combine(now.date() - timedelta(days=days - 1), time.min), site_key)
    samples = []
    for moment in moments:
        waits = [(moment - entered).total_seconds()
                 for comment in stays.values() for entered, left in comment
                 if entered <= moment and (left is None or left > moment)]
        samples.append(QueueSample(
            day=(moment - timedelta(microseconds=1)).date().isoformat() if moment != now
            else now.date().isoformat(),
            at=moment, size=len(waits),
            median_wait_s=round(statistics.median(waits), 1) if waits else None,
            oldest_wait_s=round(max(waits), 1) if waits else None))
    return samples
