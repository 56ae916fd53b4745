"""A site's own rules: its banned and suspect words (read and edited), its author bans."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from moderation.errors import NotFound
from moderation.extensions import db
from moderation.models import Ban, Site, SiteWord, WordKind
from moderation.models.types import utcnow
from moderation.readers.generations import settings_name
from moderation.sites.kept import active_bans, kept
from moderation.sites.lookup import get_site


def is_banned(site: Site, email_h: str | None, client_h: str,
              reader_id: int | None = None) -> bool:
    """Tell whether an active ban matches the author's account, email or client hash."""
    now = utcnow()
    bans = active_bans(site)
    if bans is not None:
        return any(
            (ban.expires_at is None or ban.expires_at > now)
            and (ban.client_hash == client_h or (email_h and ban.email_hash == email_h)
                 or (reader_id is not None and ban.reader_id == reader_id))
            for ban in bans
        )
    matches = [Ban.client_hash == client_h]
    if email_h:
        matches.append(Ban.email_hash == email_h)
    if reader_id is not None:
        matches.append(Ban.reader_id == reader_id)
    ban = db.session.scalar(
        select(Ban.id).where(
            Ban.site_id == site.id,
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


def words_for_post(site: Site) -> dict[WordKind, list[str]]:
    """Return site_words(site), kept between posts while the site's settings stand.

    The lists are shared by every post of the process: callers only read them.
    """
    return kept(("words", site.id), (settings_name(site.key),), lambda: site_words(site.id))


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
