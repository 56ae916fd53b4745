"""Real processes for reliability tests: gunicorn, scoring workers, throwaway Redis and
PostgreSQL servers on their own ports, each stopped when its context ends."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(app, **extra) -> dict:
    """Return the environment that makes a child process build the same app as `app`."""
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    keys = ("DATABASE_URL", "MODEL", "MODEL_CHECKPOINT", "MODEL_CONFIG_DIR", "SCORING",
            "REDIS_URL", "QUEUE_PREFIX", "QUEUE_BATCH_SIZE", "QUEUE_BATCH_MS",
            "QUEUE_CLAIM_IDLE_MS", "QUEUE_DEADLINE_SECONDS", "QUEUE_SWEEP_SECONDS",
            "QUEUE_RESCUE_SECONDS",
            "RATELIMIT_STORAGE_URI", "COMMENT_RATE_LIMIT_CLIENT", "COMMENT_RATE_LIMIT_SITE")
    env["MODERATION_ENV"] = "testing"
    for key in keys:
        value = app.config.get(key)
        if value is not None:
            env["MODERATION_" + key] = json.dumps(value) if isinstance(value, dict) else str(value)
    env["MODERATION_INSTANCE_PATH"] = app.instance_path
    env["MODERATION_ACCESS_LOG"] = "0"
    env["PYTHONPATH"] = str(ROOT)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wait_http(url: str, seconds: float = 60) -> None:
    """Wait until the URL answers 200, or fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {seconds}s")


@contextmanager
def gunicorn(env: dict, *, workers: int = 2, threads: int = 4):
    """Run the app under gunicorn with the project's config; yield (base URL, process)."""
    port = free_port()
    env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers),
               GUNICORN_THREADS=str(threads), GUNICORN_LOG_LEVEL="warning",
               MODERATION_ACCESS_LOG=env.get("MODERATION_ACCESS_LOG", "0"))
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    # MODERATION_TEST_SERVER_LOG keeps the server's log for a post-mortem.
    keep = os.environ.get("MODERATION_TEST_SERVER_LOG")
    log = open(keep, "ab") if keep else tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config/gunicorn.conf.py"),
         "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_http(base + "/healthz")
        except TimeoutError:
            log.seek(0)
            raise TimeoutError(log.read()[-3000:].decode(errors="replace")) from None
        yield base, process
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, seconds: float = 30) -> int:
    """Stop a child we started (SIGTERM, then SIGKILL) and return its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


def start_worker(env: dict, *extra_args: str) -> subprocess.Popen:
    """Start `flask --app wsgi moderation worker` as a child process."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "moderation", "worker", *extra_args],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@contextmanager
def throwaway_redis():
    """Run a private redis-server on a free port; yield (url, stopper)."""
    binary = shutil.which("redis-server")
    if binary is None:
        import pytest

        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0", lambda: stop(process, seconds=5)
    finally:
        stop(process, seconds=5)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else (shutil.which(name) or name)


def _as_postgres(args: list[str]) -> list[str]:
    """Run PostgreSQL tools as the postgres user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class ThrowawayPostgres:
    """A private PostgreSQL cluster in a temporary folder, on its own port."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="prod-pg-")
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = os.path.join(self.folder, "data")
        subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", self.data, "-A", "trust",
                                     "-U", "postgres"]),
                       check=True, capture_output=True, timeout=120)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Start the server and wait for it to accept connections."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", self.data, "-o", options,
                                     "-l", os.path.join(self.folder, "log"), "-w", "start"]),
                       check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        """Stop the server at once, dropping connections (as a crash or failover would)."""
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w",
                                     "stop"]), capture_output=True, timeout=60)

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
