"""Profile our service under wrk load with py-spy and say where the time goes.

    python bench/profile_service.py --py-spy /tmp/prod-tools-venv/bin/py-spy \\
        --scenario post --seconds 10 [--postgres URL]

py-spy samples every gunicorn worker (--subprocesses) while wrk runs; the collapsed
stacks are summed into shares of samples for the parts that matter (model forward,
tokenizer, language detection, database, JSON, Flask and the rest).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers  # noqa: E402
from bench.service_bench import reset_postgres, wrk  # noqa: E402

# First matching marker (in this order) names the part a sample belongs to.
PARTS = [
    ("model forward (torch)", ("torch/", "transformers/models", "transformers/integrations",
                               "transformers/activations")),
    ("tokenizer", ("tokenization_", "tokenizers")),
    ("language detection", ("py3langid", "langid")),
    ("database driver", ("sqlite3", "psycopg", "sqlalchemy/engine")),
    ("SQLAlchemy ORM", ("sqlalchemy/orm", "sqlalchemy/sql")),
    ("marshmallow", ("marshmallow",)),
    ("JSON", ("json/encoder", "json/decoder", "flask/json")),
    ("rate limiter", ("flask_limiter", "limits/")),
    ("metrics and logging", ("prometheus_client", "moderation/ops", "logging/")),
    ("Flask/Werkzeug/gunicorn", ("flask/", "werkzeug/", "gunicorn/")),
]


# Leaf frames of threads parked (idle pools, batch waits, the arbiter, socket selects).
IDLE = ("_worker (concurrent/futures/thread.py", "Condition.wait", "EpollSelector.select",
        "wait_for_signals", "sleep (gunicorn")
WAITING_DB = ("Connection.wait (psycopg",)


def cpu_seconds(master: int) -> float:
    """Return the user+system CPU seconds of a process and its direct children."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(proc.name) == master or int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def classify(frames: list[str]) -> str:
    """Name the part of a stack: the first known frame from the leaf towards the root."""
    for frame in reversed(frames):
        for name, marks in PARTS:
            if any(mark in frame for mark in marks):
                return name
    return "other"


def summarise(collapsed: Path) -> list[tuple[str, float]]:
    """Return (part, share of on-CPU samples) from py-spy's collapsed stacks."""
    counts: Counter = Counter()
    for line in collapsed.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        frames = stack.split(";")
        if any(mark in frames[-1] for mark in IDLE):
            continue
        if any(mark in frames[-1] for mark in WAITING_DB):
            counts["waiting on the database server"] += int(number)
            continue
        counts[classify(frames)] += int(number)
    total = sum(counts.values())
    return [(part, count / total) for part, count in counts.most_common()] if total else []


def main() -> None:
    """Start the service, load it, record, and print the shares."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--py-spy", required=True)
    parser.add_argument("--scenario", default="post",
                        choices=["thread", "counts", "post", "post_spread"])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--model-dir", type=Path, default=Path("/tmp/prod-bench/minilm"))
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="prod-profile-"))
    model = (args.model_dir / "minilm-bench.ckpt", args.model_dir / "hf")
    if args.postgres:
        reset_postgres(args.postgres)
    url = args.postgres or f"sqlite:///{workdir / 'ours.sqlite'}"
    env = servers.ours_env(url, workdir, model)
    servers.prepare_ours(env)
    out = workdir / "stacks.txt"
    with servers.ours(env, workdir) as targets:
        spy = subprocess.Popen([args.py_spy, "record", "--pid", str(targets["pid"]),
                                "--subprocesses",
                                "--format", "raw", "--rate", "200",
                                "--duration", str(args.seconds + 1), "--output", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        target = targets[args.scenario]
        path, body = (target, None) if isinstance(target, str) else target
        before = cpu_seconds(targets["pid"])
        result = wrk(targets["base"], path, seconds=args.seconds, connections=16, body=body,
                     workdir=workdir)
        used = cpu_seconds(targets["pid"]) - before
        spy.wait(timeout=120)
    print(f"{args.scenario}: {result['rps']:.1f} req/s, p99 {result['p99_ms']:.1f} ms; "
          f"service CPU {used:.1f} s for {result['requests']} requests = "
          f"{1000 * used / max(1, result['requests']):.1f} ms of CPU per request "
          f"(sampling included)")
    for part, share in summarise(out):
        print(f"  {share:6.1%}  {part}")
    print(f"stacks: {out}")


if __name__ == "__main__":
    main()
