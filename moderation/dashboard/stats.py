"""Moderation statistics per site and day, from the audit trail, portable across databases."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import String, and_, cast, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from moderation.extensions import db
from moderation.models import (
    ActorType,
    Article,
    Comment,
    CommentStatus,
    ModerationEvent,
    Moderator,
    Site,
)
from moderation.models.types import utcnow
from moderation.services.actions import REJECT_REASONS

COLUMNS = ("day", "site", "received", "auto_published", "auto_rejected", "sent_to_review",
           "moderator_approved", "moderator_rejected", "approve_rate", "reject_rate",
           "median_wait_s", "p90_wait_s")
MODERATOR_COLUMNS = ("day", "moderator", "decisions", "approved", "rejected", "featured",
                     "bans", "undos")


@dataclass
class DayStats:
    """One site's numbers for one day."""

    day: str
    site: str
    received: int = 0
    auto_published: int = 0
    auto_rejected: int = 0
    sent_to_review: int = 0
    moderator_approved: int = 0
    moderator_rejected: int = 0
    waits: list[float] = field(default_factory=list)

    @property
    def decided(self) -> int:
        """Return the number of moderator approvals and rejections."""
        return self.moderator_approved + self.moderator_rejected

    @property
    def approve_rate(self) -> float | None:
        """Return the share of moderator decisions that approved, or None without any."""
        return round(self.moderator_approved / self.decided, 3) if self.decided else None

    @property
    def reject_rate(self) -> float | None:
        """Return the share of moderator decisions that rejected, or None without any."""
        return round(self.moderator_rejected / self.decided, 3) if self.decided else None

    @property
    def median_wait_s(self) -> float | None:
        """Return the median seconds a decided comment waited in the queue."""
        return round(statistics.median(self.waits), 1) if self.waits else None

    @property
    def p90_wait_s(self) -> float | None:
        """Return the 90th-percentile seconds in the queue (nearest rank)."""
        if not self.waits:
            return None
        ordered = sorted(self.waits)
        return round(ordered[max(0, -(-len(ordered) * 9 // 10) - 1)], 1)

    def row(self) -> list:
        """Return the values in COLUMNS order."""
        return [getattr(self, name) for name in COLUMNS]


def _day(value) -> str:
    """Return a database date (a str on SQLite, a date on PostgreSQL) as YYYY-MM-DD."""
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _events(since: datetime, site_key: str | None):
    """Return the select of events since a time, joined to their site."""
    query = (
        select(ModerationEvent)
        .join(Comment, Comment.id == ModerationEvent.comment_id)
        .join(Article, Article.id == Comment.article_id)
        .join(Site, Site.id == Article.site_id)
        .where(ModerationEvent.created_at >= since)
    )
    return query.where(Site.key == site_key) if site_key else query


def not_undone():
    """Return the condition that no later undo reverted the event (undo notes 'event:<id>')."""
    undo = aliased(ModerationEvent)
    return ~exists().where(and_(
        undo.comment_id == ModerationEvent.comment_id, undo.reason == "undo",
        undo.note == literal("event:") + cast(ModerationEvent.id, String)))


def daily_stats(*, days: int = 14, site_key: str | None = None) -> list[DayStats]:
    """Return per-site, per-day statistics for the last `days` days, oldest first."""
    since = datetime.combine(utcnow().date() - timedelta(days=days - 1), datetime.min.time())
    day = func.date(ModerationEvent.created_at)
    table: dict[tuple[str, str], DayStats] = {}

    def cell(when, site: str) -> DayStats:
        key = (_day(when), site)
        return table.setdefault(key, DayStats(day=key[0], site=site))

    automatic = _events(since, site_key).with_only_columns(
        day, Site.key, ModerationEvent.to_status, func.count()
    ).where(ModerationEvent.from_status.is_(None)).group_by(
        day, Site.key, ModerationEvent.to_status)
    for when, site, status, count in db.session.execute(automatic):
        stats = cell(when, site)
        stats.received += count
        if status is CommentStatus.published:
            stats.auto_published += count
        elif status is CommentStatus.rejected:
            stats.auto_rejected += count
        else:
            stats.sent_to_review += count

    # Final decisions only: an undone decision is left out, and when moderators changed a
    # comment's status more than once, its last change is the one that counts.
    decided = _events(since, site_key).with_only_columns(
        ModerationEvent.comment_id, ModerationEvent.created_at, Site.key,
        ModerationEvent.to_status, ModerationEvent.from_status, Comment.created_at,
    ).where(ModerationEvent.actor_type == ActorType.moderator,
            ModerationEvent.to_status != ModerationEvent.from_status,
            ModerationEvent.reason != "undo", not_undone()).order_by(ModerationEvent.id)
    final = {row[0]: row[1:] for row in db.session.execute(decided)}
    for when, site, to_status, from_status, created in final.values():
        stats = cell(when, site)
        if to_status is CommentStatus.published:
            stats.moderator_approved += 1
        elif to_status is CommentStatus.rejected:
            stats.moderator_rejected += 1
        if from_status is CommentStatus.pending_review:
            stats.waits.append((when - created).total_seconds())
    return sorted(table.values(), key=lambda s: (s.day, s.site))


@dataclass
class ModeratorDay:
    """One moderator's actions on one day: decisions, and the other actions beside them."""

    day: str
    moderator: str
    approved: int = 0
    rejected: int = 0
    featured: int = 0
    bans: int = 0
    undos: int = 0

    @property
    def decisions(self) -> int:
        """Return the approvals plus rejections, one per comment."""
        return self.approved + self.rejected

    def row(self) -> list:
        """Return the values in MODERATOR_COLUMNS order."""
        return [getattr(self, name) for name in MODERATOR_COLUMNS]


def _counted(condition):
    """Return a count of the grouped events that meet the condition."""
    return func.count().filter(condition)


def decisions_per_moderator(*, days: int = 14, site_key: str | None = None) -> list[ModeratorDay]:
    """Return each moderator's approvals and rejections per day, with features, bans and undos.

    The event's reason tells the action apart. Bulk actions and "reject all pending from
    this author" write one event per comment, so they count per comment. Featuring a
    pending comment publishes it, and banning rejects it, but neither is a decision here.
    An action that was later undone is left out; the undo itself is counted.
    """
    since = datetime.combine(utcnow().date() - timedelta(days=days - 1), datetime.min.time())
    day = func.date(ModerationEvent.created_at)
    reason = ModerationEvent.reason
    query = _events(since, site_key).with_only_columns(
        day, Moderator.email,
        _counted(reason == "approved"),
        _counted(reason.in_(list(REJECT_REASONS))),
        _counted(reason.in_(["featured", "unfeatured"])),
        _counted(reason == "banned"),
        _counted(reason == "undo"),
    ).join(Moderator, Moderator.id == ModerationEvent.moderator_id).where(
        or_(reason == "undo", not_undone())).group_by(
        day, Moderator.email).order_by(day, Moderator.email)
    return [ModeratorDay(_day(when), email, *counts)
            for when, email, *counts in db.session.execute(query)]


def chart_series(rows: list[DayStats], days: int) -> list[dict]:
    """Sum the sites per day into the stacked series the chart draws, quiet days included."""
    per_day: dict[str, dict] = defaultdict(lambda: {"auto_published": 0, "auto_rejected": 0,
                                                    "sent_to_review": 0})
    today = utcnow().date()
    for back in range(days - 1, -1, -1):
        per_day[(today - timedelta(days=back)).isoformat()]  # noqa: B018  (creates the day)
    for row in rows:
        for name in ("auto_published", "auto_rejected", "sent_to_review"):
            per_day[row.day][name] += getattr(row, name)
    return [{"day": day, **values} for day, values in sorted(per_day.items())]
