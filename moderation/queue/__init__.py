"""The scoring queue on Redis Streams: producers add comment ids, a consumer group scores them."""

from __future__ import annotations

import logging
import threading

import redis
from flask import Flask, current_app

from config import ConfigError

log = logging.getLogger(__name__)

GROUP = "scorers"


def redis_client(url: str):
    """Return a Redis client with short timeouts, so an outage fails fast instead of hanging."""
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)


class StreamQueue:
    """One app's handle on the scoring stream: enqueue ids, read batches, acknowledge them."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.stream = f"{prefix}:scoring"
        self._redis = None
        self._lock = threading.Lock()

    @property
    def redis(self):
        """Return the Redis client, created once on first use (after a gunicorn fork)."""
        # Once only: a discarded duplicate client closes its pool when collected,
        # cutting off the thread still using it.
        if self._redis is None:
            with self._lock:
                if self._redis is None:
                    self._redis = redis_client(self.url)
        return self._redis

    def enqueue(self, comment_ids: list[int]) -> bool:
        """Add comment ids to the stream; False (logged) when Redis is down.

        The comments are already stored as pending; when this fails a worker's sweep
        scores them later (or sends them to review past the deadline), so nothing is lost.
        """
        try:
            with self.redis.pipeline(transaction=False) as pipe:
                for comment_id in comment_ids:
                    pipe.xadd(self.stream, {"id": str(comment_id)})
                pipe.execute()
            return True
        except Exception as exc:  # the comment is committed: the reader must still get 202
            log.warning("could not queue comments %s for scoring: %s", comment_ids, exc)
            return False

    def ensure_group(self) -> None:
        """Create the consumer group (and stream) if they do not exist yet."""
        try:
            self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def read(self, consumer: str, count: int, block_ms: int) -> list[tuple[str, int]]:
        """Return up to count new (entry id, comment id) pairs, waiting at most block_ms."""
        answer = self.redis.xreadgroup(GROUP, consumer, {self.stream: ">"}, count=count,
                                       block=max(1, block_ms))
        return [pair for _, entries in answer or [] for pair in _pairs(entries)]

    def reclaim(self, consumer: str, idle_ms: int, count: int) -> list[tuple[str, int]]:
        """Take over entries other consumers received but did not acknowledge within idle_ms."""
        _, entries, *_ = self.redis.xautoclaim(self.stream, GROUP, consumer,
                                               min_idle_time=idle_ms, start_id="0-0", count=count)
        return list(_pairs(entries))

    def ack(self, entry_ids: list[str]) -> None:
        """Acknowledge and delete handled entries, so the stream does not grow."""
        if entry_ids:
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.xack(self.stream, GROUP, *entry_ids)
                pipe.xdel(self.stream, *entry_ids)
                pipe.execute()

    def pending_count(self) -> int:
        """Return how many entries are delivered but not yet acknowledged."""
        return int(self.redis.xpending(self.stream, GROUP)["pending"])

    def length(self) -> int:
        """Return how many entries the stream holds (queued or in flight)."""
        return int(self.redis.xlen(self.stream))


def _pairs(entries):
    """Yield (entry id, comment id) from raw stream entries, skipping malformed ones."""
    for entry_id, fields in entries or []:
        if fields is None:  # deleted while pending
            continue
        entry = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
        raw = fields.get(b"id") or fields.get("id")
        try:
            yield entry, int(raw)
        except (TypeError, ValueError):
            log.warning("dropping malformed queue entry %s", entry)
            yield entry, 0


class ScoringQueue:
    """Flask extension: app.extensions["moderation.queue"] is the app's StreamQueue."""

    def init_app(self, app: Flask) -> None:
        """Bind the stream named by the settings; queue mode without Redis stops the start."""
        url = app.config.get("REDIS_URL")
        if app.config.get("SCORING") == "queue" and not url:
            raise ConfigError("MODERATION_SCORING=queue needs MODERATION_REDIS_URL")
        app.extensions["moderation.queue"] = (
            StreamQueue(url, app.config["QUEUE_PREFIX"]) if url else None
        )

    @staticmethod
    def get() -> StreamQueue | None:
        """Return the current app's queue, or None when no Redis is configured."""
        return current_app.extensions.get("moderation.queue")
