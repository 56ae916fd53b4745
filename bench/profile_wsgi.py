"""CPU per request of the public read paths inside one process, without gunicorn or wrk.

    PYTHONPATH=. python bench/profile_wsgi.py [--requests 2000] [--profile counts] \
        [--database-url postgresql://...] [--redis redis://127.0.0.1:6379/3] [--no-mirror]

Builds the schema by migration in a scratch database (a temporary SQLite file unless a
URL is given; a PostgreSQL database given here is emptied), seeds the benchmark's data
(a 50-comment thread and 100 one-comment articles) and calls the WSGI app directly, so the
figures are the app's own CPU per request: routing, hooks, views, JSON, first without and
then with the front cache (moderation/readers/front.py) replaying kept answers. A loaded machine
stretches wall time but barely process time, so this compares before and after on a
shared machine. --profile prints the top of a cProfile of that scenario.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.test import EnvironBuilder  # noqa: E402

THREAD = "thread-50"
ARTICLES = [f"article-{i}" for i in range(100)]


def build_app(database_url: str, redis_url: str | None, front: bool = True,
              mirror: bool = True):
    """Return a production-configured app on a freshly migrated, seeded database."""

    from moderation import create_app
    from moderation.extensions import db
    from moderation.models import Comment, CommentStatus
    from moderation.sites.create import create_site
    from moderation.sites.lookup import get_or_create_article

    settings = {"ENV_NAME": "production", "SECRET_KEY": "bench-only",
                "DATABASE_URL": database_url, "ACCESS_LOG": False,
                "INSTANCE_PATH": tempfile.mkdtemp(prefix="profile-wsgi-"), "FRONT_CACHE": front,
                "GENERATION_MIRROR": mirror}
    if redis_url:
        settings.update(REDIS_URL=redis_url, QUEUE_PREFIX=f"profile-{int(time.time())}")
    app = create_app(settings)
    with app.app_context():
        rebuild_schema(database_url)
        site = create_site("bench", name="Bench")
        for key, n in [(THREAD, 50)] + [(key, 1) for key in ARTICLES]:
            article = get_or_create_article(site, key, title=key)
            db.session.flush()
            for i in range(n):
                db.session.add(Comment(article_id=article.id, author_name="Seed",
                                       client_hash="seed", status=CommentStatus.published,
                                       body=f"Comment {i} on the thread, with a few words.",
                                       reason="threshold"))
            article.published_count = n
        db.session.commit()
    return app


def rebuild_schema(database_url: str) -> None:
    """Build the schema by migration in the app's database, emptying PostgreSQL's first."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from moderation.extensions import db

    if database_url.startswith("postgresql"):
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade()


def environ_of(scenario: str) -> dict:
    """Return the WSGI environ of one request of a scenario, as wrk sends it."""
    if scenario == "thread":
        builder = EnvironBuilder(path=f"/api/v1/sites/bench/articles/{THREAD}/comments")
    elif scenario == "counts":
        builder = EnvironBuilder(path="/api/v1/sites/bench/counts", method="POST",
                                 data=json.dumps({"articles": ARTICLES}),
                                 content_type="application/json")
    else:  # counts_get: the cacheable form embeds use
        query = "&".join(f"article={key}" for key in ARTICLES)
        builder = EnvironBuilder(path="/api/v1/sites/bench/counts", query_string=query)
    environ = builder.get_environ()
    environ["HTTP_ORIGIN"] = "https://news.example"
    return environ


def call(app, environ: dict) -> int:
    """Run one request through the WSGI app and return its status code."""
    environ = dict(environ)
    body = environ["wsgi.input"].getvalue() if hasattr(environ["wsgi.input"], "getvalue") else b""
    environ["wsgi.input"] = io.BytesIO(body)
    status = []
    result = app(environ, lambda s, h, e=None: status.append(s))
    b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return int(status[0].split()[0])


def measure(app, scenario: str, requests: int) -> float:
    """Return the CPU milliseconds per request of a scenario after a warm-up."""
    environ = environ_of(scenario)
    for _ in range(50):
        assert call(app, environ) == 200, scenario
    started = time.process_time()
    for _ in range(requests):
        call(app, environ)
    return 1000 * (time.process_time() - started) / requests


def main() -> None:
    """Print the CPU per request of each scenario, and a profile when asked."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis", default=None)
    parser.add_argument("--profile", default=None, choices=["thread", "counts", "counts_get"])
    parser.add_argument("--no-mirror", action="store_true",
                        help="read generations from Redis on every check (with --redis)")
    args = parser.parse_args()
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="profile-metrics-"))
    report = {}
    # Without, then with, the front cache, each on a freshly seeded database.
    for front in (False, True):
        url = (args.database_url
               or "sqlite:///" + tempfile.mkdtemp(prefix="profile-db-") + "/b.sqlite")
        app = build_app(url, args.redis, front, mirror=not args.no_mirror)
        report["front cache" if front else "through Flask"] = {
            scenario: round(measure(app, scenario, args.requests), 3)
            for scenario in ("thread", "counts", "counts_get")}
    print(json.dumps({"cpu_ms_per_request": report, "requests": args.requests}))
    if args.profile:
        environ = environ_of(args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            call(app, environ)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
