"""The service under real gunicorn with the project's config: two workers, metrics summed
across them, the model loaded lazily in workers, and a clean exit on SIGTERM."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from tests.reliability.fixtures import URL
from tests.reliability.processes import app_env, gunicorn, stop


def fetch(url: str, body: dict | None = None) -> tuple[int, bytes]:
    """Send one request and return (status, body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# Two workers posting on PostgreSQL are test_load's; here the metrics are what is checked.
@pytest.mark.any_database
def test_two_workers_serve_and_metrics_sum_both(app, site):
    with gunicorn(app_env(app), workers=2, threads=2) as (base, process):
        for i in range(6):
            status, _ = fetch(base + URL, {"author_name": "Ann", "body": f"Thanks {i}."})
            assert status == 201
        for _ in range(20):
            assert fetch(base + "/healthz")[0] == 200
        status, text = fetch(base + "/metrics")
        assert status == 200
        text = text.decode()
        posts = re.search(r'moderation_request_seconds_count\{endpoint="api.create_comment",'
                          r'method="POST",status="201"\} (\S+)', text)
        assert posts and float(posts.group(1)) == 6.0
        health = re.search(r'moderation_request_seconds_count\{endpoint="ops.healthz",'
                           r'method="GET",status="200"\} (\S+)', text)
        # 20 of ours, plus the start-up probe; summed over both workers' sample files.
        assert health and float(health.group(1)) >= 20.0
        assert fetch(base + "/readyz")[0] == 200
        assert stop(process, signal.SIGTERM) == 0


def _listening_and_connected(pid: int, port: int) -> tuple[set[int], int]:
    """Return the inodes of the process's sockets listening on the port, and how many
    connections to the port it holds (read from /proc: Linux, as production)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    listening, connected = set(), 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, state, inode = int(fields[1].split(":")[1], 16), fields[3], int(fields[9])
        if local_port == port and inode in inodes:
            if state == "0A":
                listening.add(inode)
            elif state == "01":
                connected += 1
    return listening, connected


@pytest.mark.any_database
def test_kept_alive_connections_spread_over_both_workers(app, site):
    with gunicorn(app_env(app), workers=2, threads=2) as (base, process):
        port = int(base.rsplit(":", 1)[1])
        host = base.split("//")[1].rsplit(":", 1)[0]
        # Both workers warm: each opens its socket once its warm start is done.
        deadline = time.monotonic() + 60
        while True:
            workers = [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children")
                       .read_text().split()]
            seen = {pid: _listening_and_connected(pid, port) for pid in workers}
            if len(workers) == 2 and all(listening for listening, _ in seen.values()):
                break
            assert time.monotonic() < deadline, seen
            time.sleep(0.2)
        # Each worker has a socket of its own, and the master none: the kernel spreads
        # connections over them, where one shared socket let one worker take them all.
        [first, second] = [listening for listening, _ in seen.values()]
        assert len(first) == len(second) == 1 and first != second
        assert not _listening_and_connected(process.pid, port)[0]
        connections = [http.client.HTTPConnection(host, port, timeout=10) for _ in range(16)]
        try:
            for connection in connections:
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                assert response.status == 200 and not response.will_close
            held = [_listening_and_connected(pid, port)[1] for pid in workers]
        finally:
            for connection in connections:
                connection.close()
        # 16 connections hashed over two sockets: one worker holds them all 1 time in 32,768.
        assert sum(held) == 16 and min(held) >= 1, held
