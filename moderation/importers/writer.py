"""Writing entries in batches: one transaction per batch, idempotent by source id.

Each batch commits its comments, their import records, their audit events and the
articles' counters together, so an import stopped at any point leaves whole batches, and
running it again skips what those batches wrote.
"""

from __future__ import annotations

from array import array
from collections import Counter
from datetime import datetime

from sqlalchemy import bindparam, case, insert, select, update
from sqlalchemy.exc import IntegrityError

from moderation.clients import email_hash
from moderation.extensions import db
from moderation.importers import records, text
from moderation.importers.report import Report
from moderation.models import (
    ActorType,
    Article,
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ImportRecord,
    ModerationEvent,
    Moderator,
    Reaction,
)
from moderation.models.types import utcnow

# How a source's state becomes a status here, and the reason the comment carries.
STATUS = {
    records.PUBLISHED: (CommentStatus.published, "imported"),
    records.PENDING: (CommentStatus.pending_review, "imported_pending"),
    records.DELETED: (CommentStatus.deleted, "imported_deleted"),
    records.SPAM: (CommentStatus.rejected, "imported_spam"),
}
SOURCE_ID_MAX = 200

comments_table = Comment.__table__
articles_table = Article.__table__


def prepare(entry: records.Entry | records.Thread, report: Report) -> str | None:
    """Normalise an entry in place; return why it must be skipped, or None to keep it."""
    if isinstance(entry, records.Thread):
        return None
    raw_email = entry.author_email
    entry.author_email = text.author_email(raw_email)
    if raw_email and raw_email.strip() and entry.author_email is None:
        report.emails_dropped += 1
    if not entry.source_id:
        return "no id in the source"
    if len(entry.source_id) > SOURCE_ID_MAX:
        return "id longer than 200 characters"
    if entry.notes:
        return {"pingback": "pingback or trackback, not a reader's comment",
                "trackback": "pingback or trackback, not a reader's comment",
                "unknown status": "unknown status"}.get(entry.notes[0], entry.notes[0])
    if entry.thread is None:
        return "its thread is not in the file"
    if entry.thread.external_id is None:
        return "its thread has no identifier or URL"
    if entry.created_at is None:
        return "no valid date"
    if not entry.body and entry.state in (records.PUBLISHED, records.PENDING):
        return "empty text"
    return None


class Analyzer:
    """The dry run: read everything, count what an import would do, write nothing."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.seen: set[int] = set()
        self.parents = array("q")
        self.threads_with: set[str] = set()
        self.keys: dict[str, bool] = {}

    def add(self, item) -> None:
        report = self.report
        if isinstance(item, records.Thread):
            return
        report.comments += 1
        report.states[item.state] += 1
        reason = prepare(item, report)
        if reason is not None:
            report.skipped[reason] += 1
            return
        key = hash(item.source_id)
        if key in self.seen:
            report.duplicates += 1
            return
        self.seen.add(key)
        thread = item.thread
        if thread.source_key not in self.threads_with:
            self.threads_with.add(thread.source_key)
            external = thread.external_id
            if external not in {(thread.identifier or "").strip(), (thread.url or "").strip()}:
                report.keys_rewritten += 1
        if item.parent_source_id:
            report.replies += 1
            self.parents.append(hash(item.parent_source_id))

    def finish(self) -> Report:
        self.report.parents_missing = sum(1 for p in self.parents if p not in self.seen)
        self.report.threads_with_comments = len(self.threads_with)
        # The sets go before the write pass starts.
        self.seen = set()
        self.parents = array("q")
        self.threads_with = set()
        return self.report


class Writer:
    """Write prepared entries of one source into one site, a batch per transaction."""

    def __init__(self, site, source: str, report: Report, batch_size: int,
                 on_batch=None) -> None:
        self.site = site
        self.site_id = site.id
        self.source = source
        self.report = report
        self.batch_size = batch_size
        self.on_batch = on_batch
        self.scratch = Report(report.format, report.file)
        self.entries: list[records.Entry] = []
        self.seen = 0
        self.threads: dict[str, records.Thread] = {}
        self.article_ids: dict[str, int] = {}
        self._moderators: dict[str, int] | None = None

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
        if len(self.entries) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        entries, self.entries = self.entries, []
        seen, self.seen = self.seen, 0
        try:
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
        carried = {tuple(pair) for entry in fresh if entry.native
                   for pair in _carried(entry.native)}
        if not carried:
            return fresh
        found = set(db.session.execute(
            select(ImportRecord.source, ImportRecord.source_id).where(
                ImportRecord.site_id == self.site_id,
                ImportRecord.source_id.in_({source_id for _, source_id in carried}))
        ).all())
        found = {tuple(pair) for pair in found} & carried
        return [entry for entry in fresh if not (entry.native and any(
            tuple(pair) in found for pair in _carried(entry.native)))]

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
            self._insert_round(ready, known)
            in_batch -= {entry.source_id for entry in ready}
            remaining = waiting

    def _insert_round(self, entries: list[records.Entry], known: dict) -> None:
        now = utcnow()
        rows, pending = [], []
        for entry in entries:
            article_id = self.article_ids[entry.thread.external_id]
            parent = known.get(entry.parent_source_id) if entry.parent_source_id else None
            if parent is not None and parent[2] != article_id:
                parent = None  # a reply on another article: not a parent it can have here
            pending.append(entry.parent_source_id if entry.parent_source_id and parent is None
                           else None)
            rows.append(self._row(entry, article_id, parent, now))
        ids = list(db.session.scalars(
            insert(comments_table).returning(comments_table.c.id, sort_by_parameter_order=True),
            rows,
        ))
        events, import_rows, reactions, flags = [], [], [], []
        published: Counter = Counter()
        latest: dict[int, datetime] = {}
        for entry, row, comment_id, parent_source in zip(entries, rows, ids, pending,
                                                         strict=True):
            known[entry.source_id] = (comment_id, row["root_id"], row["article_id"])
            import_rows.append({"site_id": self.site_id, "source": self.source,
                                "source_id": entry.source_id, "comment_id": comment_id,
                                "parent_source_id": parent_source, "created_at": now})
            events.extend(self._events(entry, row, comment_id))
            if entry.native:
                import_rows.extend(
                    {"site_id": self.site_id, "source": source, "source_id": source_id,
                     "comment_id": comment_id, "parent_source_id": None, "created_at": now}
                    for source, source_id in _carried(entry.native) if source != self.source)
                reactions.extend({"comment_id": comment_id, **r}
                                 for r in _reactions(entry.native))
                flags.extend({"comment_id": comment_id, **f} for f in _flags(entry.native))
            article_id = row["article_id"]
            if row["status"] is CommentStatus.published:
                published[article_id] += 1
            if latest.get(article_id) is None or latest[article_id] < row["created_at"]:
                latest[article_id] = row["created_at"]
        db.session.execute(insert(ImportRecord.__table__), import_rows)
        if events:
            db.session.execute(insert(ModerationEvent.__table__), events)
        if reactions:
            db.session.execute(insert(Reaction.__table__), reactions)
        if flags:
            db.session.execute(insert(Flag.__table__), flags)
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
             for article_id, moment in latest.items()],
        )

    def _row(self, entry: records.Entry, article_id: int, parent, now: datetime) -> dict:
        parent_id = parent[0] if parent else None
        root_id = (parent[1] or parent[0]) if parent else None
        native = entry.native
        if native is not None:
            return {
                "article_id": article_id, "parent_id": parent_id, "root_id": root_id,
                "author_name": entry.author_name, "author_email": entry.author_email,
                "email_hash": native.get("email_hash") or email_hash(entry.author_email),
                "client_hash": str(native.get("client_hash") or "")[:64]
                or text.client_hash(None, self.source, None, entry.source_id),
                "body": entry.body, "status": CommentStatus(native["status"]),
                "reason": str(native.get("reason") or "imported")[:40],
                "matched_word": native.get("matched_word"),
                "scores": native.get("scores"), "max_score": native.get("max_score"),
                "model_id": native.get("model_id"), "language": native.get("language"),
                "is_featured": bool(native.get("is_featured")),
                "like_count": int(native.get("like_count") or 0),
                "flag_count": int(native.get("flag_count") or 0), "version": 1,
                "created_at": entry.created_at,
                "updated_at": text.parse_time(native.get("updated_at")) or now,
                "scored_at": text.parse_time(native.get("scored_at")),
            }
        status, reason = STATUS[entry.state]
        return {
            "article_id": article_id, "parent_id": parent_id, "root_id": root_id,
            "author_name": entry.author_name, "author_email": entry.author_email,
            "email_hash": email_hash(entry.author_email),
            "client_hash": text.client_hash(entry.ip, self.source, entry.author_key,
                                            entry.source_id),
            "body": entry.body, "status": status, "reason": reason, "matched_word": None,
            "scores": None, "max_score": None, "model_id": None, "language": None,
            "is_featured": False, "like_count": 0, "flag_count": 0, "version": 1,
            "created_at": entry.created_at, "updated_at": now, "scored_at": None,
        }

    def _events(self, entry: records.Entry, row: dict, comment_id: int) -> list[dict]:
        if entry.native is None:
            return [{"comment_id": comment_id, "actor_type": ActorType.system,
                     "moderator_id": None, "from_status": None, "to_status": row["status"],
                     "reason": row["reason"],
                     "note": f"imported from {self.source} ({entry.source_id})"[:1000],
                     "created_at": row["created_at"]}]
        events = []
        for decision in entry.native.get("decisions") or []:
            if not isinstance(decision, dict):
                continue
            try:
                events.append({
                    "comment_id": comment_id,
                    "actor_type": ActorType(decision.get("actor_type")),
                    "moderator_id": self.moderators.get(decision.get("moderator") or ""),
                    "from_status": CommentStatus(decision["from_status"])
                    if decision.get("from_status") else None,
                    "to_status": CommentStatus(decision.get("to_status")),
                    "reason": str(decision.get("reason") or "")[:40],
                    "note": decision.get("note"),
                    "created_at": text.parse_time(decision.get("created_at")) or row["created_at"],
                })
            except (ValueError, TypeError):
                continue  # a decision this version cannot read; the comment itself is kept
        return events

    @property
    def moderators(self) -> dict[str, int]:
        if self._moderators is None:
            self._moderators = dict(
                db.session.execute(select(Moderator.email, Moderator.id)).all())
        return self._moderators

    # -- after the last batch ------------------------------------------------------------

    def finish(self) -> None:
        """Write what is left, then link replies whose parent came later in the file."""
        self.flush()
        self.link_parents()

    def link_parents(self) -> None:
        last = 0
        while True:
            page = db.session.execute(
                select(ImportRecord.id, ImportRecord.comment_id, ImportRecord.parent_source_id)
                .where(ImportRecord.site_id == self.site_id, ImportRecord.source == self.source,
                       ImportRecord.parent_source_id.is_not(None), ImportRecord.id > last)
                .order_by(ImportRecord.id).limit(500)
            ).all()
            if not page:
                break
            last = page[-1][0]
            parents = dict(db.session.execute(
                select(ImportRecord.source_id, ImportRecord.comment_id).where(
                    ImportRecord.site_id == self.site_id, ImportRecord.source == self.source,
                    ImportRecord.source_id.in_({row[2] for row in page}))
            ).all())
            for record_id, comment_id, parent_source in page:
                parent_id = parents.get(parent_source)
                if parent_id is None:
                    self.report.parents_still_missing += 1
                    continue
                if self._link(comment_id, parent_id):
                    self.report.parents_linked_later += 1
                else:
                    self.report.parents_still_missing += 1
                db.session.execute(update(ImportRecord).where(ImportRecord.id == record_id)
                                   .values(parent_source_id=None))
            db.session.commit()

    def _link(self, comment_id: int, parent_id: int) -> bool:
        """Hang a stored comment under its parent; False when that would be wrong."""
        child = db.session.execute(select(Comment.article_id).where(Comment.id == comment_id)
                                   ).scalar_one()
        ancestor, parent_article, root = parent_id, None, None
        for depth in range(10_000):
            row = db.session.execute(
                select(Comment.parent_id, Comment.root_id, Comment.article_id)
                .where(Comment.id == ancestor)).one()
            if depth == 0:
                parent_article, root = row.article_id, row.root_id or parent_id
            if ancestor == comment_id:
                return False  # the parent descends from the reply: a cycle in the source
            if row.parent_id is None:
                break
            ancestor = row.parent_id
        if parent_article != child:
            return False
        db.session.execute(update(comments_table).where(comments_table.c.id == comment_id)
                           .values(parent_id=parent_id, root_id=root))
        db.session.execute(update(comments_table).where(comments_table.c.root_id == comment_id)
                           .values(root_id=root))
        return True


def _carried(native: dict) -> list[tuple[str, str]]:
    """The (source, source id) pairs an exported comment was first imported under."""
    pairs = []
    for pair in native.get("imported_from") or []:
        if (isinstance(pair, list | tuple) and len(pair) == 2
                and all(isinstance(part, str) and 0 < len(part) <= 200 for part in pair)
                and len(pair[0]) <= 20):
            pairs.append((pair[0], pair[1]))
    return pairs


def _reactions(native: dict) -> list[dict]:
    out, readers = [], set()
    for reaction in native.get("reactions") or []:
        if (isinstance(reaction, dict) and reaction.get("reader_hash")
                and reaction["reader_hash"] not in readers):
            readers.add(reaction["reader_hash"])
            out.append({"reader_hash": str(reaction["reader_hash"])[:64],
                        "created_at": text.parse_time(reaction.get("created_at")) or utcnow()})
    return out


def _flags(native: dict) -> list[dict]:
    out, readers = [], set()
    for flag in native.get("flags") or []:
        try:
            if flag["reader_hash"] in readers:
                continue
            readers.add(flag["reader_hash"])
            out.append({"reader_hash": str(flag["reader_hash"])[:64],
                        "reason": FlagReason(flag.get("reason")),
                        "note": flag.get("note"), "resolved": bool(flag.get("resolved")),
                        "created_at": text.parse_time(flag.get("created_at")) or utcnow()})
        except (KeyError, ValueError, TypeError):
            continue
    return out
