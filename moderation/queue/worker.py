"""The scoring worker: read micro-batches from the stream, route them, reclaim and sweep."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import redis
from flask import Flask
from sqlalchemy.exc import OperationalError

from config import ConfigError
from moderation.extensions import db
from moderation.ops.metrics import observe_batch
from moderation.queue import ScoringQueue, StreamQueue
from moderation.queue.batches import (
    PreparedBatch,
    apply_batch,
    prepare_batch,
    route_batch,
    score_batch,
    stale_awaiting,
    sweep_overdue,
)

log = logging.getLogger(__name__)


def consumer_name() -> str:
    """Return a consumer name unique to this process on this host."""
    return f"{socket.gethostname()}-{os.getpid()}"


def collect_batch(queue: StreamQueue, consumer: str, size: int, window_ms: int,
                  idle_block_ms: int = 1000) -> list[tuple[str, int]]:
    """Wait for the first entry, then gather up to size entries or window_ms, whichever first."""
    batch = queue.read(consumer, size, idle_block_ms)
    if not batch:
        return batch
    deadline = time.monotonic() + window_ms / 1000
    while len(batch) < size:
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms <= 0:
            break
        batch += queue.read(consumer, size - len(batch), left_ms)
    return batch


class Worker:
    """One scoring consumer; several may run on several machines against one stream."""

    def __init__(self, app: Flask, *, consumer: str | None = None) -> None:
        self.app = app
        self.consumer = consumer or consumer_name()
        self.stopping = False
        self._last_sweep = 0.0
        self._last_reclaim = 0.0
        self._group_ready = False
        # The loop's batch that is scored but not yet routed, and the model's own thread.
        self._scored: tuple[list[tuple[str, int]], PreparedBatch] | None = None
        self._model_thread: ThreadPoolExecutor | None = None

    @property
    def queue(self) -> StreamQueue:
        """Return the app's stream queue (the worker needs Redis)."""
        queue = self.app.extensions.get("moderation.queue")
        if queue is None:
            raise ConfigError("the scoring worker needs MODERATION_REDIS_URL")
        return queue

    def stop(self, *_args) -> None:
        """Finish the current batch, then leave the loop."""
        self.stopping = True

    def handle(self, batch: list[tuple[str, int]]) -> None:
        """Route a batch and acknowledge it only after the routing committed."""
        if not batch:
            return
        with self.app.app_context():
            try:
                result = apply_batch([comment_id for _, comment_id in batch])
            finally:
                db.session.remove()
        observe_batch(len(batch), result)
        self.queue.ack([entry for entry, _ in batch])

    def maintain(self) -> None:
        """Reclaim entries of dead consumers and sweep overdue comments, now and then."""
        config = self.app.config
        now = time.monotonic()
        idle_ms = config["QUEUE_CLAIM_IDLE_MS"]
        if now - self._last_reclaim >= idle_ms / 2000:
            self._last_reclaim = now
            while not self.stopping:
                claimed = self.queue.reclaim(self.consumer, idle_ms, config["QUEUE_BATCH_SIZE"])
                if not claimed:
                    break
                log.info("reclaimed %d entries from stalled consumers", len(claimed))
                self.handle(claimed)
        if now - self._last_sweep >= config["QUEUE_SWEEP_SECONDS"]:
            self._last_sweep = now
            self.sweep()

    def sweep(self) -> None:
        """Send overdue comments to review, then score those whose queue entry went missing.

        An entry is lost when Redis failed at enqueue time; routing is idempotent, so
        scoring a comment that is also still queued does no harm.
        """
        size = self.app.config["QUEUE_BATCH_SIZE"]
        with self.app.app_context():
            try:
                swept = sweep_overdue()
                if swept:
                    log.warning("sent %d overdue comments to review (scorer_unavailable)", swept)
                stale = stale_awaiting()
                for start in range(0, len(stale), size):
                    apply_batch(stale[start : start + size])
                if stale:
                    log.warning("scored %d comments whose queue entry was missing", len(stale))
            finally:
                db.session.remove()

    def run_once(self) -> int:
        """Do one round: maintenance, then one micro-batch; return the batch size."""
        self._ensure_group()
        self.maintain()
        batch = self._collect(idle_block_ms=500)
        self.handle(batch)
        return len(batch)

    def run_overlapped(self) -> int:
        """Do one round of the loop: score a batch while the previous one is routed.

        The model releases the interpreter while it computes, so the previous batch's
        routing, commit and acknowledgement run on the other core meanwhile. With nothing
        more queued, the scored batch is routed at once: overlap never delays a decision.
        """
        self._ensure_group()
        self.maintain()
        batch = self._collect(idle_block_ms=1 if self._scored else 500)
        if not batch:
            self.finish_scored()
            return 0
        with self.app.app_context():
            try:
                prepared = prepare_batch([comment_id for _, comment_id in batch])
            finally:
                db.session.remove()
        if self._model_thread is None:
            self._model_thread = ThreadPoolExecutor(1, thread_name_prefix="scoring-model")
        scoring = self._model_thread.submit(self._score, prepared)
        try:
            self.finish_scored()
        finally:
            scoring.result()
        self._scored = (batch, prepared)
        return len(batch)

    def finish_scored(self) -> None:
        """Route, commit and acknowledge the batch the model has scored, if any."""
        if self._scored is None:
            return
        # Forgotten first: if routing fails, its entries stay pending and are reclaimed.
        (batch, prepared), self._scored = self._scored, None
        with self.app.app_context():
            try:
                result = route_batch(prepared)
            finally:
                db.session.remove()
        observe_batch(len(batch), result)
        self.queue.ack([entry for entry, _ in batch])

    def _score(self, prepared: PreparedBatch) -> None:
        with self.app.app_context():
            score_batch(prepared)

    def _collect(self, *, idle_block_ms: int) -> list[tuple[str, int]]:
        config = self.app.config
        return collect_batch(self.queue, self.consumer, config["QUEUE_BATCH_SIZE"],
                             config["QUEUE_BATCH_MS"], idle_block_ms=idle_block_ms)

    def _ensure_group(self) -> None:
        if not self._group_ready:
            # Created from the stream's start: ids queued before any worker ran are kept.
            self.queue.ensure_group()
            self._group_ready = True

    def install_signals(self) -> dict:
        """Stop after the current batch on SIGTERM or SIGINT; return the old handlers."""
        return {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}

    @staticmethod
    def restore_signals(previous: dict) -> None:
        """Put back the handlers install_signals replaced."""
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    def run(self, *, max_batches: int | None = None, max_seconds: float | None = None) -> None:
        """Loop until stopped, or the given bounds, surviving Redis and database outages."""
        started, batches = time.monotonic(), 0
        log.info("scoring worker %s reading %s", self.consumer, self.queue.stream)
        while not self.stopping:
            if max_batches is not None and batches >= max_batches:
                break
            if max_seconds is not None and time.monotonic() - started >= max_seconds:
                break
            try:
                batches += bool(self.run_overlapped())
            except (redis.RedisError, OperationalError) as exc:
                # Unacknowledged entries stay in the group; this or another worker retries.
                log.warning("worker round failed, retrying: %s", exc)
                time.sleep(1.0)
                # Redis may come back empty (restarted without data): make the group again.
                self._group_ready = False
            except Exception:
                # A bug must not stop scoring for everyone; the entry stays pending and
                # the deadline sweeper sends its comment to review if it keeps failing.
                log.exception("worker round failed")
                time.sleep(1.0)
        self._stop_overlap()

    def _stop_overlap(self) -> None:
        """Route what is scored before leaving; on failure its entries stay pending."""
        try:
            self.finish_scored()
        except Exception:  # noqa: BLE001 (leaving anyway; its entries stay pending)
            log.exception("could not route the last scored batch; it will be reclaimed")
        finally:
            if self._model_thread is not None:
                self._model_thread.shutdown()
                self._model_thread = None


__all__ = ["ScoringQueue", "Worker", "collect_batch"]
