"""Login throttling that cannot lock a known moderator out.

Per client address, Flask-Limiter caps attempts (LOGIN_RATE_LIMIT). Per account, failed
attempts past LOGIN_FREE_FAILURES make the account wait, 1, 2, 4... up to
LOGIN_MAX_DELAY_SECONDS between tries. A browser that has logged in to the account before
holds a signed device cookie and skips that wait: strangers guessing passwords slow down
each other and new devices, never the moderator at their usual desk.
"""

from __future__ import annotations

import logging
import time

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from moderation.clients import hash_value
from moderation.extensions import limiter

log = logging.getLogger(__name__)
DEVICE_COOKIE = "moderation_device"
DEVICE_DAYS = 90


def _account(email: str) -> str:
    return hash_value(email.strip().lower(), "login")


def _keys(email: str) -> tuple[str, str]:
    prefix = f"{current_app.config['RATELIMIT_KEY_PREFIX']}:login"
    account = _account(email)
    return f"{prefix}-failures:{account}", f"{prefix}-wait:{account}"


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="moderation-device")


def is_known_device(email: str) -> bool:
    """Tell whether this browser has logged in to this account before."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return False
    try:
        accounts = _devices().loads(cookie, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return isinstance(accounts, list) and _account(email) in accounts


def remember_device(response, email: str):
    """Mark this browser as known to the account (kept with up to four other accounts)."""
    try:
        accounts = _devices().loads(request.cookies.get(DEVICE_COOKIE, ""),
                                    max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        accounts = []
    accounts = [a for a in accounts if a != _account(email)][-4:] + [_account(email)]
    response.set_cookie(DEVICE_COOKIE, _devices().dumps(accounts),
                        max_age=DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
                        path="/dashboard")
    return response


def seconds_to_wait(email: str) -> int:
    """Return how long the account makes unknown browsers wait before the next try (0: none)."""
    _, wait_key = _keys(email)
    try:
        storage = limiter.storage
        return int(storage.get_expiry(wait_key) - time.time()) + 1 if storage.get(wait_key) else 0
    except Exception:  # storage down: the per-address limit still holds (fails open)
        log.warning("login delay storage unavailable")
        return 0


def record_failure(email: str) -> None:
    """Count a failed attempt; past the free ones, make the account wait longer each time."""
    failures_key, wait_key = _keys(email)
    config = current_app.config
    try:
        failures = limiter.storage.incr(failures_key, int(config["LOGIN_FAILURE_WINDOW_SECONDS"]))
        over = failures - int(config["LOGIN_FREE_FAILURES"])
        if over > 0:
            delay = min(2 ** min(over - 1, 30), int(config["LOGIN_MAX_DELAY_SECONDS"]))
            limiter.storage.incr(wait_key, delay)
    except Exception:
        log.warning("login delay storage unavailable")


def clear_failures(email: str) -> None:
    """Forget an account's failures after a successful login."""
    for key in _keys(email):
        try:
            limiter.storage.clear(key)
        except Exception:
            log.warning("login delay storage unavailable")

