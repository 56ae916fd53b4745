"""CPU milliseconds per request, Isso against ours: a comparison that a busy shared
machine does not distort, unlike requests per second.

    python bench/cpu_per_request.py --isso-venv /tmp/prod-isso-venv [--postgres URL]

Each service runs under gunicorn with 2 workers; wrk loads one scenario for 10 s while
the CPU seconds of the gunicorn master and its workers are read from /proc.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers  # noqa: E402
from bench.profile_service import cpu_seconds  # noqa: E402
from bench.service_bench import reset_postgres, wrk  # noqa: E402

SCENARIOS = ["thread", "counts", "post", "post_spread"]


def measure(targets: dict, seconds: int, workdir: Path) -> dict:
    """Return {scenario: {rps, cpu_ms_per_request}} for one running service."""
    out = {}
    for name in SCENARIOS:
        path, body = (targets[name], None) if isinstance(targets[name], str) else targets[name]
        before = cpu_seconds(targets["pid"])
        result = wrk(targets["base"], path, seconds=seconds, connections=16, body=body,
                     workdir=workdir)
        used = cpu_seconds(targets["pid"]) - before
        out[name] = {"rps": result["rps"], "requests": result["requests"],
                     "cpu_ms_per_request": round(1000 * used / max(1, result["requests"]), 2)}
        print(f"  {name}: {out[name]}", flush=True)
    return out


def main() -> None:
    """Measure Isso, then ours, and print the CPU ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--isso-venv", type=Path, required=True)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--model-dir", type=Path, default=Path("/tmp/prod-bench/minilm"))
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="prod-cpu-"))
    report = {"command": " ".join(sys.argv)}
    print("isso", flush=True)
    with servers.isso(args.isso_venv, workdir) as targets:
        report["isso"] = measure(targets, args.seconds, workdir)
    if args.postgres:
        reset_postgres(args.postgres)
    url = args.postgres or f"sqlite:///{workdir / 'ours.sqlite'}"
    env = servers.ours_env(url, workdir, (args.model_dir / "minilm-bench.ckpt",
                                          args.model_dir / "hf"))
    servers.prepare_ours(env)
    print("ours", flush=True)
    with servers.ours(env, workdir) as targets:
        report["ours"] = measure(targets, args.seconds, workdir)
    for name in SCENARIOS:
        isso, ours = report["isso"][name], report["ours"][name]
        ratio = isso["cpu_ms_per_request"] / ours["cpu_ms_per_request"]
        print(f"{name}: Isso {isso['cpu_ms_per_request']} ms, ours "
              f"{ours['cpu_ms_per_request']} ms of CPU per request -> ours does {ratio:.2f}x "
              "the requests per core")
    out = servers.ROOT / "bench/results" / f"cpu-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
