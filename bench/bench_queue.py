"""Time one review-queue page with 100,000 comments in the database.

    PYTHONPATH=. python bench/bench_queue.py                 # SQLite in a temporary folder
    PYTHONPATH=. python bench/bench_queue.py --database-url postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
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
from moderation.models import (
    ActorType,
    Article,
    Comment,
    CommentStatus,
    ModerationEvent,
    Moderator,
    Role,
    Site,
)
from moderation.models.types import utcnow
from moderation.scoring.base import LABELS
from moderation.services.queue import list_queue, tab_counts

STATUSES = ([CommentStatus.published] * 7 + [CommentStatus.pending_review] * 2
            + [CommentStatus.rejected])


def populate(total: int, seed: int = 7) -> None:
    """Insert sites, articles, comments and their creation events in bulk."""
    rng = random.Random(seed)
    db.session.execute(insert(Site), [{"key": f"site{i}", "name": f"Site {i}",
                                       "allowed_origins": [], "thresholds": {}}
                                      for i in (1, 2)])
    moderator = Moderator(email="bench@example.org", role=Role.moderator)
    moderator.set_password("bench password")
    db.session.add(moderator)
    db.session.flush()
    db.session.execute(insert(Article), [
        {"site_id": 1 + i % 2, "external_id": f"a-{i}", "title": f"Article {i}",
         "url": f"https://news.example/a-{i}"} for i in range(200)])
    start = utcnow() - timedelta(days=30)
    batch = 5000
    for offset in range(0, total, batch):
        comments, events = [], []
        for n in range(offset, min(offset + batch, total)):
            scores = {label: round(rng.random() ** 3, 4) for label in LABELS}
            if n % 50 == 0:
                scores = None
            author = rng.randrange(5000)
            status = rng.choice(STATUSES)
            created = start + timedelta(seconds=n * 25)
            comments.append({
                "id": n + 1, "article_id": 1 + n % 200, "author_name": f"Reader {author}",
                "email_hash": f"{author:064x}", "client_hash": f"{author % 900:064x}",
                "body": "A reader's comment about the article. " * 4, "status": status,
                "reason": "threshold", "scores": scores,
                "max_score": max(scores.values()) if scores else None,
                "created_at": created, "updated_at": created, "version": 1,
            })
            events.append({"comment_id": n + 1, "actor_type": ActorType.system,
                           "from_status": None, "to_status": status, "reason": "threshold",
                           "created_at": created})
            if n % 10 == 0:
                # A tenth of comments also carry a moderator's decision, for authors' histories.
                events.append({"comment_id": n + 1, "actor_type": ActorType.moderator,
                               "moderator_id": 1, "from_status": CommentStatus.pending_review,
                               "to_status": status, "reason": "approved",
                               "created_at": created + timedelta(minutes=5)})
        db.session.execute(insert(Comment), comments)
        db.session.execute(insert(ModerationEvent), events)
    db.session.commit()


def timed(call, repeats: int) -> tuple[float, float]:
    """Return the median and max milliseconds of a call, after one warm-up."""
    call()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        db.session.expire_all()
    return statistics.median(samples), max(samples)


def deep_cursor(sort: str, pages: int) -> str | None:
    """Return the cursor of the page after `pages` pages."""
    cursor = None
    for _ in range(pages):
        cursor = list_queue("pending", {}, sort=sort, cursor=cursor, limit=25).next_cursor
    return cursor


def main() -> None:
    """Build the database, then time the queue's pages and counts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-queue-")
    url = options.database_url or "sqlite:///" + os.path.join(folder, "bench.sqlite")
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "INSTANCE_PATH": folder})
    with app.app_context():
        if options.database_url:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        started = time.perf_counter()
        populate(options.comments)
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does on a live database: statistics and the visibility map.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        print(f"{db.engine.dialect.name}: {options.comments} comments inserted in "
              f"{time.perf_counter() - started:.1f} s")
        deep_age, deep_risk = deep_cursor("age", 200), deep_cursor("risk", 200)
        cases = {
            "pending, oldest first, page 1": lambda: list_queue("pending", {}, limit=25),
            "pending, highest risk, page 1": lambda: list_queue("pending", {}, sort="risk",
                                                                limit=25),
            "pending, oldest first, page 201": lambda: list_queue("pending", {},
                                                                  cursor=deep_age, limit=25),
            "pending, highest risk, page 201": lambda: list_queue(
                "pending", {}, sort="risk", cursor=deep_risk, limit=25),
            "pending, site filter, page 1": lambda: list_queue("pending", {"site": "site2"},
                                                               limit=25),
            "all tabs' counts": lambda: tab_counts({}),
        }
        print("| case | median ms | max ms |\n|---|---|---|")
        for name, call in cases.items():
            median, worst = timed(call, options.repeats)
            print(f"| {name} | {median:.1f} | {worst:.1f} |")
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
