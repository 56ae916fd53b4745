"""Profile a Disqus import in one process: where the import's own CPU time goes.

    PYTHONPATH=. python bench/profile_import.py --count 20000
    PYTHONPATH=. python bench/profile_import.py --count 20000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench --reset

Writes bench_import.py's generated export, builds an empty schema with the site 'bench',
then runs the same run_import the command runs under cProfile and prints the functions
with the most cumulative and own time. --reset drops every table in the PostgreSQL schema.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from bench.bench_import import prepare_database, write_disqus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL (default: SQLite in a temporary folder)")
    parser.add_argument("--reset", action="store_true",
                        help="drop and rebuild the PostgreSQL schema first")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
        path = Path(folder) / "disqus.xml"
        write_disqus(path, args.count)
        prepare_database(url, args.reset)

        from moderation import create_app
        from moderation.importers import run_import

        app = create_app({"DATABASE_URL": url, "ENV_NAME": "testing",
                          "INSTANCE_PATH": str(Path(folder) / "instance")})
        with app.app_context():
            profile = cProfile.Profile()
            began, cpu = time.perf_counter(), time.process_time()
            profile.enable()
            report = run_import("disqus", str(path), "bench")
            profile.disable()
            wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"imported {report.imported} of {args.count} in {wall:.1f}s wall, {cpu:.1f}s CPU "
          f"({args.count / cpu:.0f} comments per CPU-second, profiler on)")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
