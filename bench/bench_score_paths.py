"""The `score` command's path and the queue worker's path against the model's own rate, in one run.

    HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/bench_score_paths.py \
        --data ../shared/data/toxicity --count 3000 --redis redis://127.0.0.1:6379/5 \
        --database postgresql://postgres@127.0.0.1:5432/bench_worker

Draws a mix of real comment lengths (news comments, tweets, Wikipedia and forum comments)
from the labelled English sets, then, in one process and on the same texts: scores them with
the bundled model directly (all at once: the scorer sorts by length and batches by 32, the
model's own batched rate); runs them through `scored_batches`, which the `score` command
streams (language detection, phrases, routing); and, with --redis, posts them in queue mode
and times one scoring worker draining the stream (database reads, scoring, routing, writes);
with --workers N, N `flask moderation worker` processes instead, as deployed (one per core,
each with --worker-threads model threads).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sample_texts(data_dir: Path, count: int, seed: int = 7) -> list[str]:
    """Return count comment texts drawn across the English sets, lengths as they come."""
    from moderation.training.datasets import load_all

    comments = [e.text for e in load_all(data_dir) if e.kind == "comment"
                and e.source != "synthetic" and e.text.strip()]
    return random.Random(seed).sample(comments, min(count, len(comments)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/toxicity"))
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--redis", default=None, help="Redis URL: also time the queue worker")
    parser.add_argument("--database", default=None,
                        help="database URL for the worker (its public schema is dropped and "
                             "rebuilt: give it one of its own); default a temporary SQLite")
    parser.add_argument("--workers", type=int, default=0,
                        help="drain with this many `flask moderation worker` processes instead "
                             "of one in this process (as deployed: one per core)")
    parser.add_argument("--worker-threads", type=int, default=1,
                        help="model threads of each worker process (MODERATION_MODEL_THREADS)")
    parser.add_argument("--model-runtime", choices=("auto", "torch", "onnx"), default="auto",
                        help="what runs the model, here and in the workers")
    args = parser.parse_args()
    texts = sample_texts(args.data, args.count)

    from moderation import create_app
    from moderation.extensions import db, scorer
    from moderation.policy.bulk import scored_batches

    figures: dict = {"comments": len(texts),
                     "mean_chars": round(sum(map(len, texts)) / len(texts), 1)}
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or f"sqlite:///{folder}/bench.sqlite"
        figures["database"] = database.split(":", 1)[0]
        settings = {"DATABASE_URL": database, "ENV_NAME": "testing",
                    "INSTANCE_PATH": str(Path(folder) / "instance"),
                    "MODEL_RUNTIME": args.model_runtime,
                    # The model as the workers and `score` run it: chosen for batches.
                    "MODEL_USE": "batches"}
        if args.redis:
            # Posting takes minutes on a busy machine: the deadline sweeper and the scorer's
            # timeout must not send comments to review while the worker drains, or the
            # figure would time the fault path, not scoring.
            settings.update(REDIS_URL=args.redis, SCORING="queue",
                            QUEUE_PREFIX=f"bench{int(time.time())}",
                            QUEUE_DEADLINE_SECONDS=86400, QUEUE_RESCUE_SECONDS=86400,
                            SCORER_TIMEOUT_SECONDS=600.0)
        app = create_app(settings)
        with app.app_context():
            model = scorer.get()
            model.score(texts[:64])  # load and warm up once, outside every timing
            figures["precision"] = getattr(model, "precision", None)
            figures["runtime"] = getattr(model, "runtime", None)

            model_seconds, model_cpu = [], []

            def time_model() -> None:
                began, cpu = time.perf_counter(), time.process_time()
                model.score(texts)
                model_seconds.append(time.perf_counter() - began)
                model_cpu.append(time.process_time() - cpu)

            # The model is timed before and after the paths, and the two averaged, so a
            # change in the machine's load during the run weighs on both sides alike.
            time_model()
            rows = [{"text": text} for text in texts]
            began = time.perf_counter()
            for _ in scored_batches(rows):
                pass
            figures["score_command_per_s"] = len(texts) / (time.perf_counter() - began)
            if args.redis and args.workers:
                figures["queue_workers"] = args.workers
                figures["queue_workers_per_s"] = drain_with_processes(
                    app, db, texts, settings, args.workers, args.worker_threads)
            elif args.redis:
                (figures["queue_worker_per_s"], figures["queue_worker_per_cpu_s"],
                 figures["queue_worker_model_share"]) = drain_rate(app, db, texts)
            time_model()
            figures["model_runs_per_s"] = [round(len(texts) / s, 1) for s in model_seconds]
            figures["model_batched_per_s"] = len(texts) / (sum(model_seconds) / 2)
            figures["model_batched_per_cpu_s"] = len(texts) / (sum(model_cpu) / 2)
    model_rate = figures["model_batched_per_s"]
    for key in ("score_command_per_s", "queue_worker_per_s", "queue_workers_per_s"):
        if key in figures:
            figures[key.replace("_per_s", "_over_model")] = round(figures[key] / model_rate, 2)
    if "queue_worker_per_cpu_s" in figures:
        # Per CPU-second of this process (the model's threads included, PostgreSQL's not):
        # steadier than wall time when other jobs share the machine.
        figures["queue_worker_cpu_over_model"] = round(
            figures["queue_worker_per_cpu_s"] / figures["model_batched_per_cpu_s"], 2)
    print(json.dumps({k: round(v, 2 if k.endswith("share") else 1) if isinstance(v, float)
                      else v for k, v in figures.items()}, indent=2))


def post_awaiting(db, texts: list[str]) -> None:
    """Build the bench's schema and post every text in queue mode, each left awaiting a score."""
    from flask_migrate import upgrade
    from sqlalchemy import text as sql

    from moderation.services.comments import submit_comment
    from moderation.sites.create import create_site

    if db.engine.dialect.name == "postgresql":
        # The database is the bench's own: start from an empty schema, as the tests do.
        with db.engine.begin() as conn:
            conn.execute(sql("DROP SCHEMA public CASCADE"))
            conn.execute(sql("CREATE SCHEMA public"))
    upgrade()
    site = create_site("bench")
    for number, text in enumerate(texts):
        submit_comment(site, f"story-{number % 50}",
                       {"author_name": f"reader{number}", "body": text[:5000]},
                       client_h=f"{number:064x}")


def drain_with_processes(app, db, texts: list[str], settings: dict, workers: int,
                         threads: int) -> float:
    """Post the texts in queue mode, drain them with worker processes as deployed, and return
    comments per second between the first and the last decision (the model loads first).

    The comments decided at the first decision's instant are left out of the count, since
    their scoring happened before it; other workers' first batches, scored at about the same
    time, stay in, so the figure may flatter by up to a batch a worker (64 of the texts).
    """
    import os
    import subprocess

    from sqlalchemy import func, select

    from moderation.models import Comment

    post_awaiting(db, texts)
    db.session.remove()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    env.update({"MODERATION_" + key: str(value) for key, value in settings.items()})
    env.update(MODERATION_ENV="testing", MODERATION_MODEL_THREADS=str(threads),
               OMP_NUM_THREADS=str(threads), PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "moderation",
                               "worker", "--max-seconds", "900"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(workers)]
    awaiting = select(func.count()).select_from(Comment).where(
        Comment.reason == "awaiting_score")
    try:
        deadline = time.monotonic() + 900
        while db.session.scalar(awaiting) and time.monotonic() < deadline:
            db.session.rollback()
            time.sleep(0.5)
        assert not db.session.scalar(awaiting), "the workers left comments unscored"
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=60)
    first, last = db.session.execute(
        select(func.min(Comment.scored_at), func.max(Comment.scored_at))).one()
    after_first = db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.scored_at > first))
    db.session.remove()
    return after_first / (last - first).total_seconds()


def drain_rate(app, db, texts: list[str]) -> tuple[float, float, float]:
    """Post the texts in queue mode, then time one worker until none awaits a score; return
    comments per second of wall time and per CPU-second of this process, and the share of
    the wall time the worker spent waiting for the model (measured in the same moments, so
    other jobs on the machine weigh on both sides alike)."""
    from sqlalchemy import func, select

    from moderation.models import Comment
    from moderation.queue import worker as worker_module
    from moderation.queue.worker import Worker

    post_awaiting(db, texts)
    worker = Worker(app)
    scoring = []
    score_batch = worker_module.score_batch

    def timed_batch(batch):
        score_batch(batch)
        scoring.append(batch.result.scoring_seconds)

    worker_module.score_batch = timed_batch

    def waiting() -> int:
        return db.session.scalar(select(func.count()).select_from(Comment)
                                 .where(Comment.reason == "awaiting_score"))

    assert waiting() == len(texts), "queue mode did not leave the comments awaiting a score"
    db.session.remove()
    began, cpu = time.perf_counter(), time.process_time()
    # The worker's own loop: each batch is scored while the one before it is routed.
    while worker.run_overlapped():
        pass
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    worker_module.score_batch = score_batch
    assert waiting() == 0, "the worker left comments unscored"
    review = db.session.scalar(select(func.count()).select_from(Comment)
                               .where(Comment.reason == "scorer_unavailable"))
    assert review == 0, f"{review} comments went to review unscored: the figure is not scoring's"
    return len(texts) / seconds, len(texts) / cpu_seconds, sum(scoring) / seconds


if __name__ == "__main__":
    main()
