"""The articles with the most published comments in a recent window, in one query."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, Site
from moderation.models.types import utcnow


def most_discussed(site: Site, *, hours: int, limit: int) -> list[dict]:
    """Return the site's articles ranked by comments published in the last hours."""
    since = utcnow() - timedelta(hours=hours)
    recent = func.count(Comment.id).label("recent")
    rows = db.session.execute(
        select(Article.external_id, Article.title, Article.url, Article.published_count, recent)
        .join(Comment, Comment.article_id == Article.id)
        .where(
            Article.site_id == site.id,
            Comment.status == CommentStatus.published,
            Comment.created_at >= since,
        )
        .group_by(Article.id, Article.external_id, Article.title, Article.url,
                  Article.published_count)
        .order_by(recent.desc(), Article.id.desc())
        .limit(limit)
    )
    return [
        {"article": external_id, "title": title, "url": url, "count": total,
         "recent_count": count}
        for external_id, title, url, total, count in rows
    ]
