"""The service under real gunicorn with the project's config: two workers, metrics summed
across them, the model loaded lazily in workers, and a clean exit on SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import urllib.request

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
