"""A site's settings and an article's switches, as administrators change them."""

from __future__ import annotations

from moderation.errors import NotFound
from moderation.extensions import db
from moderation.learning.changes import set_thresholds
from moderation.models import Article, Moderator, Site
from moderation.scoring.base import LABELS
from moderation.services.decisions import bump_article
from moderation.sites.lookup import get_site


def update_site(site_key: str, data: dict, moderator: Moderator | None = None) -> Site:
    """Change a site's name, allowed origins, thresholds and switches; audit new thresholds."""
    site = get_site(site_key)
    site.name = data["name"]
    site.allowed_origins = data["allowed_origins"]
    site.premoderate = data["premoderate"]
    site.language_check = data["language_check"]
    site.auto_languages = data["auto_languages"]
    site.flag_threshold = data["flag_threshold"]
    thresholds = {
        side: {label: value for label, value in (data.get(side) or {}).items() if label in LABELS}
        for side in ("approve", "reject")
    }
    if thresholds != (site.thresholds or {"approve": {}, "reject": {}}):
        set_thresholds(site, thresholds, kind="manual", moderator=moderator, evidence={})
    db.session.commit()
    return site


def update_article(article_id: int, *, is_closed: bool, premoderate: bool) -> Article:
    """Close or reopen an article's comments and switch its pre-moderation."""
    article = db.session.get(Article, article_id)
    if article is None:
        raise NotFound("No such article.", code="article_not_found")
    article.is_closed = is_closed
    article.premoderate = premoderate
    # Readers see whether comments are open: their cached threads must change.
    bump_article(article.id)
    db.session.commit()
    return article
