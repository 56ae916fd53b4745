"""Import a generated Disqus export without scoring: comments per second and peak memory.

    PYTHONPATH=. python bench/bench_import.py --count 200000            # SQLite, temporary
    PYTHONPATH=. python bench/bench_import.py --count 200000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench --reset

The import runs as its own process (`flask --app wsgi moderation import disqus ...`), exactly
as an operator runs it; its peak resident memory is read from the kernel when it exits.
--reset empties the PostgreSQL schema first (it drops every table in it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["council", "budget", "lanes", "school", "river", "library", "bakery", "volunteers",
         "weekend", "reporting", "agree", "disagree", "thanks", "question", "answer", "article",
         "readers", "city", "park", "bus"]


def write_disqus(path: Path, count: int, seed: int = 5) -> None:
    """Write a Disqus export of count posts on count/40 threads, a third of them replies."""
    rng = random.Random(seed)
    threads = max(1, count // 40)
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
                  'xmlns:dsq="http://disqus.com/disqus-internals">\n')
        for t in range(threads):
            out.write(f'<thread dsq:id="t{t}"><id>article-{t}</id><forum>bench</forum>'
                      f"<link>https://news.example/article-{t}</link><title>Article {t}</title>"
                      "<message/><createdAt>2015-01-01T00:00:00Z</createdAt>"
                      "<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n")
        recent: dict[int, list[int]] = {}
        for p in range(count):
            t = rng.randrange(threads)
            earlier = recent.setdefault(t, [])
            parent = (f'<parent dsq:id="{rng.choice(earlier)}"/>'
                      if earlier and rng.random() < 0.33 else "")
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
            spam, deleted = rng.random() < 0.02, rng.random() < 0.03
            out.write(
                f'<post dsq:id="{p}"><id/><message><![CDATA[<p>{words}</p><p>'
                f'<a href="https://example.org/{p}">a link</a> &amp; more</p>]]></message>'
                f"<createdAt>2015-02-{1 + p % 28:02d}T{p % 24:02d}:{p % 60:02d}:00Z</createdAt>"
                f"<isDeleted>{str(deleted).lower()}</isDeleted><isSpam>{str(spam).lower()}"
                f"</isSpam><author><email>reader{p % 5000}@example.org</email>"
                f"<name>Reader {p % 5000}</name><isAnonymous>false</isAnonymous>"
                f"<username>reader{p % 5000}</username></author>"
                f"<ipAddress>198.51.{p % 200}.{p % 250}</ipAddress>"
                f'<thread dsq:id="t{t}"/>{parent}</post>\n')
            earlier.append(p)
            if len(earlier) > 20:
                del earlier[0]
        out.write("</disqus>\n")


def prepare_database(url: str, reset: bool) -> None:
    """Build the schema and the site 'bench' in an empty database."""
    from moderation import create_app
    from moderation.extensions import db
    from moderation.sites.create import create_site

    app = create_app({"DATABASE_URL": url, "ENV_NAME": "testing"})
    with app.app_context():
        if reset and url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        create_site("bench")
        db.engine.dispose()


def run_import(url: str, path: Path) -> dict:
    """Run the import command as its own process; return its time and peak memory."""
    env = dict(os.environ, MODERATION_DATABASE_URL=url, MODERATION_ENV="testing",
               PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "moderation", "import",
               "disqus", str(path), "--site", "bench"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import failed:\n{output}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "output": output.strip().splitlines()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL (default: SQLite in a temporary folder)")
    parser.add_argument("--reset", action="store_true",
                        help="drop and rebuild the PostgreSQL schema first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
        path = Path(folder) / "disqus.xml"
        began = time.perf_counter()
        write_disqus(path, args.count)
        generated = time.perf_counter() - began
        size_mb = round(path.stat().st_size / 1024**2, 1)
        prepare_database(url, args.reset)
        result = run_import(url, path)
    imported = next((int(line.split()[1]) for line in result["output"]
                     if line.startswith("imported ")), 0)
    report = {
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "posts_in_file": args.count, "file_mb": size_mb, "generated_s": round(generated, 1),
        "imported": imported, "seconds": result["seconds"],
        "comments_per_s": round(args.count / result["seconds"]),
        # On a shared machine the wall clock waits for other jobs; the process's own CPU
        # time says what one core does (the database server's time is not in it).
        "cpu_seconds": result["cpu_seconds"],
        "comments_per_cpu_s": round(args.count / max(result["cpu_seconds"], 1e-9)),
        "peak_rss_mb": result["peak_rss_mb"], "summary": result["output"],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
