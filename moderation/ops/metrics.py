"""Prometheus metrics: request latency, decisions, review queue, scoring batches.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (config/gunicorn.conf.py does): every worker
writes its samples there and /metrics adds them up, whichever worker answers.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable

from flask import current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def ensure_multiprocess_folder() -> str | None:
    """Create the samples folder PROMETHEUS_MULTIPROC_DIR names, if it is set and missing.

    The documented env file sets it for gunicorn, which makes it at start; a `flask db
    upgrade` run before the first start would otherwise fail creating its first metric.
    A folder that cannot be made is swapped for a private temporary one, with a warning.
    """
    folder = os.environ.get(MULTIPROC_ENV)
    if not folder or os.path.isdir(folder):
        return folder
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        replacement = tempfile.mkdtemp(prefix="moderation-metrics-")
        log.warning("cannot create %s=%s (%s); this process keeps its samples in %s",
                    MULTIPROC_ENV, folder, exc.strerror, replacement)
        os.environ[MULTIPROC_ENV] = folder = replacement
    return folder


# Before the first metric below: in multiprocess mode each one opens a file there.
ensure_multiprocess_folder()

REQUEST_SECONDS = Histogram(
    "moderation_request_seconds", "Time to answer a request, by endpoint.",
    ["endpoint", "method", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DECISIONS = Counter(
    "moderation_comments_decided_total", "Comment status decisions, by status, reason and actor.",
    ["status", "reason", "actor"],
)
SCORING_SECONDS = Histogram(
    "moderation_scoring_seconds", "Time the model took for one queued batch.",
    ["mode"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
BATCH_SIZE = Histogram(
    "moderation_scoring_batch_size", "Comments per queued scoring batch.",
    ["mode"], buckets=(1, 2, 4, 8, 16, 32, 64, 128),
)
SCORER_FAILURES = Counter(
    "moderation_scoring_failures_total", "Queued batches the scorer failed or timed out on."
)


def observe_request(response):
    """Record the request's latency under its endpoint (unmatched URLs share one label)."""
    started = g.get("request_started")
    if started is not None:
        REQUEST_SECONDS.labels(request.endpoint or "unmatched", request.method,
                               str(response.status_code)).observe(time.perf_counter() - started)
    return response


def observe_batch(size: int, result) -> None:
    """Record one worker batch: its size, the model's time and what was decided."""
    BATCH_SIZE.labels("queue").observe(size)
    if result.scoring_seconds:
        SCORING_SECONDS.labels("queue").observe(result.scoring_seconds)
    if result.scorer_failed:
        SCORER_FAILURES.inc()


# What the decision counter counts: the audit-event type and how to label one, given by
# the factory, so this module needs no models (the models import the extensions).
_decisions: dict = {}


def count_decisions(event_type: type, labels: Callable) -> None:
    """Count each committed instance of event_type under labels(event): (status, reason, actor)."""
    _decisions["type"], _decisions["labels"] = event_type, labels


@event.listens_for(Session, "before_flush")
def _collect_decisions(session, _context, _instances) -> None:
    """Note the decisions about to be written; they count only once committed."""
    event_type = _decisions.get("type")
    if event_type is None:
        return
    for obj in session.new:
        if isinstance(obj, event_type):
            session.info.setdefault("decisions", []).append(_decisions["labels"](obj))


@event.listens_for(Session, "after_commit")
def _count_decisions(session) -> None:
    """Count the committed decisions."""
    for status, reason, actor in session.info.pop("decisions", []):
        DECISIONS.labels(status, reason, actor).inc()


@event.listens_for(Session, "after_soft_rollback")
def _forget_decisions(session, _previous) -> None:
    """Drop decisions of a rolled-back transaction."""
    session.info.pop("decisions", None)


_review_queue: dict = {}


def read_review_queue(reader: Callable) -> None:
    """Read the review queue's gauges with reader(): (site, waiting, oldest age in seconds)."""
    _review_queue["reader"] = reader


def review_queue_metrics() -> list:
    """Report the review queue's depth and oldest age per site, as the reader finds them."""
    reader = _review_queue.get("reader")
    if reader is None:
        return []
    depth = GaugeMetricFamily("moderation_review_queue_depth",
                              "Comments waiting for a human or a score.", labels=["site"])
    age = GaugeMetricFamily("moderation_review_queue_oldest_seconds",
                            "Age of the oldest comment waiting.", labels=["site"])
    for key, count, oldest_seconds in reader():
        depth.add_metric([key], count)
        age.add_metric([key], oldest_seconds)
    return [depth, age]


def stream_metrics() -> list:
    """Read the scoring stream's length and unacknowledged entries from Redis."""
    queue = current_app.extensions.get("moderation.queue")
    if queue is None:
        return []
    length = GaugeMetricFamily("moderation_scoring_queue_length",
                               "Entries in the scoring stream (waiting or in flight).")
    pending = GaugeMetricFamily("moderation_scoring_queue_unacked",
                                "Entries delivered to a worker and not yet acknowledged.")
    try:
        length.add_metric([], queue.length())
        pending.add_metric([], queue.pending_count())
    except Exception:  # no group yet, or Redis down: /readyz reports that, not /metrics
        return []
    return [length, pending]


class _Live:
    """A collector that reads current state at scrape time."""

    def collect(self):
        yield from review_queue_metrics()
        yield from stream_metrics()


def render_metrics() -> tuple[bytes, int, dict]:
    """Return the exposition text: process samples (all workers) plus live state."""
    if ensure_multiprocess_folder():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    live = CollectorRegistry()
    live.register(_Live())
    body = generate_latest(registry) + generate_latest(live)
    return body, 200, {"Content-Type": CONTENT_TYPE_LATEST}
