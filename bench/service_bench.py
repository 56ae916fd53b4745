"""Service benchmark against Isso 0.14, in one run on one machine, with wrk on loopback.

    python bench/service_bench.py --isso-venv /tmp/prod-isso-venv \\
        --postgres postgresql://postgres@127.0.0.1:5432/test_prod_bench \\
        --redis redis://127.0.0.1:6379/3 --runs 3 --seconds 10

Every run is bounded (wrk -d), every target is stopped afterwards, and the medians of
the runs with their ratios to Isso are written to bench/results/service-*.json and
printed as the Markdown table docs/BENCHMARKS.md quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers  # noqa: E402

LUA = """wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
{body}
"""

SPREAD = """counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, {head} .. tostring(counter % 100) .. {tail})
end
"""


def wrk(base: str, path: str, *, seconds: int, connections: int, body: str | None,
        workdir: Path) -> dict:
    """Run wrk once and return req/s, p50/p99 latency (ms) and error counts."""
    script = workdir / "request.lua"
    lua = LUA.format(method="POST" if body else "GET",
                     body=f"wrk.body = {json.dumps(body)}" if body else "")
    if "{n}" in path:
        # Spread requests over 100 articles: each request's path gets the next number.
        head, tail = path.split("{n}", 1)
        lua += SPREAD.format(head=json.dumps(head), tail=json.dumps(tail))
        path = head + "0" + tail
    script.write_text(lua)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-s", str(script), base + path],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


def measure(targets: dict, scenarios: list[str], *, runs: int, seconds: int, connections: int,
            workdir: Path) -> dict:
    """Run each scenario `runs` times against a target; return runs and medians."""
    results = {}
    for name in scenarios:
        target = targets[name]
        path, body = (target, None) if isinstance(target, str) else target
        samples = [wrk(targets["base"], path, seconds=seconds, connections=connections,
                       body=body, workdir=workdir) for _ in range(runs)]
        results[name] = {
            "runs": samples,
            "rps": statistics.median(s["rps"] for s in samples),
            "p99_ms": statistics.median(s["p99_ms"] for s in samples),
            "p50_ms": statistics.median(s["p50_ms"] for s in samples),
            "non_2xx": sum(s["non_2xx"] for s in samples),
        }
        print(f"  {name}: {results[name]['rps']:.1f} req/s, p99 {results[name]['p99_ms']:.1f} ms",
              flush=True)
    return results


def reset_postgres(url: str) -> None:
    """Empty the benchmark database's schema (our own database only)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def scored_rate(env: dict, *, workers: int, timeout: float) -> dict:
    """Start scoring workers, wait until nothing awaits a score; return the scored rate."""
    from sqlalchemy import create_engine, text

    url = env["MODERATION_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "moderation",
                               "worker", "--max-seconds", str(timeout)],
                              cwd=servers.ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(workers)]
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as conn:
            while time.monotonic() < deadline:
                waiting = conn.execute(text(
                    "SELECT count(*) FROM comments WHERE reason = 'awaiting_score'")).scalar()
                conn.commit()
                if waiting == 0:
                    break
                time.sleep(1)
            first, last, scored = conn.execute(text(
                "SELECT min(scored_at), max(scored_at), count(scored_at) FROM comments "
                "WHERE model_id IS NOT NULL")).one()
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=60)
        engine.dispose()
    span = (last - first).total_seconds() if first and last else 0.0
    return {"scored": scored, "seconds": span, "left_waiting": waiting,
            "rate": scored / span if span else 0.0}


def main() -> None:
    """Run every target and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--isso-venv", type=Path, required=True)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--redis", default=None, help="Redis URL for the queue-mode run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=None,
                        help="gunicorn threads per worker of ours (default: the project's)")
    parser.add_argument("--model-dir", type=Path, default=None,
                        help="score with a stand-in MiniLM checkpoint built here, "
                             "instead of the bundled model")
    parser.add_argument("--only", default="isso,sqlite,postgres,queue")
    parser.add_argument("--postgres-with-redis", action="store_true",
                        help="give the inline PostgreSQL run Redis too, as a deployed node has "
                             "(generations, thread pages); queue mode always has it")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="prod-bench-"))
    model_files = None
    if args.model_dir is not None:
        model_files = (args.model_dir / "minilm-bench.ckpt", args.model_dir / "hf")
        if not model_files[0].exists():
            from bench.minilm_checkpoint import build

            build(args.model_dir)
    only = args.only.split(",")
    scenarios = ["thread", "counts", "post", "post_spread"]
    opts = {"runs": args.runs, "seconds": args.seconds, "connections": args.connections,
            "workdir": workdir}
    report: dict = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "command": " ".join(sys.argv), "targets": {},
                    # Carried to our servers (servers.ours_env); "auto" when not set.
                    "model_runtime": os.environ.get("MODERATION_MODEL_RUNTIME") or "auto"}

    if "isso" in only:
        print("isso (2 gunicorn workers, SQLite)", flush=True)
        with servers.isso(args.isso_venv, workdir) as targets:
            report["targets"]["isso"] = measure(targets, scenarios, **opts)
    if "sqlite" in only:
        print("ours (2 gunicorn workers, SQLite, inline scoring)", flush=True)
        env = servers.ours_env(f"sqlite:///{workdir / 'ours.sqlite'}", workdir, model_files)
        servers.prepare_ours(env)
        with servers.ours(env, workdir, threads=args.threads) as targets:
            report["targets"]["ours_sqlite"] = measure(targets, scenarios, **opts)
    if "postgres" in only:
        print("ours (2 gunicorn workers, PostgreSQL, inline scoring)", flush=True)
        reset_postgres(args.postgres)
        extra = {}
        if args.postgres_with_redis and args.redis:
            extra = {"MODERATION_REDIS_URL": args.redis,
                     "MODERATION_QUEUE_PREFIX": f"prod-bench-pg-{int(time.time())}"}
        env = servers.ours_env(args.postgres, workdir, model_files, **extra)
        servers.prepare_ours(env)
        with servers.ours(env, workdir, threads=args.threads) as targets:
            report["targets"]["ours_postgres"] = measure(targets, scenarios, **opts)
    if "queue" in only and args.redis:
        print("ours (2 gunicorn workers, PostgreSQL, queue mode on Redis)", flush=True)
        reset_postgres(args.postgres)
        prefix = f"prod-bench-{int(time.time())}"
        env = servers.ours_env(args.postgres, workdir, model_files, MODERATION_SCORING="queue",
                               MODERATION_REDIS_URL=args.redis, MODERATION_QUEUE_PREFIX=prefix)
        servers.prepare_ours(env)
        with servers.ours(env, workdir, threads=args.threads) as targets:
            report["targets"]["ours_queue"] = measure(targets, ["post", "post_spread"], **opts)
        print("  scoring the backlog with 2 workers (web nodes stopped)", flush=True)
        report["targets"]["ours_queue"]["scored"] = scored_rate(env, workers=2, timeout=300)
        print(f"  scored: {report['targets']['ours_queue']['scored']}", flush=True)

    out = servers.ROOT / "bench/results" / f"service-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"wrote {out}")
    print(table(report))


def table(report: dict) -> str:
    """Return the Markdown table of medians and ratios to Isso."""
    isso = report["targets"].get("isso", {})
    rows = ["| target | scenario | req/s (median of runs) | p50 ms | p99 ms | × Isso | non-2xx |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for target, scenarios in report["targets"].items():
        for name, result in scenarios.items():
            if name == "scored":
                continue
            base = isso.get(name, {}).get("rps")
            ratio = f"{result['rps'] / base:.1f}" if base and target != "isso" else ""
            rows.append(f"| {target} | {name} | {result['rps']:.1f} | {result['p50_ms']:.1f} | "
                        f"{result['p99_ms']:.1f} | {ratio} | {result['non_2xx']} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
