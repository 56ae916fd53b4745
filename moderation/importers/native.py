"""The service's own export format: versioned JSON Lines, written and read here.

Line 1 is the header {"type": "header", "format": "moderation-export", "version": 1,
"exported_at", "site": {...}}; then one {"type": "article"} line per article, one
{"type": "comment"} line per comment (its decisions, reactions and flags inside it), and a
closing {"type": "end", "articles": N, "comments": N}. docs/IMPORT.md describes each field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from sqlalchemy import select

from moderation.extensions import db
from moderation.importers import records
from moderation.importers.errors import ImportFileError
from moderation.importers.remark42 import json_lines
from moderation.importers.report import Report
from moderation.importers.streams import Limits, Source
from moderation.importers.text import _CONTROL, parse_time
from moderation.models import (
    Article,
    Comment,
    CommentStatus,
    Flag,
    ImportRecord,
    ModerationEvent,
    Moderator,
    Reaction,
    Site,
)
from moderation.models.types import utcnow

SOURCE = "moderation"
FORMAT = "moderation-export"
VERSION = 1
SITE_FIELDS = ("key", "name", "allowed_origins", "thresholds", "premoderate", "language_check",
               "auto_languages", "flag_threshold")
PAGE = 1000


def _time(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


def _line(out: TextIO, record: dict) -> None:
    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")


def export_site(site: Site, out: TextIO) -> dict[str, int]:
    """Write the site's articles, comments, decisions, reactions and flags as JSON Lines.

    Rows are read in keyset pages, so memory stays flat whatever the site's size.
    """
    header = {"type": "header", "format": FORMAT, "version": VERSION,
              "exported_at": _time(utcnow()),
              "site": {name: getattr(site, name) for name in SITE_FIELDS}}
    header["site"]["created_at"] = _time(site.created_at)
    _line(out, header)
    counts = {"articles": 0, "comments": 0}
    last = 0
    while True:
        page = db.session.scalars(
            select(Article).where(Article.site_id == site.id, Article.id > last)
            .order_by(Article.id).limit(PAGE)
        ).all()
        if not page:
            break
        for article in page:
            _line(out, {"type": "article", "external_id": article.external_id,
                        "url": article.url, "title": article.title,
                        "is_closed": article.is_closed, "premoderate": article.premoderate,
                        "created_at": _time(article.created_at),
                        "last_comment_at": _time(article.last_comment_at)})
        counts["articles"] += len(page)
        last = page[-1].id
        db.session.expunge_all()
    moderators = dict(db.session.execute(select(Moderator.id, Moderator.email)).all())
    last = 0
    while True:
        rows = db.session.execute(
            select(Comment, Article.external_id).join(Article, Article.id == Comment.article_id)
            .where(Article.site_id == site.id, Comment.id > last)
            .order_by(Comment.id).limit(PAGE)
        ).all()
        if not rows:
            break
        ids = [comment.id for comment, _ in rows]
        decisions = _by_comment(ModerationEvent, ids)
        reactions = _by_comment(Reaction, ids)
        flags = _by_comment(Flag, ids)
        imports = _by_comment(ImportRecord, ids)
        for comment, external_id in rows:
            record = _comment_record(comment, external_id, moderators,
                                     decisions.get(comment.id, []),
                                     reactions.get(comment.id, []), flags.get(comment.id, []))
            record["imported_from"] = [[r.source, r.source_id]
                                       for r in imports.get(comment.id, [])]
            _line(out, record)
        counts["comments"] += len(rows)
        last = ids[-1]
        db.session.expunge_all()
    _line(out, {"type": "end", **counts})
    db.session.rollback()
    return counts


def _by_comment(model, ids: list[int]) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in db.session.scalars(select(model).where(model.comment_id.in_(ids))
                                  .order_by(model.id)):
        grouped.setdefault(row.comment_id, []).append(row)
    return grouped


def _comment_record(comment: Comment, external_id: str, moderators: dict, decisions: list,
                    reactions: list, flags: list) -> dict:
    return {
        "type": "comment", "id": comment.id, "article": external_id,
        "parent_id": comment.parent_id,
        "author_name": comment.author_name, "author_email": comment.author_email,
        "email_hash": comment.email_hash, "client_hash": comment.client_hash,
        "body": comment.body, "status": comment.status.value, "reason": comment.reason,
        "matched_word": comment.matched_word, "scores": comment.scores,
        "max_score": comment.max_score, "model_id": comment.model_id,
        "language": comment.language, "is_featured": comment.is_featured,
        "like_count": comment.like_count, "flag_count": comment.flag_count,
        "created_at": _time(comment.created_at), "updated_at": _time(comment.updated_at),
        "scored_at": _time(comment.scored_at),
        "decisions": [
            {"actor_type": event.actor_type.value,
             "moderator": moderators.get(event.moderator_id),
             "from_status": event.from_status.value if event.from_status else None,
             "to_status": event.to_status.value, "reason": event.reason, "note": event.note,
             "created_at": _time(event.created_at)}
            for event in decisions
        ],
        "reactions": [{"reader_hash": r.reader_hash, "created_at": _time(r.created_at)}
                      for r in reactions],
        "flags": [{"reader_hash": f.reader_hash, "reason": f.reason.value, "note": f.note,
                   "resolved": f.resolved, "created_at": _time(f.created_at)} for f in flags],
    }


STATUSES = {status.value for status in CommentStatus}


class NativeReader:
    """Read an export written by export_site (gzipped or not)."""

    source = SOURCE

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.header: dict | None = None

    def read(self, report: Report, progress=None) -> Iterator[records.Thread | records.Entry]:
        threads: dict[str, records.Thread] = {}
        counts = {"articles": 0, "comments": 0}
        end = None
        with Source(self.path, self.limits) as source:
            lines = json_lines(source, "moderation export")
            first = next(lines, None)
            header = first[1] if first else None
            if not (isinstance(header, dict) and header.get("format") == FORMAT):
                raise ImportFileError(
                    f"{self.path} is not an export of this service: its first line is not "
                    f'a header with "format": "{FORMAT}"'
                )
            version = header.get("version")
            if not isinstance(version, int) or version > VERSION or version < 1:
                raise ImportFileError(
                    f"{self.path} is an export of format version {version}; this service "
                    f"reads versions 1 to {VERSION}: upgrade it first"
                )
            self.header = header
            for number, record in lines:
                if end is not None:
                    raise ImportFileError(f"{self.path}: line {number} follows the end line")
                kind = record.get("type") if isinstance(record, dict) else None
                if kind == "article":
                    counts["articles"] += 1
                    thread = _thread(record)
                    if thread is not None:
                        threads[thread.source_key] = thread
                        yield thread
                elif kind == "comment":
                    counts["comments"] += 1
                    if progress is not None:
                        progress(source.position)
                    yield _entry(record, threads)
                elif kind == "end":
                    end = record
                else:
                    raise ImportFileError(f"{self.path}: line {number} is not an article, "
                                          "comment or end record")
        report.threads = len(threads)
        if end is None:
            raise ImportFileError(
                f"{self.path} has no end line: the export is truncated; export it again"
            )
        if any(end.get(key) != value for key, value in counts.items()):
            raise ImportFileError(
                f"{self.path} is incomplete: its end line counts {end.get('articles')} "
                f"articles and {end.get('comments')} comments, the file holds "
                f"{counts['articles']} and {counts['comments']}"
            )


def _thread(record: dict) -> records.Thread | None:
    key = str(record.get("external_id") or "").strip()
    if not key:
        return None
    return records.Thread(
        source_key=key, identifier=key, url=record.get("url"), title=record.get("title"),
        closed=bool(record.get("is_closed")), premoderate=bool(record.get("premoderate")),
        created_at=parse_time(record.get("created_at")),
    )


def _entry(record: dict, threads: dict[str, records.Thread]) -> records.Entry:
    status = record.get("status")
    parent = record.get("parent_id")
    return records.Entry(
        source_id=str(record.get("id") or ""),
        thread=threads.get(str(record.get("article") or "")),
        parent_source_id=str(parent) if parent else None,
        author_name=_CONTROL.sub("", str(record.get("author_name") or ""))[:80] or "Anonymous",
        author_email=record.get("author_email"),
        author_key=None,
        ip=None,
        created_at=parse_time(record.get("created_at")),
        body=_CONTROL.sub("", str(record.get("body") or "")),
        state={"published": records.PUBLISHED, "pending_review": records.PENDING}.get(
            status, status if status in STATUSES else "unknown"),
        native=record if status in STATUSES else None,
        notes=[] if status in STATUSES else ["unknown status"],
    )
