"""Whole public answers kept per process, served while their generations are unchanged.

A hit costs a dictionary lookup and one generation read (a Redis MGET or a shared-memory
read): no database, no validation, no JSON encoding. The generations are read before the
answer's data, so an answer built while a change was committing is kept under generations
that the change's bump has already left behind, and is never served.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import Flask, current_app

from moderation.readers.generations import EVERYTHING, get_store

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """A rendered answer and what it was built from."""

    names: tuple[str, ...]
    generations: tuple
    etag: str
    body: bytes
    expires: float


class AnswerCache:
    """A thread-safe LRU of answers for one process, bounded in entries and in bytes."""

    def __init__(self, entries: int, seconds: float, max_bytes: int) -> None:
        self.entries, self.seconds, self.max_bytes = entries, seconds, max_bytes
        self._data: OrderedDict[tuple, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        """Return the answer kept under key, if it has not expired."""
        with self._lock:
            answer = self._data.get(key)
            if answer is None:
                return None
            if answer.expires < time.monotonic():
                self._bytes -= len(self._data.pop(key).body)
                return None
            self._data.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: Answer) -> None:
        """Keep an answer, dropping the least recently used beyond the bound."""
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._data[key] = answer
            self._bytes += len(answer.body)
            while self._data and (len(self._data) > self.entries
                                  or self._bytes > self.max_bytes):
                self._bytes -= len(self._data.popitem(last=False)[1].body)

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._data.clear()
            self._bytes = 0


_build_lock = threading.Lock()


def once_per_app(app: Flask, name: str, build: Callable[[], T]) -> T:
    """Return app.extensions[name], built by build() the first time, once across threads."""
    value = app.extensions.get(name)
    if value is None:
        with _build_lock:
            value = app.extensions.get(name)
            if value is None:
                value = app.extensions[name] = build()
    return value


def _cache(app: Flask) -> AnswerCache:
    return once_per_app(app, "moderation.answers", lambda: AnswerCache(
        app.config.get("ANSWER_CACHE_ENTRIES", 4096), app.config["ANSWER_CACHE_SECONDS"],
        app.config.get("ANSWER_CACHE_MB", 64) * 1024 * 1024))


def forget_answers(app: Flask) -> None:
    """Drop this process's answers (when a change could not bump its generations)."""
    cache = app.extensions.get("moderation.answers")
    if cache is not None:
        cache.clear()


class Lookup:
    """One request's use of the cache: a hit, or the generations to keep its answer under."""

    def __init__(self, key: tuple, names: tuple[str, ...]) -> None:
        self.key = key
        self.names = (EVERYTHING, *names)
        self.store = get_store()
        self.hit: Answer | None = None
        self.generations = None
        if self.store is None:
            return
        self.cache = _cache(current_app)
        # Read first: whatever is read from the database after this is at least this new.
        self.generations = self.store.read(self.names)
        answer = self.cache.get(key)
        if answer is not None and answer.generations == self.generations:
            self.hit = answer

    def keep(self, etag: str, body: bytes) -> None:
        """Keep the answer just built, under the generations read before building it."""
        if self.generations is None:
            return
        self.cache.put(self.key, Answer(self.names, self.generations, etag, body,
                                        time.monotonic() + self.cache.seconds))
