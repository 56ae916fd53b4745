"""Bulk inserts of plain row tuples through the database driver, ids handed out in order.

An import writes hundreds of thousands of rows of a few tables. Going through SQLAlchemy's
insert() costs Python work per row and per value (parameter dicts, processors looked up
for every row); here each column's processor is looked up once, rows are tuples in the
table's column order, and the driver writes them: PostgreSQL by COPY, SQLite by one
prepared statement executed for every row. Both run on the session's connection, inside
its transaction, so a batch still commits or rolls back whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, func, select, text

from moderation.extensions import db

# SQLite's default page cache (2 MiB) holds little of the comments' eleven indexes once a
# site has some hundred thousand comments; while it writes, an import's connection gets this
# much (KiB), and the usual size back when it is done.
SQLITE_IMPORT_CACHE_KIB = 64 * 1024
# SQLite hands out max(rowid) + 1 until the largest 64-bit id is taken, then picks at random.
SQLITE_MAX_ID = 2**63 - 1


class RowWriter:
    """Write tuples of values for some of a table's columns, in that order, in one call."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        connection = db.session.connection()
        self.dialect = connection.dialect.name
        self.table = table
        self.columns = list(columns)
        dialect = connection.dialect
        processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                      for name in self.columns]
        # Only the columns that need converting (dates on SQLite, enums, JSON) cost a call,
        # and None (scores, scored_at of every imported comment) is converted once.
        self.processors = [(index, processor, processor(None))
                           for index, processor in enumerate(processors)
                           if processor is not None]
        names = ", ".join(self.columns)
        if self.dialect == "postgresql":
            self.sql = f"COPY {table.name} ({names}) FROM STDIN"
        else:
            marks = ", ".join("%s" if dialect.paramstyle in ("format", "pyformat") else "?"
                              for _ in self.columns)
            self.sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"

    def _convert(self, rows: list[tuple]) -> list[tuple]:
        if not self.processors:
            return rows
        converted = []
        processors = self.processors
        for row in rows:
            values = list(row)
            for index, processor, none in processors:
                value = values[index]
                values[index] = none if value is None else processor(value)
            converted.append(tuple(values))
        return converted

    def insert_one(self, row: tuple) -> int:
        """Insert one row on SQLite and return the id SQLite gave it."""
        cursor = db.session.connection().connection.cursor()
        try:
            cursor.execute(self.sql, self._convert([row])[0])
            return cursor.lastrowid
        finally:
            cursor.close()

    def write(self, rows: list[tuple]) -> None:
        """Insert the rows in the session's transaction."""
        if not rows:
            return
        rows = self._convert(rows)
        cursor = db.session.connection().connection.cursor()
        try:
            if self.dialect == "postgresql":
                with cursor.copy(self.sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)
        finally:
            cursor.close()


def insert_with_ids(table: Table, columns: Sequence[str], rows: list[tuple]) -> list[int]:
    """Insert rows (tuples for columns, without the id) and return their new ids in order.

    The ids are the ones the database would have given the rows one by one: PostgreSQL's
    from the table's sequence (one query), SQLite's max(id) + 1 onwards.
    """
    if not rows:
        return []
    writer = RowWriter(table, ["id", *columns])
    if writer.dialect == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        ids = sorted(db.session.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, len(rows)))))
        writer.write([(new_id, *row) for new_id, row in zip(ids, rows, strict=True)])
        return ids
    # SQLite numbers the first row itself. That insert takes the database's write lock,
    # which the transaction keeps to its end, so no other writer can take the ids after it.
    without_id = RowWriter(table, columns)
    first = without_id.insert_one(rows[0])
    largest = db.session.scalar(select(func.max(table.c.id)))
    if largest != first or first + len(rows) - 1 > SQLITE_MAX_ID:
        # The largest 64-bit id is taken and SQLite picks ids at random: one by one.
        return [first, *(without_id.insert_one(row) for row in rows[1:])]
    ids = list(range(first, first + len(rows)))
    writer.write([(new_id, *row) for new_id, row in zip(ids[1:], rows[1:], strict=True)])
    return ids


def tune_batch() -> int | None:
    """Set up the session's connection for an import batch; return SQLite's cache size before.

    Called at each batch, since the session may take another pooled connection after a
    commit. On PostgreSQL, the batch's lookups are planned for the rows they are given:
    psycopg prepares a statement run five times, and the plan PostgreSQL then keeps was made
    while the import's tables were nearly empty (a sequential scan, which takes seconds per
    batch once they hold a hundred thousand rows). On SQLite, the connection gets the
    import's page cache; None when it already has it, and on other databases.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        return None
    if dialect != "sqlite":
        return None
    before = db.session.scalar(text("PRAGMA cache_size"))
    if before == -SQLITE_IMPORT_CACHE_KIB:
        return None
    db.session.execute(text(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}"))
    return before


def restore_sqlite_cache(size: int | None) -> None:
    """Give the session's SQLite connection back the page cache it had before the import."""
    if size is not None:
        db.session.execute(text(f"PRAGMA cache_size={int(size)}"))
