"""The limiter's cheap paths: public reads spared its per-request work, and in-process
counters that start no thread per hit.

Flask-Limiter resolves every request's limits even for an exempt view: about a fifth of the
CPU of a cached read. A view marked unlimited skips that check entirely.
"""

from __future__ import annotations

import time

from flask import Flask, request
from flask_limiter import Limiter
from limits.storage import MemoryStorage

_MARK = "moderation_unlimited"


def unlimited(limiter: Limiter):
    """Mark a public read as never rate limited: its answers are cached, CDNs sit in front."""

    def decorator(view):
        limiter.exempt(view)
        setattr(view, _MARK, True)
        return view

    return decorator


def init_app(app: Flask, limiter: Limiter) -> None:
    """Run the limiter's check only for views that may be limited."""
    funcs = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit  # the hook Limiter.init_app installed

    def check_limits():
        view = app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, _MARK, False):
            return None
        return check()

    funcs[funcs.index(check)] = check_limits


class SweptMemoryStorage(MemoryStorage):
    """The memory:// storage, sweeping expired counters inline once a second, not by timer.

    limits' own memory storage starts a timer thread 10 ms after a hit to sweep, so a
    process taking comments steadily starts a thread for nearly every comment. Expired
    counters are already ignored when read; the sweep only frees their memory. Registered
    under "memory", so RATELIMIT_STORAGE_URI=memory:// picks this class.
    """

    STORAGE_SCHEME = ["memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._swept_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the per-hit timer
        now = time.monotonic()
        if now - self._swept_at >= self.SWEEP_SECONDS:
            self._swept_at = now
            self._MemoryStorage__expire_events()
