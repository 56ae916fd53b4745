"""Inline micro-batching: concurrent callers share model calls and each gets its own
answers; a failure reaches every caller of that batch; posting still routes normally."""

from __future__ import annotations

import threading
import time

import pytest

from moderation.scoring.microbatch import MicroBatcher, batched


class Recording:
    """A scorer that records each call's size and scores a text by its number."""

    model_id, languages = "recording", frozenset({"en"})

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[int] = []
        self.fail = fail

    def score(self, texts):
        self.calls.append(len(texts))
        time.sleep(0.02)
        if self.fail:
            raise RuntimeError("model crashed")
        return [{"toxicity": float(text) / 100} for text in texts]


def call_concurrently(scorer, count: int) -> dict:
    results, errors = {}, {}
    barrier = threading.Barrier(count)

    def one(n):
        barrier.wait()
        try:
            results[n] = scorer.score([str(n), str(n + 50)])
        except RuntimeError as exc:
            errors[n] = exc

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return {"results": results, "errors": errors}


def test_concurrent_callers_share_calls_and_get_their_own_scores():
    inner = Recording()
    outcome = call_concurrently(MicroBatcher(inner, window_ms=30, max_texts=64), 8)
    assert len(inner.calls) < 8 and sum(inner.calls) == 16
    for n, scores in outcome["results"].items():
        assert scores == [{"toxicity": n / 100}, {"toxicity": (n + 50) / 100}]


def test_batch_never_exceeds_its_maximum():
    inner = Recording()
    call_concurrently(MicroBatcher(inner, window_ms=30, max_texts=4), 8)
    assert max(inner.calls) <= 4 and sum(inner.calls) == 16


def test_failure_reaches_every_caller_of_the_batch():
    outcome = call_concurrently(MicroBatcher(Recording(fail=True), window_ms=30), 4)
    assert outcome["results"] == {} and len(outcome["errors"]) == 4


def test_zero_window_leaves_the_scorer_unwrapped():
    inner = Recording()
    assert batched(inner, {"SCORER_BATCH_MS": 0}) is inner
    assert isinstance(batched(inner, {"SCORER_BATCH_MS": 5}), MicroBatcher)


@pytest.mark.parametrize("window", [0, 5])
def test_posting_routes_the_same_with_or_without_batching(app_factory, site, window):
    app = app_factory(model="abusive", SCORER_BATCH_MS=window)
    response = app.test_client().post("/api/v1/sites/news/articles/a-1/comments",
                                      json={"author_name": "Ann", "body": "You idiot."})
    assert response.status_code == 201
    assert response.get_json()["state"] == "rejected"
