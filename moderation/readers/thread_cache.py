"""Rendered thread pages cached per article revision: a change bumps the revision, so the
old pages are simply never asked for again (no explicit invalidation to forget)."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import redis
from flask import current_app

from moderation.queue import redis_client

log = logging.getLogger(__name__)


class MemoryCache:
    """A bounded, thread-safe LRU with expiry, for one process.

    Pages are kept as JSON text so no caller can change a page another request reads.
    """

    def __init__(self, entries: int, seconds: float) -> None:
        self.entries, self.seconds = entries, seconds
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        """Return the cached page, or None if absent or expired."""
        with self._lock:
            hit = self._data.get(key)
            if hit is None:
                return None
            expires, page = hit
            if expires < time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
        return json.loads(page)

    def put(self, key: str, page: dict) -> None:
        """Keep a page, dropping the least recently used beyond the bound."""
        with self._lock:
            self._data[key] = (time.monotonic() + self.seconds, json.dumps(page))
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)


class RedisCache:
    """Pages shared by every web node, as JSON with an expiry; Redis errors are misses."""

    def __init__(self, url: str, seconds: float) -> None:
        self.redis = redis_client(url)
        self.seconds = max(1, int(seconds))

    def get(self, key: str) -> dict | None:
        """Return the cached page, or None when absent or Redis is unreachable."""
        try:
            raw = self.redis.get(key)
        except redis.RedisError as exc:
            log.debug("thread cache read failed: %s", exc)
            return None
        return json.loads(raw) if raw else None

    def put(self, key: str, page: dict) -> None:
        """Store a page; a Redis error only costs the next reader a render."""
        try:
            self.redis.set(key, json.dumps(page, separators=(",", ":")), ex=self.seconds)
        except redis.RedisError as exc:
            log.debug("thread cache write failed: %s", exc)


_build_lock = threading.Lock()


def get_cache():
    """Return this app's cache (Redis when REDIS_URL is set), built once; None when off."""
    app = current_app
    cache = app.extensions.get("moderation.thread_cache")
    if cache is None:
        with _build_lock:
            cache = app.extensions.get("moderation.thread_cache")
            if cache is None:
                seconds = app.config.get("THREAD_CACHE_SECONDS", 0)
                if not seconds:
                    cache = False
                elif app.config.get("REDIS_URL"):
                    cache = RedisCache(app.config["REDIS_URL"], seconds)
                else:
                    cache = MemoryCache(app.config.get("THREAD_CACHE_ENTRIES", 2048), seconds)
                app.extensions["moderation.thread_cache"] = cache
    return cache or None


def page_key(article, sort: str, cursor: str | None, limit: int) -> str:
    """Return the cache key of one page of one revision of an article's thread."""
    prefix = current_app.config.get("QUEUE_PREFIX", "moderation")
    position = hashlib.blake2b((cursor or "").encode(), digest_size=12).hexdigest()
    # SQLite reuses the ids of deleted rows; the creation time tells a recreated article
    # (revision 0 again) from the old one, so its pages are never served stale.
    born = int(article.created_at.timestamp() * 1_000_000)
    return f"{prefix}:thread:{article.id}.{born}:{article.revision}:{sort}:{limit}:{position}"


def cached_page(article, sort: str, cursor: str | None, limit: int,
                render: Callable[[], dict]) -> dict:
    """Return the page from the cache, rendering and storing it on a miss."""
    cache = get_cache()
    if cache is None:
        return render()
    key = page_key(article, sort, cursor, limit)
    page = cache.get(key)
    if page is None:
        page = render()
        cache.put(key, page)
    return page
