"""Each process mirrors the Redis generations and hears every bump by pub/sub."""

from __future__ import annotations

import time

import pytest
import redis

from moderation.readers.generations import RedisGenerations


@pytest.fixture
def stores(redis_url, queue_prefix):
    """A mirrored store, and an unmirrored one standing for another process."""
    return (RedisGenerations(redis_url, queue_prefix),
            RedisGenerations(redis_url, queue_prefix, mirrored=False))


@pytest.fixture
def redis_reads(stores, monkeypatch):
    """Count the mirror's reads from Redis itself."""
    mirror = stores[0].mirror
    calls = []
    fetch = mirror._fetch

    def counting(names):
        calls.append(names)
        return fetch(names)

    monkeypatch.setattr(mirror, "_fetch", counting)
    return calls


def read_until(store, names, wanted, seconds=2.0):
    """Read until the generations are wanted; the message may still be in flight."""
    deadline = time.monotonic() + seconds
    while (seen := store.read(names)) != wanted and time.monotonic() < deadline:
        time.sleep(0.005)
    return seen


def test_repeated_reads_are_answered_from_the_mirror(stores, redis_reads):
    mirrored, other = stores
    other.bump({"a:1"})
    assert mirrored.read(("*", "a:1")) == (None, b"1")
    for _ in range(5):
        assert mirrored.read(("*", "a:1")) == (None, b"1")
    assert len(redis_reads) == 1


def test_a_bump_elsewhere_is_heard_and_only_its_names_are_read_again(stores, redis_reads):
    mirrored, other = stores
    assert mirrored.read(("s:news", "a:1", "a:2")) == (None, None, None)
    other.bump({"s:news", "a:2"})
    assert read_until(mirrored, ("s:news", "a:1", "a:2"), (b"1", None, b"1")) == \
        (b"1", None, b"1")
    assert sorted(redis_reads[-1]) == ["a:2", "s:news"]


def test_a_bump_in_this_process_is_seen_by_its_next_read(stores):
    mirrored, _ = stores
    mirrored.read(("a:1",))
    mirrored.bump({"a:1"})
    assert mirrored.read(("a:1",)) == (b"1",)  # forgotten locally, without the message


def test_a_lost_subscription_falls_back_to_redis_then_subscribes_again(stores, redis_url):
    mirrored, other = stores
    assert mirrored.read(("a:1",)) == (None,)
    redis.Redis.from_url(redis_url).client_kill_filter(_type="pubsub")
    other.bump({"a:1"})  # no subscriber hears this one
    assert mirrored.read(("a:1",)) == (b"1",)
    other.bump({"a:1"})
    assert read_until(mirrored, ("a:1",), (b"2",)) == (b"2",)
    assert mirrored.mirror._conn is not None


def test_without_redis_the_mirror_answers_nothing(queue_prefix):
    store = RedisGenerations("redis://127.0.0.1:1/0", queue_prefix)
    assert store.read(("a:1",)) is None


def test_the_mirror_is_emptied_every_refresh_period(stores, redis_reads, monkeypatch):
    mirrored, _ = stores
    monkeypatch.setattr(mirrored.mirror, "REFRESH_SECONDS", 0.0)
    for _ in range(3):
        mirrored.read(("a:1",))
    assert len(redis_reads) == 3
