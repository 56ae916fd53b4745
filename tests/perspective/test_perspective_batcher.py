"""The micro-batcher: concurrent callers share model calls and each gets its own rows."""

from __future__ import annotations

import threading
import time

import pytest

from moderation.scoring.base import ScorerUnavailable
from moderation.scoring.batcher import MicroBatcher, batcher_for
from tests.live_server import serve
from tests.perspective.conftest import ANALYZE


class LengthScorer:
    """Scores a text by its length, recording each call's batch (a deterministic model)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[list[str]] = []
        self.delay = delay

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        self.calls.append(list(texts))
        time.sleep(self.delay)
        return [{"toxicity": len(text) / 1000} for text in texts]


def run_together(count: int, work) -> list:
    """Run work(i) in count threads released at once; return results in index order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # the test inspects what each caller saw
            results[i] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_each_caller_gets_its_own_rows_in_its_order():
    batcher = MicroBatcher(LengthScorer().score)
    texts = ["a" * 30, "b", "c" * 7]
    assert batcher.submit(texts) == [{"toxicity": 0.03}, {"toxicity": 0.001}, {"toxicity": 0.007}]


def test_concurrent_callers_share_model_calls():
    model = LengthScorer(delay=0.02)
    batcher = MicroBatcher(model.score, max_texts=64, max_wait=0.05)
    results = run_together(16, lambda i: batcher.submit(["x" * (i + 1)], timeout=10))
    assert results == [[{"toxicity": (i + 1) / 1000}] for i in range(16)]
    assert len(model.calls) < 16
    assert sorted(len(t) for call in model.calls for t in call) == list(range(1, 17))


def test_batches_stop_at_max_texts():
    model = LengthScorer(delay=0.02)
    batcher = MicroBatcher(model.score, max_texts=4, max_wait=0.05)
    run_together(12, lambda i: batcher.submit(["t"], timeout=10))
    assert sum(len(call) for call in model.calls) == 12
    assert max(len(call) for call in model.calls) <= 4


def test_model_failure_reaches_every_waiting_caller():
    def broken(texts):
        time.sleep(0.01)
        raise RuntimeError("model crashed")

    batcher = MicroBatcher(broken, max_wait=0.05)
    results = run_together(4, lambda i: batcher.submit(["t"], timeout=10))
    assert all(isinstance(r, ScorerUnavailable) for r in results)
    assert all("model crashed" in str(r) for r in results)


def test_malformed_answer_is_unavailable():
    batcher = MicroBatcher(lambda texts: [{"toxicity": 0.1}])
    with pytest.raises(ScorerUnavailable, match="malformed"):
        batcher.submit(["one", "two"])


def test_slow_model_times_out_and_batcher_keeps_working():
    model = LengthScorer(delay=0.3)
    batcher = MicroBatcher(model.score, max_wait=0)
    with pytest.raises(ScorerUnavailable, match="no answer"):
        batcher.submit(["slow"], timeout=0.05)
    model.delay = 0
    assert batcher.submit(["ok"], timeout=5) == [{"toxicity": 0.002}]


def test_concurrent_analyze_requests_share_the_real_model(app_factory, site, make_key):
    import json
    import urllib.request

    app = app_factory(SCORER_BATCH_WAIT_MS=50.0)
    key = make_key(app, site)
    with app.app_context():
        from moderation.extensions import scorer

        batcher = batcher_for(scorer.get(), max_wait=0.05)
    before = batcher.batches

    def post(i: int) -> float:
        body = json.dumps({"comment": {"text": "nice game " * (i + 1)}, "languages": ["en"],
                           "requestedAttributes": {"TOXICITY": {}}}).encode()
        request = urllib.request.Request(f"{base}{ANALYZE}?key={key}", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)["attributeScores"]["TOXICITY"]["summaryScore"]["value"]

    with serve(app) as base:
        values = run_together(8, post)
    assert all(isinstance(v, float) for v in values), values
    assert batcher.batches - before < 8


def test_long_text_is_not_padded_together_with_short_ones():
    model = LengthScorer()
    batcher = MicroBatcher(model.score)
    texts = ["short one", "x" * 900, "short two", "tiny"]
    assert batcher.submit(texts) == [{"toxicity": len(t) / 1000} for t in texts]
    assert ["x" * 900] in model.calls
    assert all(len(call) == 1 or max(map(len, call)) < 100 for call in model.calls)
