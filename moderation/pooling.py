"""Pooled PostgreSQL connections are checked only after they sat idle, not at every use.

SQLAlchemy's pool_pre_ping sends a query before every checkout: a round trip, and server
work, on every request (two for a post: the post's transaction and the counter fold after
it). Under traffic a connection comes back within milliseconds and the ping finds nothing.
A connection idle for PING_AFTER_IDLE_SECONDS or longer, which may have outlived a server
restart, is still pinged before use and replaced if it fails; a connection that breaks
while in steady use fails its statement, which SQLAlchemy reports as a disconnect: that
request answers 503, and every connection older than the failure is replaced.
"""

from __future__ import annotations

import time

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

PING_AFTER_IDLE_SECONDS = 1.0
_CHECKED_IN = "moderation.checked_in_at"

_registered = False


def _is_psycopg(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("psycopg")


def _on_checkin(dbapi_connection, connection_record) -> None:
    """Note when the connection went back to the pool."""
    if dbapi_connection is not None:
        connection_record.info[_CHECKED_IN] = time.monotonic()


def _on_checkout(dbapi_connection, connection_record, connection_proxy) -> None:
    """Ping a PostgreSQL connection that has been idle; a failed ping replaces it."""
    checked_in = connection_record.info.get(_CHECKED_IN)
    if checked_in is None or not _is_psycopg(dbapi_connection):
        return  # fresh from connect(), or not PostgreSQL
    if time.monotonic() - checked_in < PING_AFTER_IDLE_SECONDS:
        return
    autocommit = dbapi_connection.autocommit
    try:
        # Outside a transaction, as SQLAlchemy's own ping does for psycopg.
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.autocommit = autocommit
    except Exception as exc:  # any failure means this connection cannot be used
        raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc


def register_idle_ping() -> None:
    """Install the checkout and checkin hooks once per process."""
    global _registered
    if not _registered:
        event.listen(Pool, "checkin", _on_checkin)
        event.listen(Pool, "checkout", _on_checkout)
        _registered = True
