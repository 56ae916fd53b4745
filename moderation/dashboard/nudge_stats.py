"""What the before-posting nudge did: authors nudged, what they did, how revisions fared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, Nudge, Site
from moderation.models.types import utcnow
from moderation.readers.nudges import AS_IS, REVISED

NUDGE_COLUMNS = ("site", "nudged", "revised", "sent_as_is", "gave_up", "revised_published",
                 "revised_rejected", "revised_held")


@dataclass
class NudgeStats:
    """One site's nudges over the period."""

    site: str
    nudged: int = 0
    revised: int = 0
    sent_as_is: int = 0
    revised_published: int = 0
    revised_rejected: int = 0
    revised_held: int = 0

    @property
    def gave_up(self) -> int:
        """Return the nudges that no comment followed (never sent, or sent after the period)."""
        return max(0, self.nudged - self.revised - self.sent_as_is)

    def row(self) -> list:
        """Return the values in NUDGE_COLUMNS order."""
        return [getattr(self, name) for name in NUDGE_COLUMNS]


def nudge_stats(*, days: int = 14, site_key: str | None = None) -> list[NudgeStats]:
    """Return per-site nudge numbers for the last `days` days, by site key."""
    since = datetime.combine(utcnow().date() - timedelta(days=days - 1), datetime.min.time())
    table: dict[str, NudgeStats] = {}

    def cell(site: str) -> NudgeStats:
        return table.setdefault(site, NudgeStats(site=site))

    nudged = (select(Site.key, func.count()).select_from(Nudge)
              .join(Site, Site.id == Nudge.site_id)
              .where(Nudge.created_at >= since).group_by(Site.key))
    outcomes = (select(Site.key, Comment.nudge_outcome, Comment.status, func.count())
                .select_from(Comment)
                .join(Article, Article.id == Comment.article_id)
                .join(Site, Site.id == Article.site_id)
                .where(Comment.nudge_outcome.is_not(None), Comment.created_at >= since)
                .group_by(Site.key, Comment.nudge_outcome, Comment.status))
    if site_key:
        nudged, outcomes = nudged.where(Site.key == site_key), outcomes.where(Site.key == site_key)
    for site, count in db.session.execute(nudged):
        cell(site).nudged += count
    for site, outcome, status, count in db.session.execute(outcomes):
        stats = cell(site)
        if outcome == AS_IS:
            stats.sent_as_is += count
        elif outcome == REVISED:
            stats.revised += count
            if status is CommentStatus.published:
                stats.revised_published += count
            elif status is CommentStatus.rejected:
                stats.revised_rejected += count
            elif status is CommentStatus.pending_review:
                stats.revised_held += count
    return sorted(table.values(), key=lambda s: s.site)
