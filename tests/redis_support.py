"""Whether the test Redis answers, for tests that need a real one."""

from __future__ import annotations


def redis_available(url: str) -> bool:
    """Tell whether a Redis server answers a ping at this URL within a second."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False
