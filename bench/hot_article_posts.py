"""Posts to one article from many threads at once, without the model: what the article's
counter costs when every post wants it.

    PYTHONPATH=. python bench/hot_article_posts.py --database-url postgresql://... \
        --redis redis://127.0.0.1:6379/3 [--threads 16] [--posts 400]

Queue mode (Redis) keeps the model out, so the figures are the accept path and the
database: the requests per second and the p50/p99 latency of the posts, in one process
through the WSGI app. The PostgreSQL database given is emptied.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.profile_wsgi import build_app  # noqa: E402

URL = "/api/v1/sites/bench/articles/hot-article/comments"


def main() -> None:
    """Post from many threads to one article and print the rate and latencies."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--posts", type=int, default=400)
    args = parser.parse_args()
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="hot-metrics-"))
    app = build_app(args.database_url, args.redis)
    app.config.update(SCORING="queue", COMMENT_RATE_LIMIT_CLIENT="10000000/minute",
                      COMMENT_RATE_LIMIT_SITE="10000000/minute")
    body = {"author_name": "Bench", "body": "A reasonable comment on the budget plans."}
    app.test_client().post(URL, json=body)  # creates the article
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = args.posts // args.threads

    def post_many() -> None:
        client = app.test_client()
        for _ in range(per_thread):
            started = time.perf_counter()
            response = client.post(URL, json=body)
            elapsed = time.perf_counter() - started
            assert response.status_code == 202, response.get_json()
            with lock:
                latencies.append(elapsed)

    workers = [threading.Thread(target=post_many) for _ in range(args.threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    latencies.sort()
    print(json.dumps({
        "posts": len(latencies), "threads": args.threads,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
    }))


if __name__ == "__main__":
    main()
