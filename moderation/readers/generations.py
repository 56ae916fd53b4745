"""Generations of what readers see: counters bumped after every commit that changes a
comment, an article or a site, so a cached public answer can be checked in microseconds.

Each change bumps the generation of its article and of its site right after it commits,
before the request that made it answers; a bulk statement the tracking cannot attribute
bumps the generation of everything. An answer is cached with the generations read before
its data was read, and served only while they are unchanged, in any process that shares
the store: Redis when REDIS_URL is set, otherwise a small shared-memory file beside the
SQLite database. A PostgreSQL deployment without Redis has no store that every node shares,
so it caches no whole answers.

With Redis, each process mirrors the generations it reads and hears every bump on a
pub/sub channel (moderation/readers/mirror.py), so a check costs a non-blocking socket poll
instead of a round trip to Redis.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
import struct
import threading
import zlib
from itertools import chain

import redis
from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from moderation.models import (
    Article,
    ArticleTally,
    Ban,
    Comment,
    CommentStatus,
    ShadowPolicy,
    Site,
    SiteModel,
    SiteWord,
    WebhookEndpoint,
)
from moderation.queue import redis_client
from moderation.readers.mirror import mirror_for

log = logging.getLogger(__name__)

EVERYTHING = "*"
# session.info: {"sites": keys, "articles": ids, "settings": site ids, "setting_keys": keys,
# "all": bool}
_NOTED = "moderation.changed"
_WATCHED_TABLES = {"comments", "articles", "sites", "article_tallies", "bans",
                   "webhook_endpoints", "site_words", "site_models", "shadow_policies"}
_UNREAD = object()
PUBLISHED = CommentStatus.published


class RedisGenerations:
    """Generations in Redis, shared by every web node and queue worker."""

    def __init__(self, url: str, prefix: str, *, mirrored: bool = True) -> None:
        self.redis = redis_client(url)
        self.prefix = f"{prefix}:gen:"
        self.channel = f"{prefix}:gen-bumped"
        self.mirror = mirror_for(self) if mirrored else None

    def read(self, names: tuple[str, ...]) -> tuple | None:
        """Return the current generations of names, or None when Redis cannot say."""
        if self.mirror is not None:
            known = self.mirror.read(names)
            if known is not None:
                return known
        return self.fetch(names)

    def fetch(self, names: tuple[str, ...]) -> tuple | None:
        """Read the names' generations from Redis itself; None when it cannot answer."""
        try:
            return tuple(self.redis.mget([self.prefix + name for name in names]))
        except redis.RedisError as exc:
            log.debug("generation read failed: %s", exc)
            return None

    def bump(self, names: set[str]) -> None:
        """Move the names' generations on and tell every process's mirror."""
        pipe = self.redis.pipeline(transaction=False)
        for name in names:
            pipe.incr(self.prefix + name)
        pipe.publish(self.channel, "\n".join(sorted(names)))
        try:
            pipe.execute()
        finally:
            if self.mirror is not None:
                # Before this request answers: its own process must not trust the old value
                # while the message is still on its way back.
                self.mirror.forget(names)


class FileGenerations:
    """Generations in a shared-memory file, for the processes of one SQLite deployment.

    Names hash to one of SLOTS counters; two names sharing a slot only invalidate each
    other's answers more often.
    """

    SLOTS = 8192

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        size = 8 * self.SLOTS
        if os.fstat(self._fd).st_size < size:
            os.ftruncate(self._fd, size)
        self._map = mmap.mmap(self._fd, size)

    def _slot(self, name: str) -> int:
        return 8 * (zlib.crc32(name.encode()) % self.SLOTS)

    def read(self, names: tuple[str, ...]) -> tuple:
        """Return the current generations of names."""
        return tuple(struct.unpack_from("<Q", self._map, self._slot(name))[0] for name in names)

    def bump(self, names: set[str]) -> None:
        """Move the names' generations on, under a lock every process shares."""
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            for offset in {self._slot(name) for name in names}:
                (value,) = struct.unpack_from("<Q", self._map, offset)
                struct.pack_into("<Q", self._map, offset, (value + 1) % 2**64)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


def site_name(site_key: str) -> str:
    """Return the generation name of a site."""
    return "s:" + site_key


def settings_name(site_key: str) -> str:
    """Return the generation name of a site's settings, bans and webhook endpoints.

    Apart from site_name, which every published comment on the site moves, so what a post
    reads of its site stays kept on a busy site.
    """
    return "c:" + site_key


def article_name(site_key: str, external_id: str) -> str:
    """Return the generation name of an article."""
    return f"a:{len(site_key)}:{site_key}:{external_id}"


_build_lock = threading.Lock()
_files: dict[str, FileGenerations] = {}


def get_store(app: Flask | None = None):
    """Return the app's generation store, built once per process; None when there is none."""
    app = app or current_app
    store = app.extensions.get("moderation.generations", _UNREAD)
    if store is _UNREAD:
        with _build_lock:
            store = app.extensions.get("moderation.generations", _UNREAD)
            if store is _UNREAD:
                store = _build_store(app)
                app.extensions["moderation.generations"] = store
    return store


def _build_store(app: Flask):
    if not app.config.get("ANSWER_CACHE_SECONDS"):
        return None
    if app.config.get("REDIS_URL"):
        return RedisGenerations(app.config["REDIS_URL"],
                                app.config.get("QUEUE_PREFIX", "moderation"),
                                mirrored=app.config.get("GENERATION_MIRROR", True))
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = os.path.abspath(url.database) + "-generations"
        # One mapping per file and process, however many apps (tests build hundreds).
        if path not in _files:
            _files[path] = FileGenerations(path)
        return _files[path]
    return None


def _noted(session: Session) -> dict:
    return session.info.setdefault(
        _NOTED, {"sites": set(), "articles": set(), "settings": set(), "setting_keys": set(),
                 "all": False})


def note_article(session: Session, article_id: int) -> None:
    """Note that the current transaction changes what readers see of an article."""
    _noted(session)["articles"].add(article_id)


def _resolve(session: Session, noted: dict) -> set[str]:
    """Return the generation names of what the transaction changed."""
    names = {site_name(key) for key in noted["sites"]}
    names.update(settings_name(key) for key in noted["setting_keys"])
    if noted["settings"]:
        names.update(settings_name(key) for key in session.connection().execute(
            select(Site.key).where(Site.id.in_(noted["settings"]))).scalars())
    unknown = []
    for article_id in noted["articles"]:
        article = session.identity_map.get(identity_key(Article, article_id))
        site = article and session.identity_map.get(identity_key(Site, article.site_id))
        if article is None or site is None:
            unknown.append(article_id)
            continue
        names.update((site_name(site.key), article_name(site.key, article.external_id)))
    if unknown:
        rows = session.connection().execute(
            select(Site.key, Article.external_id).join(Article, Article.site_id == Site.id)
            .where(Article.id.in_(unknown))).all()
        if len(rows) < len(set(unknown)):
            noted["all"] = True  # deleted meanwhile: no telling whose it was
        for key, external_id in rows:
            names.update((site_name(key), article_name(key, external_id)))
    return names


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context) -> None:
    """Note the sites and articles that the flushed objects belong to."""
    noted = None
    for obj in chain(session.new, session.dirty, session.deleted):
        if obj in session.new and isinstance(obj, Comment) and obj.status is not PUBLISHED:
            continue  # readers cannot see it until a decision publishes it (and bumps)
        if isinstance(obj, (Comment, ArticleTally)):
            noted = noted or _noted(session)
            noted["articles"].add(obj.article_id)
        elif isinstance(obj, Article):
            noted = noted or _noted(session)
            noted["articles"].add(obj.id)
            site = session.identity_map.get(identity_key(Site, obj.site_id))
            if site is None:
                noted["all"] = True
            else:
                noted["sites"].add(site.key)
        elif isinstance(obj, Site):
            noted = noted or _noted(session)
            noted["sites"].add(obj.key)
            # By key: a site deleted in this transaction can no longer be read by its id.
            noted["setting_keys"].add(obj.key)
        elif isinstance(obj, (Ban, WebhookEndpoint, SiteWord, SiteModel, ShadowPolicy)):
            # What a post reads of its site besides the row (moderation/sites/kept.py).
            noted = noted or _noted(session)
            noted["settings"].add(obj.site_id)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state) -> None:
    """A bulk statement on what readers see, unless it says what it changed, changes all."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if state.execution_options.get("readers_noted"):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _WATCHED_TABLES:
        _noted(state.session)["all"] = True


@event.listens_for(Session, "before_commit")
def _resolve_before_commit(session: Session) -> None:
    """Turn noted articles into names while the transaction can still read them."""
    if not has_app_context() or get_store() is None:
        session.info.pop(_NOTED, None)
        return
    session.flush()
    noted = session.info.get(_NOTED)
    if noted and any(noted[kind] for kind in ("articles", "sites", "settings", "setting_keys")):
        noted["names"] = _resolve(session, noted)


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    """Bump the committed change's generations before the request answers."""
    noted = session.info.pop(_NOTED, None)
    if not noted or not has_app_context():
        return
    store = get_store()
    if store is None:
        return
    names = set(noted.get("names") or ())
    if noted["all"]:
        names.add(EVERYTHING)
    if not names:
        return
    try:
        store.bump(names)
    except Exception as exc:  # noqa: BLE001 (the change is committed; stop trusting caches)
        log.warning("could not bump generations %s: %s", sorted(names), exc)
        from moderation.readers.answers import forget_answers

        forget_answers(current_app)
