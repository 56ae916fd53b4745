"""Bulk inserts that return the new rows' ids in the order the rows were given."""

from __future__ import annotations

from sqlalchemy import Table, insert

from moderation.extensions import db


class _NotInOrder(Exception):
    """SQLite gave a batch ids that are not one run: their order cannot be trusted."""


def insert_returning_ids(table: Table, rows: list[dict]) -> list[int]:
    """Insert rows into table in few statements; return their new ids, row by row.

    PostgreSQL batches an ordered RETURNING by itself. SQLite cannot promise the order of
    RETURNING, and SQLAlchemy then falls back to one statement a row; but SQLite numbers
    new rows max(id) + 1 in the order it inserts them, and a batch holds the database's
    write lock, so the ids sorted are the rows' order when they form one run. When they do
    not (a table whose ids reached the 64-bit limit), the batch goes in a row at a time.
    """
    if not rows:
        return []
    if db.session.get_bind().dialect.name != "sqlite":
        return list(db.session.scalars(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))
    try:
        with db.session.begin_nested():
            ids = sorted(db.session.scalars(insert(table).returning(table.c.id), rows))
            if len(ids) != len(rows) or ids[-1] - ids[0] != len(rows) - 1:
                raise _NotInOrder
            return ids
    except _NotInOrder:
        return [db.session.scalars(insert(table).returning(table.c.id), [row]).one()
                for row in rows]
