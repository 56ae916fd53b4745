"""Inline micro-batching: comments posted at the same moment share one model call.

A transformer scores eight texts in little more time than one, but inline scoring
gets one text per request. This wrapper collects the texts of concurrent requests in
a process for a few milliseconds and scores them together.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class _Job:
    texts: list[str]
    done: threading.Event = field(default_factory=threading.Event)
    result: list[dict[str, float]] | None = None
    error: BaseException | None = None


class MicroBatcher:
    """A Scorer that batches concurrent callers' texts into one call of the inner scorer."""

    def __init__(self, inner, *, window_ms: float, max_texts: int = 32) -> None:
        self.inner = inner
        self.window = window_ms / 1000
        self.max_texts = max_texts
        self._jobs: list[_Job] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def languages(self) -> frozenset[str]:
        return self.inner.languages

    @property
    def loaded(self) -> bool:
        return getattr(self.inner, "loaded", False)

    def _ensure_thread(self) -> None:
        """Start the batching thread in this process (again after a fork)."""
        import os

        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._loop, name="scorer-batcher",
                                            daemon=True)
            self._thread.start()

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        """Score texts together with whatever other callers sent in the same window."""
        if not texts:
            return []
        job = _Job(list(texts))
        with self._cond:
            self._ensure_thread()
            self._jobs.append(job)
            self._cond.notify()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def _take(self) -> list[_Job]:
        """Wait for a first job, then for the window or a full batch; return the jobs."""
        with self._cond:
            while not self._jobs:
                self._cond.wait()
            deadline = time.monotonic() + self.window
            while sum(len(j.texts) for j in self._jobs) < self.max_texts:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            taken, size = [], 0
            while self._jobs and (not taken or size + len(self._jobs[0].texts) <= self.max_texts):
                job = self._jobs.pop(0)
                taken.append(job)
                size += len(job.texts)
            return taken

    def _loop(self) -> None:
        """Score batches for ever; errors go back to the callers of that batch."""
        while True:
            jobs = self._take()
            texts = [t for job in jobs for t in job.texts]
            try:
                started = time.perf_counter()
                results = self.inner.score(texts)
                _observe(len(texts), time.perf_counter() - started)
                start = 0
                for job in jobs:
                    job.result = results[start : start + len(job.texts)]
                    start += len(job.texts)
            except BaseException as exc:  # handed to each caller, who decides
                for job in jobs:
                    job.error = exc
            for job in jobs:
                job.done.set()


def _observe(size: int, seconds: float) -> None:
    """Report the call to the metrics, if the operations package is there."""
    try:
        from moderation.ops.metrics import observe_inline
    except ImportError:  # the scorer is also used outside the web service (CLI, training)
        return
    observe_inline(size, seconds)


def batched(scorer, settings: dict):
    """Wrap the scorer in a MicroBatcher when SCORER_BATCH_MS is above zero."""
    window = float(settings.get("SCORER_BATCH_MS") or 0)
    if window <= 0:
        return scorer
    return MicroBatcher(scorer, window_ms=window,
                        max_texts=int(settings.get("SCORER_BATCH_MAX") or 32))
