"""Backlog scoring of imported comments against the model's own batched rate, in one run.

    HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/bench_backlog.py --count 3000

Imports a generated Disqus export (bench_import.py's generator) into a temporary SQLite
database without scoring, then in one process: scores the same comment texts with the
bundled model directly (batch 32, the model's own rate), and runs the backlog scoring that
`import --score` runs (language detection, word lists, phrases, thresholds, the database
writes), and prints both rates and their ratio.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.bench_import import prepare_database, run_import, write_disqus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        path = Path(folder) / "disqus.xml"
        write_disqus(path, args.count)
        prepare_database(url, reset=False)
        run_import(url, path)

        from sqlalchemy import select

        from moderation import create_app
        from moderation.extensions import db, scorer
        from moderation.importers.backlog import _waiting, score_backlog
        from moderation.models import Site

        app = create_app({"DATABASE_URL": url, "ENV_NAME": "testing",
                          "INSTANCE_PATH": str(Path(folder) / "instance"),
                          "IMPORT_SCORE_NICE": 0})
        with app.app_context():
            site = db.session.scalar(select(Site).where(Site.key == "bench"))
            # Exactly the texts the backlog will score (published, unscored, cut as it cuts).
            texts = [body for _, body in _waiting(site.id, "disqus", 0, 10**9)]
            db.session.rollback()
            model = scorer.get()
            model.score(texts[:64])  # load and warm up once, outside both timings
            began = time.perf_counter()
            model.score(texts)
            model_seconds = time.perf_counter() - began
            began = time.perf_counter()
            result = score_backlog(site, "disqus")
            backlog_seconds = time.perf_counter() - began
        model_rate = len(texts) / model_seconds
        backlog_rate = len(texts) / backlog_seconds
        print(json.dumps({
            "comments": len(texts), "precision": getattr(model, "precision", None),
            "model_batched_per_s": round(model_rate, 1),
            "backlog_per_s": round(backlog_rate, 1),
            "backlog_over_model": round(backlog_rate / model_rate, 2),
            "moved_to_review": result.moved_to_review,
        }, indent=2))


if __name__ == "__main__":
    main()
