"""A micro-batcher: texts from concurrent requests are scored together in one model call.

A transformer scores 32 short texts in little more time than one, so under load
the requests a worker's threads receive together share a forward pass. One
daemon thread per process and scorer collects what is queued, waits at most a
few milliseconds for more, scores the lot, and hands each caller its rows.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future, InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout

from flask import current_app

from moderation.extensions import scorer
from moderation.scoring.base import LABELS, ScorerUnavailable

ScoreBatch = Callable[[list[str]], list[dict[str, float]]]


class MicroBatcher:
    """Collect concurrent callers' texts (up to max_texts, max_wait seconds), then score once."""

    def __init__(self, score_batch: ScoreBatch, *, max_texts: int = 64,
                 max_wait: float = 0.002) -> None:
        if max_texts < 1 or max_wait < 0:
            raise ValueError("max_texts must be at least 1 and max_wait not negative")
        self.score_batch = score_batch
        self.max_texts = max_texts
        self.max_wait = max_wait
        self.batches = 0  # model calls made; tests and benchmarks read it
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._queue: queue.SimpleQueue | None = None

    def submit(self, texts: Sequence[str],
               timeout: float | None = None) -> list[dict[str, float]]:
        """Score texts with whatever else is queued; ScorerUnavailable on failure or timeout."""
        if not texts:
            return []
        future: Future = Future()
        self._ensure_worker().put((list(texts), future))
        try:
            return future.result(timeout=timeout)
        except FutureTimeout as exc:
            # Not started yet: the worker skips it. Started: its rows are dropped.
            future.cancel()
            raise ScorerUnavailable(f"scorer gave no answer within {timeout}s") from exc
        except ScorerUnavailable:
            raise
        except Exception as exc:
            raise ScorerUnavailable(f"scorer failed: {exc}") from exc

    def _ensure_worker(self) -> queue.SimpleQueue:
        """Start the worker thread on first use, and again in a process forked after it."""
        pid = os.getpid()
        if self._pid == pid and self._queue is not None:
            return self._queue
        with self._lock:
            if self._pid != pid or self._queue is None:
                work: queue.SimpleQueue = queue.SimpleQueue()
                thread = threading.Thread(target=self._run, args=(work,), daemon=True,
                                          name="score-batcher")
                thread.start()
                self._queue, self._pid = work, pid
        return self._queue

    def _collect(self, work: queue.SimpleQueue) -> list[tuple[list[str], Future]]:
        """Block for one job, then take what else arrives within max_wait, up to max_texts."""
        jobs = [work.get()]
        count = len(jobs[0][0])
        deadline = time.monotonic() + self.max_wait
        while count < self.max_texts:
            remaining = deadline - time.monotonic()
            try:
                job = work.get(timeout=remaining) if remaining > 0 else work.get_nowait()
            except queue.Empty:
                break
            jobs.append(job)
            count += len(job[0])
        return jobs

    def _run(self, work: queue.SimpleQueue) -> None:
        """Score batches until the process ends."""
        while True:
            jobs = [(texts, future) for texts, future in self._collect(work)
                    if future.set_running_or_notify_cancel()]
            if jobs:
                self._score_jobs(jobs)

    def _score_jobs(self, jobs: list[tuple[list[str], Future]]) -> None:
        """Score every job's texts in one call and resolve each job's future."""
        texts = [text for job_texts, _ in jobs for text in job_texts]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        try:
            scored = []
            for group in length_groups([texts[i] for i in order]):
                rows = self.score_batch(group)
                if len(rows) != len(group) or any(set(row) - set(LABELS) for row in rows):
                    raise ScorerUnavailable("scorer returned a malformed answer")
                scored.extend(rows)
        except BaseException as exc:  # every waiting caller must hear of the failure
            for _, future in jobs:
                future.set_exception(exc)
            return
        finally:
            self.batches += 1
        results: list[dict[str, float]] = [{}] * len(texts)
        for position, index in enumerate(order):
            results[index] = scored[position]
        start = 0
        for job_texts, future in jobs:
            # A caller that timed out may have cancelled between the checks.
            with contextlib.suppress(CancelledError, InvalidStateError):
                future.set_result(results[start : start + len(job_texts)])
            start += len(job_texts)


def length_groups(texts: list[str], *, slack: float = 1.3, extra: int = 32,
                  size: int = 32) -> list[list[str]]:
    """Split texts sorted by length into model calls whose padding stays small.

    A batch is padded to its longest text, so one long comment among short ones
    would multiply the work; a group ends where a text is more than ``slack``
    times (plus ``extra`` characters) longer than the group's first.
    """
    groups: list[list[str]] = []
    for text in texts:
        if groups and len(groups[-1]) < size and len(text) <= len(groups[-1][0]) * slack + extra:
            groups[-1].append(text)
        else:
            groups.append([text])
    return groups


_batchers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_batchers_lock = threading.Lock()


def batcher_for(scorer, *, max_texts: int = 64, max_wait: float = 0.002) -> MicroBatcher:
    """Return the process's batcher for a scorer, created on first use, with these limits."""
    batcher = _batchers.get(scorer)
    if batcher is None:
        with _batchers_lock:
            batcher = _batchers.get(scorer)
            if batcher is None:
                batcher = MicroBatcher(scorer.score, max_texts=max_texts, max_wait=max_wait)
                _batchers[scorer] = batcher
    # The worker reads the limits on each batch; the latest settings apply.
    batcher.max_texts, batcher.max_wait = max_texts, max_wait
    return batcher


def score_texts(texts: Sequence[str], timeout: float | None = None) -> list[dict[str, float]]:
    """Score texts for the current app, batched with concurrent callers unless batching is off.

    A drop-in for ``scorer.score``: same answer, same ScorerUnavailable on failure.
    """
    config = current_app.config
    timeout = timeout if timeout is not None else config["SCORER_TIMEOUT_SECONDS"]
    if not config.get("SCORER_BATCHING", True):
        return scorer.score(list(texts), timeout=timeout)
    model = scorer.get()
    scorer.ensure_loaded(model)
    batcher = batcher_for(
        model,
        max_texts=int(config.get("SCORER_BATCH_MAX_TEXTS", 64)),
        max_wait=float(config.get("SCORER_BATCH_WAIT_MS", 2)) / 1000.0,
    )
    return batcher.submit(texts, timeout=timeout)
