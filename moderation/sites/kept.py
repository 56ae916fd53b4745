"""What a post reads of its site, kept in each process between posts.

Every post reads its site, its article, the site's active bans and its webhook endpoints:
four round trips for rows that seldom change. Each is kept here under the generations read
before it was read (moderation/readers/generations.py), like a public answer: a change to
a site's settings, bans or endpoints moves settings_name, a change to an article moves
article_name, and the next post anywhere in the deployment reads the row again. Without a
generation store every read goes to the database. The site's words, site model and shadow
run are kept the same way, by functions beside the ones they keep.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import make_transient_to_detached

from moderation.extensions import db
from moderation.models import Article, Ban, Site, WebhookEndpoint
from moderation.readers.answers import once_per_app
from moderation.readers.generations import (
    EVERYTHING,
    article_name,
    get_store,
    settings_name,
)
from moderation.sites.lookup import find_article, get_site

# A site with more active bans than this is asked each time rather than kept.
MAX_KEPT_BANS = 5000
_MISSING = object()


class KeptBan(NamedTuple):
    """What matching a post against an active ban needs."""

    client_hash: str | None
    email_hash: str | None
    reader_id: int | None
    expires_at: datetime | None


class KeptEndpoint(NamedTuple):
    """What queueing a webhook delivery needs of an endpoint."""

    id: int
    events: tuple[str, ...]


class KeptRows:
    """A thread-safe LRU of plain values, each valid for the generations it was read under."""

    def __init__(self, entries: int, seconds: float) -> None:
        self.entries, self.seconds = entries, seconds
        self._data: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, generations: tuple):
        """Return the value kept under exactly these generations, or _MISSING."""
        with self._lock:
            kept = self._data.get(key)
            if kept is None or kept[0] != generations or kept[1] < time.monotonic():
                return _MISSING
            self._data.move_to_end(key)
            return kept[2]

    def put(self, key: tuple, generations: tuple, value) -> None:
        """Keep value under generations, dropping the least recently used beyond the bound."""
        with self._lock:
            self._data[key] = (generations, time.monotonic() + self.seconds, value)
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)


def _rows() -> KeptRows:
    app = current_app._get_current_object()
    return once_per_app(app, "moderation.kept_rows", lambda: KeptRows(
        app.config.get("ANSWER_CACHE_ENTRIES", 4096), app.config["ANSWER_CACHE_SECONDS"]))


def kept(key: tuple, names: tuple[str, ...], load: Callable[[], object]):
    """Return load()'s value, from this process's copy while the names' generations hold.

    The value must be plain data that no caller changes; None is never kept.
    """
    store = get_store()
    generations = store.read((EVERYTHING, *names)) if store is not None else None
    if generations is None:
        return load()
    rows = _rows()
    value = rows.get(key, generations)
    if value is _MISSING:
        value = load()
        if value is not None:
            rows.put(key, generations, value)
    return value


def columns_of(row) -> dict:
    """Return a row's column values as plain data to keep."""
    return {column.key: getattr(row, column.key) for column in type(row).__table__.columns}


def into_session(model, values: dict):
    """Return a row of model in the session from kept column values, without a query."""
    row = model(**copy.deepcopy(values))
    make_transient_to_detached(row)
    # load=False trusts the values as the row's committed state: no SELECT, and a change the
    # caller makes is flushed as an UPDATE of the changed columns only.
    return db.session.merge(row, load=False)


def site_for_post(key: str) -> Site:
    """Return the site with this key (NotFound as get_site), kept between posts."""
    values = kept(("site", key), (settings_name(key),), lambda: columns_of(get_site(key)))
    return into_session(Site, values)


def article_for_post(site: Site, external_id: str) -> Article | None:
    """Return the site's article with this external id, if it exists, kept between posts."""
    def load():
        article = find_article(site, external_id)
        return columns_of(article) if article is not None else None

    values = kept(("article", site.id, external_id),
                  (settings_name(site.key), article_name(site.key, external_id)), load)
    return into_session(Article, values) if values is not None else None


def active_bans(site: Site) -> tuple[KeptBan, ...] | None:
    """Return the site's bans not lifted, kept between posts; None when there are too many."""
    def load():
        rows = db.session.execute(
            select(Ban.client_hash, Ban.email_hash, Ban.reader_id, Ban.expires_at)
            .where(Ban.site_id == site.id, Ban.lifted_at.is_(None))
            .limit(MAX_KEPT_BANS + 1)).all()
        # An empty tuple is kept too: most sites ban nobody most of the time.
        return tuple(KeptBan(*row) for row in rows) if len(rows) <= MAX_KEPT_BANS else False

    bans = kept(("bans", site.id), (settings_name(site.key),), load)
    return None if bans is False else bans


def active_endpoints(site: Site) -> tuple[KeptEndpoint, ...]:
    """Return the ids and chosen events of the site's active webhook endpoints, kept."""
    def load():
        return tuple(
            KeptEndpoint(endpoint_id, tuple(events or ()))
            for endpoint_id, events in db.session.execute(
                select(WebhookEndpoint.id, WebhookEndpoint.events).where(
                    WebhookEndpoint.site_id == site.id, WebhookEndpoint.active.is_(True))))

    return kept(("endpoints", site.id), (settings_name(site.key),), load)
