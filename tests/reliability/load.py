"""A bounded concurrent poster for reliability checks: N posts from C clients, with every
response (status and comment id) recorded so rows and answers can be compared."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    """Statuses seen, ids of accepted comments and any non-JSON or transport failures."""

    statuses: Counter = field(default_factory=Counter)
    accepted_ids: set[int] = field(default_factory=set)
    bad_bodies: list[str] = field(default_factory=list)
    transport_errors: int = 0
    seconds: float = 0.0


def post_comments(base: str, *, total: int, clients: int, articles: int = 10,
                  site: str = "news", timeout: float = 60.0, pause: float = 0.0,
                  until: threading.Event | None = None) -> LoadResult:
    """Post `total` comments from `clients` threads, each on a keep-alive connection
    (stopping early once `until` is set)."""
    parts = urlsplit(base)
    result = LoadResult()
    lock = threading.Lock()
    counter = iter(range(total))

    def client_loop(client_no: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None or (until is not None and until.is_set()):
                    return
                body = json.dumps({"author_name": f"Reader {client_no}",
                                   "body": f"I think point {n} of this article is fair and "
                                           "the council should listen to the residents."})
                path = f"/api/v1/sites/{site}/articles/load-{n % articles}/comments"
                try:
                    conn.request("POST", path, body=body,
                                 headers={"Content-Type": "application/json"})
                    response = conn.getresponse()
                    raw = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    with lock:
                        result.transport_errors += 1
                    conn.close()
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
                    continue
                try:
                    payload = json.loads(raw)
                except ValueError:
                    payload = None
                with lock:
                    result.statuses[status] += 1
                    if payload is None or (status >= 400 and "error" not in payload):
                        result.bad_bodies.append(f"{status}: {raw[:200]!r}")
                    elif status in (201, 202):
                        result.accepted_ids.add(payload["id"])
                if pause:
                    time.sleep(pause)
        finally:
            conn.close()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client_loop, range(clients)))
    result.seconds = time.monotonic() - started
    return result
