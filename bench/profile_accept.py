"""CPU per queue-mode accept (or inline-scored post) inside one process, without gunicorn or wrk.

    PYTHONPATH=. python bench/profile_accept.py \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test_prod \
        --redis redis://127.0.0.1:6379/3 [--posts 1000] [--spread] [--profile]
    OMP_NUM_THREADS=1 HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/profile_accept.py \
        --database-url sqlite:////tmp/profile-inline.sqlite --inline --posts 500

With --inline the bundled model scores each post in the request (one at a time: the
figure is a post's CPU with the model, not the batched rate), Redis is not needed, and a
SQLite file given is replaced.

Builds the schema by migration (a PostgreSQL database given here is emptied), creates the
site 'bench', and posts one comment body through the WSGI app directly with SCORING=queue:
to one article ("hot"), or with --spread to a new article each time. Prints the process's
CPU and the wall time per accepted post after 50 posts to warm up, and with --profile the
top of a cProfile. Run it from a worktree of another commit to compare before and after.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.test import EnvironBuilder  # noqa: E402

from bench.profile_wsgi import call, rebuild_schema  # noqa: E402

BODY = json.dumps({"author_name": "Bench", "body": "A reasonable comment on the budget plans."})


def build_app(database_url: str, redis_url: str | None, *, inline: bool = False):
    """Return a production-configured app (queue mode, or inline scoring) on a freshly
    migrated database."""
    from moderation import create_app
    from moderation.extensions import db
    from moderation.sites.create import create_site

    if database_url.startswith("sqlite:///"):
        Path(database_url[len("sqlite:///"):]).unlink(missing_ok=True)
    scoring = {"SCORING": "inline"} if inline else {
        "SCORING": "queue", "REDIS_URL": redis_url, "QUEUE_PREFIX": f"accept-{time.time():.0f}"}
    app = create_app({
        "ENV_NAME": "production", "SECRET_KEY": "bench-only", "DATABASE_URL": database_url,
        "ACCESS_LOG": False, "INSTANCE_PATH": tempfile.mkdtemp(prefix="profile-accept-"),
        **scoring,
        # One address posts everything; the limits are not what is measured.
        "COMMENT_RATE_LIMIT_CLIENT": "10000000/minute",
        "COMMENT_RATE_LIMIT_SITE": "10000000/minute",
    })
    with app.app_context():
        rebuild_schema(database_url)
        create_site("bench", name="Bench")
        db.session.commit()
    return app


def environ_of(article: str) -> dict:
    """Return the WSGI environ of one post to an article, as the service benchmark sends it."""
    environ = EnvironBuilder(path=f"/api/v1/sites/bench/articles/{article}/comments",
                             method="POST", data=BODY,
                             content_type="application/json").get_environ()
    environ["HTTP_ORIGIN"] = "https://news.example"
    environ["REMOTE_ADDR"] = "10.0.0.1"
    return environ


def main() -> None:
    """Print the CPU and wall milliseconds per accepted post, and a profile when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis", default=None, help="Redis URL (queue mode)")
    parser.add_argument("--inline", action="store_true", help="score each post in the request")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--spread", action="store_true", help="a new article for each post")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not (args.inline or args.redis):
        parser.error("queue mode needs --redis (or give --inline)")
    app = build_app(args.database_url, args.redis, inline=args.inline)
    expected = 201 if args.inline else 202
    environs = [environ_of(f"spread-{i}" if args.spread else "hot")
                for i in range(args.posts + 50)]
    for environ in environs[:50]:
        assert call(app, environ) == expected
    profile = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    statuses = {call(app, environ) for environ in environs[50:]}
    if profile:
        profile.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert statuses == {expected}, statuses
    print(json.dumps({"scenario": "spread" if args.spread else "hot", "posts": args.posts,
                      "cpu_ms_per_post": round(1000 * cpu / args.posts, 3),
                      "wall_ms_per_post": round(1000 * wall / args.posts, 3)}))
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())


if __name__ == "__main__":
    main()
