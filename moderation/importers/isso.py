"""Isso's SQLite database: threads (id, uri, title) and comments (tid, id, parent, mode, ...).

mode 1 is accepted, 2 waits in Isso's moderation queue, 4 was deleted but kept because it
has replies. Isso stores the Markdown the reader wrote; it is kept as written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from moderation.importers import records, text
from moderation.importers.errors import ImportFileError
from moderation.importers.report import Report
from moderation.importers.streams import Limits

SOURCE = "isso"
MODES = {1: records.PUBLISHED, 2: records.PENDING, 4: records.DELETED}
NEEDED = {
    "threads": {"id", "uri", "title"},
    "comments": {"tid", "id", "parent", "created", "mode", "remote_addr", "text", "author",
                 "email"},
}


class IssoReader:
    """Read an Isso database, opened read-only."""

    source = SOURCE

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table, columns in NEEDED.items():
                if table not in tables:
                    raise ImportFileError(
                        f"{self.path} is an SQLite database but not Isso's: it has no "
                        f"'{table}' table"
                    )
                have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                if not columns <= have:
                    raise ImportFileError(
                        f"{self.path} is not an Isso database: table '{table}' lacks "
                        + ", ".join(sorted(columns - have))
                    )
        except sqlite3.DatabaseError as exc:
            raise ImportFileError(f"{self.path} is not a readable SQLite database: {exc}") from exc
        conn.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
        return conn

    def read(self, report: Report, progress=None) -> Iterator[records.Entry]:
        conn = self._connect()
        try:
            threads = {
                row[0]: records.Thread(source_key=str(row[0]), identifier=None,
                                       url=(row[1] or "").strip() or None,
                                       title=text.plain_text(row[2])[:500] or None)
                for row in conn.execute("SELECT id, uri, title FROM threads")
            }
            report.threads = len(threads)
            rows = conn.execute(
                "SELECT tid, id, parent, created, mode, remote_addr, text, author, email "
                "FROM comments ORDER BY id"
            )
            for done, (tid, cid, parent, created, mode, addr, body, author, email) in \
                    enumerate(rows, 1):
                if progress is not None and done % 1000 == 0:
                    progress(done)
                yield records.Entry(
                    source_id=str(cid),
                    thread=threads.get(tid),
                    parent_source_id=str(parent) if parent is not None else None,
                    author_name=text.author_name(author),
                    author_email=email,
                    author_key=f"email:{email.lower()}" if email else (
                        f"name:{author}" if author else None),
                    ip=addr,
                    created_at=text.parse_time(created),
                    body=text.plain_text(body),
                    state=MODES.get(mode, records.PENDING),
                )
        except sqlite3.DatabaseError as exc:
            raise ImportFileError(f"{self.path} could not be read to the end: {exc}") from exc
        finally:
            conn.close()

    def count(self) -> int:
        conn = self._connect()
        try:
            return conn.execute("SELECT count(*) FROM comments").fetchone()[0]
        finally:
            conn.close()
