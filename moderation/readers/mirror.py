"""One process's mirror of the Redis generations, kept true by pub/sub.

Checking a kept answer read its generations from Redis: a round trip and, for 100
articles' counts, more CPU than the replay itself. The mirror answers from memory and
hears every bump on a channel (see moderation/readers/generations.py for what bumps).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import TYPE_CHECKING

import redis

if TYPE_CHECKING:
    from moderation.readers.generations import RedisGenerations

log = logging.getLogger(__name__)


class GenerationMirror:
    """One process's copy of the Redis generations it has read, kept true by pub/sub.

    A bump increments in Redis, then publishes the names; Redis writes the message to
    every subscriber in the same pass of its event loop as its answer to the bump, so by
    the time the bumping request has answered its client and that client reads again, the
    message waits on this process's socket, and each read polls that socket first (no
    wait, no round trip). A name heard of is dropped and read
    again from Redis. Nothing is trusted until Redis confirms the subscription; a broken
    connection drops the whole mirror and reads go to Redis until it subscribes again; and
    the mirror is emptied every REFRESH_SECONDS, so a connection that dies silently can
    leave an answer stale for that long at most.
    """

    REFRESH_SECONDS = 1.0
    RETRY_SECONDS = 5.0

    def __init__(self, store: RedisGenerations) -> None:
        self.client, self.channel, self._fetch = store.redis, store.channel, store.fetch
        self.values: dict[str, object] = {}
        self._lock = threading.Lock()
        self._conn = None
        self._pid = None
        self._refresh_at = 0.0
        self._retry_at = 0.0

    def read(self, names: tuple[str, ...]) -> tuple | None:
        """Return the names' generations from the mirror; None while it cannot be trusted."""
        with self._lock:
            if not self._listening():
                return None
            try:
                self._drain()
            except (redis.RedisError, OSError) as exc:
                log.info("generation mirror lost its subscription: %s", exc)
                self._drop()
                return None
            now = time.monotonic()
            if now >= self._refresh_at:
                self.values.clear()
                self._refresh_at = now + self.REFRESH_SECONDS
            values = self.values
            missing = [name for name in names if name not in values]
            if missing:
                # Read under the lock: a bump forgetting these names waits, so it can
                # never be overtaken by the older value this read returns.
                fetched = self._fetch(tuple(missing))
                if fetched is None:
                    return None
                values.update(zip(missing, fetched, strict=True))
            return tuple(values[name] for name in names)

    def forget(self, names) -> None:
        """Drop names this process has just bumped."""
        with self._lock:
            for name in names:
                self.values.pop(name, None)

    def _listening(self) -> bool:
        """Subscribe in this process if not yet done; False while that cannot be done."""
        if self._pid != os.getpid():
            self._conn, self._pid = None, os.getpid()  # a fork's copy: the parent's socket
            self.values.clear()
        if self._conn is not None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        conn = None
        try:
            conn = self.client.connection_pool.make_connection()
            conn.connect()
            conn.send_command("SUBSCRIBE", self.channel)
            confirmed = conn.read_response()
            if not confirmed or _text(confirmed[0]) != "subscribe":
                raise redis.ConnectionError(f"unexpected answer to SUBSCRIBE: {confirmed!r}")
        except (redis.RedisError, OSError) as exc:
            log.info("generation mirror cannot subscribe: %s", exc)
            if conn is not None:
                conn.disconnect()
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            return False
        self._conn = conn
        self.values.clear()
        self._refresh_at = time.monotonic() + self.REFRESH_SECONDS
        return True

    def _drain(self) -> None:
        """Drop every name a message waiting on the socket says was bumped."""
        conn = self._conn
        while True:
            if conn._sock is None:  # can_read would reconnect without subscribing
                raise redis.ConnectionError("subscription connection closed")
            if not conn.can_read(timeout=0):
                return
            message = conn.read_response()
            if message and _text(message[0]) == "message":
                for name in _text(message[2]).split("\n"):
                    self.values.pop(name, None)

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.disconnect()
        self._conn = None
        self.values.clear()
        self._retry_at = 0.0


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


_mirrors: dict[tuple, GenerationMirror] = {}
_mirrors_lock = threading.Lock()


def mirror_for(store: RedisGenerations) -> GenerationMirror:
    """Return the process's one mirror of a Redis database and channel (tests build many apps)."""
    kwargs = store.redis.connection_pool.connection_kwargs
    key = (kwargs.get("host"), kwargs.get("port"), kwargs.get("db"), kwargs.get("path"),
           store.channel)
    with _mirrors_lock:
        if key not in _mirrors:
            _mirrors[key] = GenerationMirror(store)
        return _mirrors[key]
