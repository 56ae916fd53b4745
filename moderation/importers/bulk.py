"""Bulk inserts that return the new rows' ids in the order the rows were given."""

from __future__ import annotations

from sqlalchemy import Table, func, insert, select

from moderation.extensions import db

# Rows per SQLite INSERT: SQLite keeps each prepared statement, and one of thousands of
# rows costs megabytes of memory for little speed over a hundred.
SQLITE_PAGE_ROWS = 100


class _NotInOrder(Exception):
    """SQLite gave a batch ids that are not one run: their order cannot be trusted."""


def insert_returning_ids(table: Table, rows: list[dict]) -> list[int]:
    """Insert rows (dicts, given their ids here) in few statements; return the ids in order."""
    if not rows:
        return []
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return _insert_postgresql(table, rows)
    if dialect == "sqlite":
        return _insert_sqlite(table, rows)
    ids = list(db.session.scalars(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    return ids


def _insert_postgresql(table: Table, rows: list[dict]) -> list[int]:
    """Take the ids from the table's sequence in one query, then insert without RETURNING.

    A multi-row INSERT ... RETURNING makes psycopg rewrite a statement of thousands of
    placeholders in Python for every page; a plain executemany is one short statement,
    pipelined, and the sequence hands out ids no other writer can take.
    """
    sequence = func.pg_get_serial_sequence(table.name, "id")
    ids = sorted(db.session.scalars(
        select(func.nextval(sequence)).select_from(func.generate_series(1, len(rows)))))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    db.session.execute(insert(table), rows)
    return ids


def _insert_sqlite(table: Table, rows: list[dict]) -> list[int]:
    """Insert in multi-row statements and read the ids back in the rows' order.

    SQLAlchemy cannot trust the order of SQLite's RETURNING and would send one statement
    a row; but SQLite numbers new rows max(id) + 1 in the order it inserts them, and a
    batch holds the database's write lock, so the ids sorted are the rows' order when they
    form one run. When they do not (ids at the 64-bit limit), the rows go in one by one.
    """
    statement = insert(table).returning(table.c.id).execution_options(
        insertmanyvalues_page_size=SQLITE_PAGE_ROWS)
    try:
        with db.session.begin_nested():
            ids = sorted(db.session.scalars(statement, rows))
            if len(ids) != len(rows) or ids[-1] - ids[0] != len(rows) - 1:
                raise _NotInOrder
    except _NotInOrder:
        ids = [db.session.scalars(insert(table).returning(table.c.id), [row]).one()
               for row in rows]
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    return ids
