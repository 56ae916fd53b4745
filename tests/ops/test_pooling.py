"""Pooled PostgreSQL connections: pinged after sitting idle, replaced when the server dropped
them, and never pinged between quick uses."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from moderation import pooling
from moderation.extensions import db


@pytest.fixture
def engine(database_url):
    """A small pool on the test PostgreSQL, with the idle ping installed."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the idle ping is for PostgreSQL connections")
    pooling.register_idle_ping()
    url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    engine = create_engine(url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def terminate(engine, pid: int) -> None:
    """End a server backend from a connection outside the pool, as a restart would."""
    other = create_engine(engine.url, poolclass=None)
    with other.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.commit()
    other.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(engine, monkeypatch):
    first = backend_pid(engine)
    terminate(engine, first)
    monkeypatch.setattr(pooling, "PING_AFTER_IDLE_SECONDS", 0.0)
    # The ping fails, the pool connects afresh, and the caller never sees the drop.
    assert backend_pid(engine) != first


def test_a_connection_used_moments_ago_is_not_pinged_and_a_drop_fails_once(engine,
                                                                            monkeypatch):
    monkeypatch.setattr(pooling, "PING_AFTER_IDLE_SECONDS", 3600.0)
    first = backend_pid(engine)
    terminate(engine, first)
    # Not pinged: the statement itself meets the drop (the request answers 503) ...
    with pytest.raises(DBAPIError) as caught:
        backend_pid(engine)
    assert caught.value.connection_invalidated
    # ... and the pool has replaced the connection for the next one.
    assert backend_pid(engine) != first


def test_postgresql_keeps_a_pool_larger_than_a_workers_threads(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite files keep SQLAlchemy's own pool")
    with app.app_context():
        assert db.engine.pool.size() == app.config["DATABASE_POOL_SIZE"] == 10


def test_an_explicit_pool_size_wins(app_factory):
    app = app_factory(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 3})
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite files keep SQLAlchemy's own pool")
    with app.app_context():
        assert db.engine.pool.size() == 3
