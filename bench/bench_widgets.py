"""Time the reads behind the widgets: counts for 200 articles, most discussed, a thread page.

    PYTHONPATH=. python bench/bench_widgets.py                 # SQLite in a temporary folder
    PYTHONPATH=. python bench/bench_widgets.py --database-url postgresql://postgres@127.0.0.1/bench

Each request goes through the whole Flask stack (test client), without If-None-Match and with
the thread page cache off, so every run builds its answer; the database holds --comments
comments over 2,000 articles.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import insert, text

from moderation import create_app
from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, Site
from moderation.models.types import utcnow

ARTICLES = 2000
STATUSES = [CommentStatus.published] * 8 + [CommentStatus.pending_review, CommentStatus.rejected]


def populate(total: int, seed: int = 11) -> None:
    """Insert one site, its articles and comments spread over 30 days, in bulk."""
    rng = random.Random(seed)
    db.session.execute(insert(Site), [{"key": "news", "name": "News", "allowed_origins": [],
                                       "thresholds": {}}])
    db.session.execute(insert(Article), [
        {"site_id": 1, "external_id": f"a-{i}", "title": f"Article {i}",
         "url": f"https://news.example/a-{i}"} for i in range(ARTICLES)])
    start = utcnow() - timedelta(days=30)
    published = [0] * ARTICLES
    batch = 5000
    for offset in range(0, total, batch):
        rows = []
        for _n in range(offset, min(offset + batch, total)):
            # A few articles draw most comments, as on a real site.
            article = min(int(rng.paretovariate(1.2)) - 1, ARTICLES - 1)
            status = rng.choice(STATUSES)
            published[article] += status is CommentStatus.published
            rows.append({
                "article_id": article + 1, "author_name": "Reader", "client_hash": "x" * 64,
                "body": "A comment of ordinary length about the article. " * 3,
                "status": status, "reason": "threshold",
                "created_at": start + timedelta(seconds=rng.randrange(30 * 86400)),
                "like_count": rng.randrange(20),
            })
        db.session.execute(insert(Comment), rows)
    for index, count in enumerate(published):
        if count:
            db.session.execute(text("UPDATE articles SET published_count = :c WHERE id = :i"),
                               {"c": count, "i": index + 1})
    db.session.commit()


def timed(client, url: str, runs: int) -> tuple[float, float]:
    """Return the median and 95th percentile in milliseconds of GET url."""
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:200]
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    """Build the database, then time each read."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-widgets-")
    url = args.database_url or "sqlite:///" + os.path.join(folder, "bench.sqlite")
    # The thread page cache is off: this measures what a miss costs.
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "INSTANCE_PATH": folder,
                      "RATELIMIT_ENABLED": False, "THREAD_CACHE_SECONDS": 0})
    with app.app_context():
        if args.database_url:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        populate(args.comments)
    # One access-log line per request would swamp the results.
    logging.getLogger("moderation.access").disabled = True
    client = app.test_client()
    ids = ",".join(f"a-{i}" for i in range(0, ARTICLES, ARTICLES // 200))
    reads = {
        "counts, 200 articles (GET)": f"/api/v1/sites/news/counts?articles={ids}",
        "most discussed, 24 h, top 10": "/api/v1/sites/news/most-discussed?hours=24&limit=10",
        "most discussed, 7 days, top 10": "/api/v1/sites/news/most-discussed?hours=168&limit=10",
        "thread, busiest article, first page": "/api/v1/sites/news/articles/a-0/comments",
        "thread, busiest article, sort=top": "/api/v1/sites/news/articles/a-0/comments?sort=top",
    }
    print(f"{args.comments} comments, {ARTICLES} articles, {args.runs} runs each, "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}")
    for name, path in reads.items():
        median, p95 = timed(client, path, args.runs)
        print(f"{name:40s} median {median:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
