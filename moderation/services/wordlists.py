"""Admin changes: site word lists, site and article policy, and moderator accounts."""

from __future__ import annotations

from sqlalchemy import delete, select

from moderation.errors import Conflict, NotFound
from moderation.extensions import db
from moderation.models import Article, Moderator, Role, Site, SiteWord, WordKind
from moderation.scoring.base import LABELS
from moderation.services.decisions import bump_article
from moderation.services.sites import get_site


def list_words(site: Site) -> dict[WordKind, list[SiteWord]]:
    """Return a site's banned and suspect words, alphabetically."""
    words: dict[WordKind, list[SiteWord]] = {WordKind.banned: [], WordKind.suspect: []}
    for word in db.session.scalars(
        select(SiteWord).where(SiteWord.site_id == site.id).order_by(SiteWord.word)
    ):
        words[word.kind].append(word)
    return words


def add_words(site_key: str, kind: WordKind, text: str) -> int:
    """Add the words (one per line or comma-separated) to a site's list; return how many."""
    site = get_site(site_key)
    existing = {w for (w,) in db.session.execute(
        select(SiteWord.word).where(SiteWord.site_id == site.id, SiteWord.kind == kind))}
    added = 0
    for raw in text.replace(",", "\n").splitlines():
        word = raw.strip().lower()
        if word and word not in existing and len(word) <= 100:
            db.session.add(SiteWord(site_id=site.id, word=word, kind=kind))
            existing.add(word)
            added += 1
    db.session.commit()
    return added


def remove_word(site_key: str, word_id: int) -> None:
    """Remove one word from a site's lists."""
    site = get_site(site_key)
    result = db.session.execute(
        delete(SiteWord).where(SiteWord.id == word_id, SiteWord.site_id == site.id))
    if result.rowcount == 0:
        db.session.rollback()
        raise NotFound("No such word on this site.", code="word_not_found")
    db.session.commit()


def update_site(site_key: str, data: dict) -> Site:
    """Change a site's name, allowed origins, thresholds and switches."""
    site = get_site(site_key)
    site.name = data["name"]
    site.allowed_origins = data["allowed_origins"]
    site.premoderate = data["premoderate"]
    site.language_check = data["language_check"]
    site.flag_threshold = data["flag_threshold"]
    site.thresholds = {
        side: {label: value for label, value in (data.get(side) or {}).items() if label in LABELS}
        for side in ("approve", "reject")
    }
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


def create_moderator(email: str, password: str, role: Role) -> Moderator:
    """Create a dashboard account."""
    email = email.strip().lower()
    if db.session.scalar(select(Moderator.id).where(Moderator.email == email)):
        raise Conflict(f"{email} already has an account.", code="moderator_exists")
    moderator = Moderator(email=email, role=role)
    moderator.set_password(password)
    db.session.add(moderator)
    db.session.commit()
    return moderator


def update_moderator(moderator_id: int, *, role: Role, active: bool, acting_id: int) -> Moderator:
    """Change an account's role or switch it off; admins cannot lock themselves out."""
    moderator = db.session.get(Moderator, moderator_id)
    if moderator is None:
        raise NotFound("No such moderator.", code="moderator_not_found")
    if moderator_id == acting_id and (role is not Role.admin or not active):
        raise Conflict("You cannot remove your own admin rights.", code="own_account")
    moderator.role = role
    moderator.active = active
    db.session.commit()
    return moderator


def set_blur(moderator: Moderator, blur: bool) -> None:
    """Save a moderator's choice to blur the most severe items."""
    moderator.blur_severe = blur
    db.session.commit()
