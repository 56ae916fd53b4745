"""Public reads that no rate limit applies to, spared the limiter's per-request work.

Flask-Limiter resolves every request's limits even for an exempt view: about a fifth of the
CPU of a cached read. A view marked unlimited skips that check entirely.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter

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
