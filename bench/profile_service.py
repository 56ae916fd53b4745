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
    ("model forward (torch)", ("torch/nn/", "forward (transformers")),
    ("tokenizer", ("tokenization_", "tokenizers")),
    ("language detection", ("py3langid", "langid")),
    ("scorer wait (batching/lock)", ("microbatch.py", "holder.py")),
    ("database driver", ("sqlite3", "psycopg", "sqlalchemy/engine")),
    ("SQLAlchemy ORM", ("sqlalchemy/orm", "sqlalchemy/sql")),
    ("marshmallow", ("marshmallow",)),
    ("JSON", ("json/encoder", "json/decoder", "flask/json")),
    ("rate limiter", ("flask_limiter", "limits/")),
    ("metrics and logging", ("prometheus_client", "moderation/ops", "logging/")),
    ("Flask/Werkzeug/gunicorn", ("flask/", "werkzeug/", "gunicorn/")),
]


def summarise(collapsed: Path) -> list[tuple[str, float]]:
    """Return (part, share of busy samples) from py-spy's collapsed stacks."""
    counts: Counter = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        frames = stack.split(";")
        leaf = ";".join(frames[-12:])
        if "idle" in frames[-1] or "wait (threading" in leaf and "microbatch" not in leaf:
            continue  # threads parked on a lock or a socket are not CPU
        total += int(number)
        part = next((name for name, marks in PARTS if any(m in leaf for m in marks)), "other")
        counts[part] += int(number)
    return [(part, count / total) for part, count in counts.most_common()] if total else []


def main() -> None:
    """Start the service, load it, record, and print the shares."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--py-spy", required=True)
    parser.add_argument("--scenario", choices=["thread", "counts", "post"], default="post")
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
                                "--idle", "--format", "raw", "--rate", "200",
                                "--duration", str(args.seconds + 1), "--output", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        target = targets[args.scenario]
        path, body = (target, None) if isinstance(target, str) else target
        result = wrk(targets["base"], path, seconds=args.seconds, connections=16, body=body,
                     workdir=workdir)
        spy.wait(timeout=120)
    print(f"{args.scenario}: {result['rps']:.1f} req/s, p99 {result['p99_ms']:.1f} ms")
    for part, share in summarise(out):
        print(f"  {share:6.1%}  {part}")
    print(f"stacks: {out}")


if __name__ == "__main__":
    main()
