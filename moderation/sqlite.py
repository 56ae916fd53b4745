"""SQLite settings for the embedded default: concurrent readers, waiting writers, real FKs."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

_registered = False


def _on_connect(dbapi_connection, connection_record) -> None:
    """Set per-connection pragmas on SQLite connections only."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer commits; the busy timeout makes a second
    # writer wait instead of failing with "database is locked" under a threaded server.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def register_sqlite_pragmas() -> None:
    """Install the connect hook once per process."""
    global _registered
    if not _registered:
        event.listen(Engine, "connect", _on_connect)
        _registered = True
