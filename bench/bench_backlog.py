"""Backlog scoring of imported comments against the model's own batched rate, in one run.

    HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/bench_backlog.py --count 3000 [--rounds 3]

Imports a generated Disqus export (bench_import.py's generator) into a temporary SQLite
database without scoring, then in one process: scores the same comment texts with the
bundled model directly (batch 32, the model's own rate), and runs the backlog scoring that
`import --score` runs (language detection, word lists, phrases, thresholds, the database
writes), and prints both rates and their ratio. --rounds repeats both timings, each round on
a fresh copy of the imported database, and adds the median ratio.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.bench_import import prepare_database, run_import, write_disqus


def _one_round(url: str, instance: Path) -> dict:
    """Time the model alone, then the backlog, on one fresh copy of the imported database."""
    from sqlalchemy import select

    from moderation import create_app
    from moderation.extensions import db, scorer
    from moderation.importers.backlog import _waiting, score_backlog
    from moderation.models import Site

    app = create_app({"DATABASE_URL": url, "ENV_NAME": "testing",
                      "INSTANCE_PATH": str(instance), "IMPORT_SCORE_NICE": 0})
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.key == "bench"))
        # Exactly the texts the backlog will score (published, unscored, cut as it cuts).
        texts = [body for _, body in _waiting(site.id, "disqus", 0, 10**9)]
        db.session.rollback()
        model = scorer.get()
        # Load and warm up outside both timings, on the same texts: a process's first pass
        # over them ran at about half the rate of later ones (kernels and buffers for each
        # new length), which would flatter the backlog timed after it.
        model.score(texts)
        began, cpu = time.perf_counter(), time.process_time()
        model.score(texts)
        model_seconds = time.perf_counter() - began
        model_cpu = time.process_time() - cpu
        began, cpu = time.perf_counter(), time.process_time()
        result = score_backlog(site, "disqus")
        backlog_seconds = time.perf_counter() - began
        backlog_cpu = time.process_time() - cpu
        db.engine.dispose()
    return {"comments": len(texts), "precision": getattr(model, "precision", None),
            "model_batched_per_s": round(len(texts) / model_seconds, 1),
            "backlog_per_s": round(len(texts) / backlog_seconds, 1),
            "backlog_over_model": round(model_seconds / backlog_seconds, 2),
            # On a shared machine the wall clock waits for other jobs; the process's CPU
            # time (all its threads) compares the work each side does.
            "model_per_cpu_s": round(len(texts) / model_cpu, 1),
            "backlog_per_cpu_s": round(len(texts) / backlog_cpu, 1),
            "backlog_over_model_cpu": round(model_cpu / backlog_cpu, 2),
            "moved_to_review": result.moved_to_review}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat both timings on fresh copies of the imported database "
                             "(a shared machine's load changes from one second to the next)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        imported = Path(folder) / "bench.sqlite"
        path = Path(folder) / "disqus.xml"
        write_disqus(path, args.count)
        prepare_database(f"sqlite:///{imported}", reset=False)
        run_import(f"sqlite:///{imported}", path)
        rounds = []
        for number in range(args.rounds):
            copy = Path(folder) / f"round{number}.sqlite"
            shutil.copyfile(imported, copy)
            rounds.append(_one_round(f"sqlite:///{copy}", Path(folder) / "instance"))
    report = rounds[0] if len(rounds) == 1 else {
        "comments": rounds[0]["comments"], "precision": rounds[0]["precision"],
        "rounds": rounds,
        "median_backlog_over_model": statistics.median(r["backlog_over_model"] for r in rounds),
        "median_backlog_over_model_cpu": statistics.median(
            r["backlog_over_model_cpu"] for r in rounds),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
