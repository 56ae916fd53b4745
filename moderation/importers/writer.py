"""Writing entries in batches: one transaction per batch, idempotent by source id.

Each batch commits its comments, their import records, their audit events and the
articles' counters together, so an import stopped at any point leaves whole batches, and
running it again skips what those batches wrote.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import bindparam, case, insert, select, update
from sqlalchemy.exc import IntegrityError

from moderation.extensions import db
from moderation.importers import records
from moderation.importers.analysis import prepare
from moderation.importers.bulk import (
    RowWriter,
    insert_with_ids,
    restore_sqlite_cache,
    tune_batch,
)
from moderation.importers.comment_rows import CommentRow, RowBuilder
from moderation.importers.links import link_parents
from moderation.importers.native_rows import carried
from moderation.importers.native_rows import flags as flags_of
from moderation.importers.native_rows import reactions as reactions_of
from moderation.importers.report import Report
from moderation.models import (
    Article,
    Comment,
    CommentStatus,
    Flag,
    ImportRecord,
    ModerationEvent,
    Reaction,
)
from moderation.models.types import utcnow

comments_table = Comment.__table__
articles_table = Article.__table__


IMPORT_RECORD_COLUMNS = ("site_id", "source", "source_id", "comment_id", "parent_source_id",
                         "created_at")
EVENT_COLUMNS = ("comment_id", "actor_type", "moderator_id", "from_status", "to_status",
                 "reason", "note", "created_at")


# A batch is also written once its comments hold this many characters, so a file of very
# long comments (an import keeps a comment whole) cannot hold a whole batch of them in
# memory: about 13,000 comments of an ordinary 600 characters, 160 of 50,000.
BATCH_MAX_CHARS = 8_000_000


class Writer:
    """Write prepared entries of one source into one site, a batch per transaction."""

    def __init__(self, site, source: str, report: Report, batch_size: int,
                 on_batch=None) -> None:
        self.site = site
        self.site_id = site.id
        self.source = source
        self.report = report
        self.batch_size = batch_size
        self.chars = 0
        self.on_batch = on_batch
        self.scratch = Report(report.format, report.file)
        self.entries: list[records.Entry] = []
        self.seen = 0
        self.threads: dict[str, records.Thread] = {}
        self.article_ids: dict[str, int] = {}
        self.rows = RowBuilder(source)
        self._cache_before: int | None = None

    # -- feeding -------------------------------------------------------------------------

    def add(self, item) -> None:
        if isinstance(item, records.Thread):
            # The service's own export lists every article, commented or not.
            self.threads[item.external_id or ""] = item
            if len(self.threads) >= self.batch_size:
                self.flush()
            return
        self.seen += 1
        if prepare(item, self.scratch) is not None:
            return
        self.entries.append(item)
        self.chars += len(item.body or "")
        if len(self.entries) >= self.batch_size or self.chars >= BATCH_MAX_CHARS:
            self.flush()

    def flush(self) -> None:
        entries, self.entries = self.entries, []
        self.chars = 0
        seen, self.seen = self.seen, 0
        try:
            before = tune_batch()
            if self._cache_before is None:
                self._cache_before = before
            self._write(entries)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        if self.on_batch is not None:
            self.on_batch(seen)

    # -- one batch -----------------------------------------------------------------------

    def _write(self, entries: list[records.Entry]) -> None:
        unique: dict[str, records.Entry] = {}
        for entry in entries:
            unique.setdefault(entry.source_id, entry)
        existing = set()
        if unique:
            existing = set(db.session.scalars(
                select(ImportRecord.source_id).where(
                    ImportRecord.site_id == self.site_id, ImportRecord.source == self.source,
                    ImportRecord.source_id.in_(list(unique)))
            ))
        fresh = [entry for key, entry in unique.items() if key not in existing]
        fresh = self._not_carried_before(fresh)
        self.report.already_imported += len(unique) - len(fresh)
        for entry in fresh:
            self.threads.setdefault(entry.thread.external_id, entry.thread)
        self._ensure_articles()
        if fresh:
            self._insert(fresh)
        self.report.imported += len(fresh)

    def _not_carried_before(self, fresh: list[records.Entry]) -> list[records.Entry]:
        """Drop exported comments whose original import (say from Disqus) is already here."""
        pairs = {pair for entry in fresh if entry.native for pair in carried(entry.native)}
        if not pairs:
            return fresh
        found = {tuple(pair) for pair in db.session.execute(
            select(ImportRecord.source, ImportRecord.source_id).where(
                ImportRecord.site_id == self.site_id,
                ImportRecord.source_id.in_({source_id for _, source_id in pairs}))
        ).all()} & pairs
        return [entry for entry in fresh if not (entry.native and any(
            pair in found for pair in carried(entry.native)))]

    def _ensure_articles(self) -> None:
        wanted = {key: thread for key, thread in self.threads.items()
                  if key and key not in self.article_ids}
        self.threads = {}
        if not wanted:
            return
        self._load_articles(list(wanted))
        missing = [thread for key, thread in wanted.items() if key not in self.article_ids]
        if not missing:
            return
        now = utcnow()
        rows = [{
            "site_id": self.site_id, "external_id": thread.external_id,
            "url": (thread.url or "")[:2000] or None, "title": (thread.title or "")[:500] or None,
            "is_closed": thread.closed, "premoderate": thread.premoderate,
            "published_count": 0, "revision": 0, "created_at": thread.created_at or now,
            "last_comment_at": None,
        } for thread in missing]
        try:
            with db.session.begin_nested():
                db.session.execute(insert(articles_table), rows)
        except IntegrityError:
            # A reader's first comment made one of them meanwhile: add the rest one by one.
            for row in rows:
                try:
                    with db.session.begin_nested():
                        db.session.execute(insert(articles_table), [row])
                except IntegrityError:
                    self.report.articles_created -= 1
        self.report.articles_created += len(rows)
        self._load_articles([thread.external_id for thread in missing])

    def _load_articles(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            self.article_ids.update(db.session.execute(
                select(Article.external_id, Article.id).where(
                    Article.site_id == self.site_id, Article.external_id.in_(chunk))
            ).all())

    def _insert(self, fresh: list[records.Entry]) -> None:
        in_batch = {entry.source_id for entry in fresh}
        outside = {entry.parent_source_id for entry in fresh
                   if entry.parent_source_id and entry.parent_source_id not in in_batch}
        # source id -> (comment id, root id, article id) of parents already stored
        known: dict[str, tuple[int, int | None, int]] = {}
        outside_list = list(outside)
        for start in range(0, len(outside_list), 500):
            chunk = outside_list[start:start + 500]
            for source_id, comment_id, root_id, article_id in db.session.execute(
                select(ImportRecord.source_id, Comment.id, Comment.root_id, Comment.article_id)
                .join(Comment, Comment.id == ImportRecord.comment_id)
                .where(ImportRecord.site_id == self.site_id, ImportRecord.source == self.source,
                       ImportRecord.source_id.in_(chunk))
            ):
                known[source_id] = (comment_id, root_id, article_id)
        remaining = fresh
        published: Counter = Counter()
        latest: dict[int, datetime] = {}
        # Parents go in before their replies: each round inserts what no waiting row needs.
        while remaining:
            ready, waiting = [], []
            for entry in remaining:
                parent = entry.parent_source_id
                if (parent and parent in in_batch and parent not in known
                        and parent != entry.source_id):
                    waiting.append(entry)
                else:
                    ready.append(entry)
            if not ready:  # a cycle of parents: break it, the rest stay top-level
                ready, waiting = waiting, []
            self._insert_round(ready, known, published, latest)
            in_batch -= {entry.source_id for entry in ready}
            remaining = waiting
        self._count_articles(published, latest)

    def _insert_round(self, entries: list[records.Entry], known: dict, published: Counter,
                      latest: dict[int, datetime]) -> None:
        now = utcnow()
        rows, pending = [], []
        for entry in entries:
            article_id = self.article_ids[entry.thread.external_id]
            parent = known.get(entry.parent_source_id) if entry.parent_source_id else None
            if parent is not None and parent[2] != article_id:
                parent = None  # a reply on another article: not a parent it can have here
            pending.append(entry.parent_source_id if entry.parent_source_id and parent is None
                           else None)
            rows.append(self.rows.row(entry, article_id, parent, now))
        ids = insert_with_ids(comments_table, CommentRow._fields, rows)
        events, import_rows, reactions, flags = [], [], [], []
        site_id, source = self.site_id, self.source
        for entry, row, comment_id, parent_source in zip(entries, rows, ids, pending,
                                                         strict=True):
            known[entry.source_id] = (comment_id, row.root_id, row.article_id)
            import_rows.append((site_id, source, entry.source_id, comment_id, parent_source,
                                now))
            events.extend(self.rows.events(entry, row, comment_id))
            if entry.native:
                import_rows.extend(
                    (site_id, other, source_id, comment_id, None, now)
                    for other, source_id in carried(entry.native) if other != source)
                reactions.extend({"comment_id": comment_id, **r}
                                 for r in reactions_of(entry.native))
                flags.extend({"comment_id": comment_id, **f} for f in flags_of(entry.native))
            article_id = row.article_id
            if row.status is CommentStatus.published:
                published[article_id] += 1
            if latest.get(article_id) is None or latest[article_id] < row.created_at:
                latest[article_id] = row.created_at
        RowWriter(ImportRecord.__table__, IMPORT_RECORD_COLUMNS).write(import_rows)
        RowWriter(ModerationEvent.__table__, EVENT_COLUMNS).write(events)
        if reactions:
            db.session.execute(insert(Reaction.__table__), reactions)
        if flags:
            db.session.execute(insert(Flag.__table__), flags)

    def _count_articles(self, published: Counter, latest: dict[int, datetime]) -> None:
        """Move each article of the batch on once, in id order: the scoring workers' folds
        lock several articles in that order too, so neither waits on the other in a circle."""
        if not latest:
            return
        last = articles_table.c.last_comment_at
        db.session.execute(
            update(articles_table).where(articles_table.c.id == bindparam("b_id")).values(
                published_count=articles_table.c.published_count + bindparam("b_published"),
                revision=articles_table.c.revision + 1,
                last_comment_at=case((last.is_(None), bindparam("b_latest")),
                                     (last < bindparam("b_latest"), bindparam("b_latest")),
                                     else_=last),
            ),
            [{"b_id": article_id, "b_published": published[article_id], "b_latest": moment}
             for article_id, moment in sorted(latest.items())],
        )

    # -- after the last batch ------------------------------------------------------------

    def finish(self) -> None:
        """Write what is left, then link replies whose parent came later in the file."""
        self.flush()
        link_parents(self.site_id, self.source, self.report)
        restore_sqlite_cache(self._cache_before)
        db.session.commit()

