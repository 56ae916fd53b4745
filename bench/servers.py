"""Start the two services under gunicorn for benchmarks: Isso 0.14 (its own virtual
environment, never a project dependency) and ours, each seeded with the same data."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREAD = "thread-50"
ARTICLES = [f"article-{i}" for i in range(100)]


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, seconds: float = 120) -> None:
    """Wait until the URL answers at all (any status)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def post_json(url: str, body) -> int:
    """POST JSON and return the status."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextmanager
def gunicorn(args: list[str], env: dict, cwd: Path, log: Path):
    """Run gunicorn until the block ends; yield its process."""
    with open(log, "ab") as handle:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=handle, stderr=handle,
                                   start_new_session=True)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@contextmanager
def isso(venv: Path, workdir: Path):
    """Run Isso with 2 gunicorn workers on SQLite, guard and moderation off; seed it."""
    port = free_port()
    db = workdir / "isso.sqlite"
    db.unlink(missing_ok=True)
    config = workdir / "isso.cfg"
    config.write_text(
        f"[general]\ndbpath = {db}\nhost = http://127.0.0.1:{port}/\n"
        "[moderation]\nenabled = false\n[guard]\nenabled = false\n"
        f"[server]\nlisten = http://127.0.0.1:{port}/\n"
    )
    env = dict(os.environ, ISSO_SETTINGS=str(config))
    args = [str(venv / "bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "isso.run"]
    base = f"http://127.0.0.1:{port}"
    with gunicorn(args, env, workdir, workdir / "isso.log") as process:
        wait_up(base + "/info")
        for i in range(50):
            assert post_json(f"{base}/new?uri=/{THREAD}",
                             {"text": f"Comment {i} on the thread.", "author": "Seed",
                              "title": "Thread"}) == 201
        for uri in ARTICLES:
            assert post_json(f"{base}/new?uri=/{uri}",
                             {"text": "First!", "author": "Seed", "title": uri}) == 201
        yield {
            "base": base,
            "pid": process.pid,
            "thread": f"/?uri=/{THREAD}",
            "counts": ("/count", json.dumps([f"/{uri}" for uri in ARTICLES])),
            "post": ("/new?uri=/post-target",
                     json.dumps({"text": "A reasonable comment on the budget plans.",
                                 "author": "Bench", "title": "Post target"})),
            "post_spread": ("/new?uri=/spread-{n}",
                            json.dumps({"text": "A reasonable comment on the budget plans.",
                                        "author": "Bench", "title": "Spread"})),
        }


def ours_env(database_url: str, workdir: Path, model: tuple[Path, Path] | None,
             **extra) -> dict:
    """Return the environment of our service for a benchmark run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    env.update({
        "MODERATION_ENV": "production",
        "MODERATION_SECRET_KEY": "bench-only",
        "MODERATION_DATABASE_URL": database_url,
        "MODERATION_INSTANCE_PATH": str(workdir / "instance"),
        "MODERATION_MODEL": "bundled",
        # One torch thread per worker process: two processes share two cores.
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        # The load comes from one address; the limits are not what is measured.
        "MODERATION_COMMENT_RATE_LIMIT_CLIENT": "10000000/minute",
        "MODERATION_COMMENT_RATE_LIMIT_SITE": "10000000/minute",
        "MODERATION_ACCESS_LOG": "0",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONPATH": str(ROOT),
    })
    # The one setting a comparison run may carry over: which runtime serves the model.
    if os.environ.get("MODERATION_MODEL_RUNTIME"):
        env["MODERATION_MODEL_RUNTIME"] = os.environ["MODERATION_MODEL_RUNTIME"]
    if model is not None:  # a stand-in checkpoint instead of the bundled model
        env.update({"MODERATION_MODEL": "checkpoint",
                    "MODERATION_MODEL_CHECKPOINT": str(model[0]),
                    "MODERATION_MODEL_CONFIG_DIR": str(model[1])})
    env.update({k: str(v) for k, v in extra.items()})
    return env


SEED = """
from moderation import create_app
from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus
from moderation.sites.create import create_site
from moderation.sites.lookup import get_or_create_article
import sys
app = create_app()
with app.app_context():
    site = create_site("bench", name="Bench")
    def fill(key, n):
        article = get_or_create_article(site, key, url=None, title=key)
        db.session.flush()
        for i in range(n):
            db.session.add(Comment(article_id=article.id, author_name="Seed", client_hash="seed",
                                   body=f"Comment {i} on the thread, with a few words.",
                                   status=CommentStatus.published, reason="threshold"))
        article.published_count = n
    fill(sys.argv[1], 50)
    for key in sys.argv[2:]:
        fill(key, 1)
    db.session.commit()
"""


def prepare_ours(env: dict) -> None:
    """Build the schema by migration and seed the same data Isso gets."""
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 600}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], **run)
    subprocess.run([sys.executable, "-c", SEED, THREAD, *ARTICLES], **run)


def wait_warm(log: Path, offset: int, workers: int, seconds: float = 300) -> None:
    """Wait until every worker has logged the end of its warm start."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open(log, "rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", "replace")
        if text.count("before serving") + text.count("loads on first use") >= workers:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the workers did not finish their warm start in {seconds:.0f} s")


@contextmanager
def ours(env: dict, workdir: Path, *, workers: int = 2, threads: int | None = None):
    """Run our service under gunicorn with the project config (2 workers); yield targets."""
    port = free_port()
    # info: each worker logs when its warm start is done (config/gunicorn.conf.py); there
    # is no access log to slow the run.
    env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers),
               GUNICORN_LOG_LEVEL="info")
    if threads is not None:  # otherwise config/gunicorn.conf.py's default
        env["GUNICORN_THREADS"] = str(threads)
    args = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config/gunicorn.conf.py"),
            "wsgi:app"]
    base = f"http://127.0.0.1:{port}"
    log = workdir / "ours.log"
    started = log.stat().st_size if log.exists() else 0
    with gunicorn(args, env, ROOT, log) as process:
        wait_up(base + "/healthz")
        # /healthz answers as soon as one worker serves; a worker still loading the model
        # takes no connections, so measuring now would measure one worker.
        wait_warm(log, started, workers)
        # A few posts first, so the first measured ones do not pay for first-use work.
        for _ in range(8):
            post_json(f"{base}/api/v1/sites/bench/articles/warm-up/comments",
                      {"author_name": "Warm", "body": "Warming the model up."})
        yield {
            "base": base,
            "pid": process.pid,
            "thread": f"/api/v1/sites/bench/articles/{THREAD}/comments",
            "counts": ("/api/v1/sites/bench/counts", json.dumps({"articles": ARTICLES})),
            "post": ("/api/v1/sites/bench/articles/post-target/comments",
                     json.dumps({"author_name": "Bench",
                                 "body": "A reasonable comment on the budget plans."})),
            "post_spread": ("/api/v1/sites/bench/articles/spread-{n}/comments",
                            json.dumps({"author_name": "Bench",
                                        "body": "A reasonable comment on the budget plans."})),
        }
