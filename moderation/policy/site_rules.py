"""A site's own rules read at routing time: its banned and suspect words, its author bans."""

from __future__ import annotations

from sqlalchemy import or_, select

from moderation.extensions import db
from moderation.models import Ban, SiteWord, WordKind
from moderation.models.types import utcnow


def is_banned(site_id: int, email_h: str | None, client_h: str) -> bool:
    """Tell whether an active ban matches the author's email or client hash."""
    now = utcnow()
    matches = [Ban.client_hash == client_h]
    if email_h:
        matches.append(Ban.email_hash == email_h)
    ban = db.session.scalar(
        select(Ban.id).where(
            Ban.site_id == site_id,
            Ban.lifted_at.is_(None),
            or_(Ban.expires_at.is_(None), Ban.expires_at > now),
            or_(*matches),
        ).limit(1)
    )
    return ban is not None


def site_words(site_id: int) -> dict[WordKind, list[str]]:
    """Return a site's banned and suspect words."""
    words: dict[WordKind, list[str]] = {WordKind.banned: [], WordKind.suspect: []}
    for word, kind in db.session.execute(
        select(SiteWord.word, SiteWord.kind).where(SiteWord.site_id == site_id)
    ):
        words[kind].append(word)
    return words
