"""Operations endpoints: liveness, readiness and metrics."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app
from sqlalchemy import text

from moderation.extensions import db, scorer
from moderation.ops.metrics import render_metrics
from moderation.queue import redis_client

bp = Blueprint("ops", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    """Answer while the process serves requests (liveness)."""
    return {"status": "ok"}


def _check(name: str, probe) -> tuple[str, bool]:
    """Run one readiness probe; any exception means not ready."""
    try:
        probe()
        return name, True
    except Exception as exc:
        log.warning("readiness check %s failed: %s", name, exc)
        return name, False


def _ping_database() -> None:
    """Run a trivial query, leaving no transaction open."""
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()


def _redis_urls() -> list[str]:
    """Return the Redis URLs this app depends on (queue/cache and rate limits)."""
    config = current_app.config
    urls = [config.get("REDIS_URL") or ""]
    storage = config.get("RATELIMIT_STORAGE_URI") or ""
    if storage.startswith(("redis://", "rediss://", "unix://")):
        urls.append(storage)
    return sorted({u for u in urls if u})


def _ping_redis() -> None:
    """Ping every Redis the app depends on."""
    for url in _redis_urls():
        client = redis_client(url)
        try:
            client.ping()
        finally:
            client.close()


def _scorer_loadable() -> None:
    """Fail when the configured model cannot be prepared."""
    if not scorer.loadable():
        raise RuntimeError("the model cannot be prepared")


@bp.get("/readyz")
def readyz():
    """Answer 200 when the database, Redis (if configured) and the model are usable."""
    probes = [("database", _ping_database), ("model", _scorer_loadable)]
    if _redis_urls():
        probes.insert(1, ("redis", _ping_redis))
    checks = dict(_check(name, probe) for name, probe in probes)
    if all(checks.values()):
        return {"status": "ready", "checks": checks}
    failed = ", ".join(name for name, ok in checks.items() if not ok)
    return {"error": {"code": "not_ready", "message": f"Not ready: {failed}."},
            "checks": checks}, 503


@bp.get("/metrics")
def metrics():
    """Expose Prometheus metrics."""
    return render_metrics()

