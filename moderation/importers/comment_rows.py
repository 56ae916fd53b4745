"""How an imported entry becomes a comment row and its audit events, ready to write."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from moderation.clients import email_hash
from moderation.extensions import db
from moderation.importers import records, text
from moderation.models import ActorType, CommentStatus, Moderator

# How a source's state becomes a status here, and the reason the comment carries.
STATUS = {
    records.PUBLISHED: (CommentStatus.published, "imported"),
    records.PENDING: (CommentStatus.pending_review, "imported_pending"),
    records.DELETED: (CommentStatus.deleted, "imported_deleted"),
    records.SPAM: (CommentStatus.rejected, "imported_spam"),
}

class CommentRow(NamedTuple):
    """An imported comment's columns, in the order they are written."""

    article_id: int
    parent_id: int | None
    root_id: int | None
    author_name: str
    author_email: str | None
    email_hash: str | None
    client_hash: str
    body: str
    status: CommentStatus
    reason: str
    matched_word: str | None
    scores: dict | None
    max_score: float | None
    model_id: str | None
    language: str | None
    is_featured: bool
    like_count: int
    flag_count: int
    version: int
    created_at: datetime
    updated_at: datetime
    scored_at: datetime | None


HASHES_KEPT = 65536


class RowBuilder:
    """Build one source's comment rows and events, hashing each repeated address once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._moderators: dict[str, int] | None = None
        # Exports repeat their regular commenters' addresses: each is hashed once, up to
        # HASHES_KEPT of them at a time (the salt is the app's, so the cache is the import's).
        self._hashes: dict[tuple[str, str | None], str | None] = {}

    def row(self, entry: records.Entry, article_id: int, parent, now: datetime) -> CommentRow:
        """Return the entry's comment row under its article and parent (id, root id)."""
        parent_id = parent[0] if parent else None
        root_id = (parent[1] or parent[0]) if parent else None
        native = entry.native
        if native is not None:
            return CommentRow(
                article_id=article_id, parent_id=parent_id, root_id=root_id,
                author_name=entry.author_name, author_email=None,
                email_hash=native.get("email_hash") or email_hash(entry.author_email),
                client_hash=str(native.get("client_hash") or "")[:64]
                or text.client_hash(None, self.source, None, entry.source_id),
                body=entry.body, status=CommentStatus(native["status"]),
                reason=str(native.get("reason") or "imported")[:40],
                matched_word=native.get("matched_word"),
                scores=native.get("scores"), max_score=native.get("max_score"),
                model_id=native.get("model_id"), language=native.get("language"),
                is_featured=bool(native.get("is_featured")),
                like_count=int(native.get("like_count") or 0),
                flag_count=int(native.get("flag_count") or 0), version=1,
                created_at=entry.created_at,
                updated_at=text.parse_time(native.get("updated_at")) or now,
                scored_at=text.parse_time(native.get("scored_at")),
            )
        status, reason = STATUS[entry.state]
        return CommentRow(
            article_id, parent_id, root_id, entry.author_name, None,
            self._email_hash(entry.author_email),
            self._client_hash(entry), entry.body, status, reason, None, None, None, None,
            None, False, 0, 0, 1, entry.created_at, now, None,
        )

    def events(self, entry: records.Entry, row: CommentRow, comment_id: int) -> list[tuple]:
        """Return the audit events of an entry's comment, its own decisions when it carries them."""
        if entry.native is None:
            return [(comment_id, ActorType.system, None, None, row.status, row.reason,
                     f"imported from {self.source} ({entry.source_id})"[:1000],
                     row.created_at)]
        events = []
        for decision in entry.native.get("decisions") or []:
            if not isinstance(decision, dict):
                continue
            try:
                events.append((
                    comment_id,
                    ActorType(decision.get("actor_type")),
                    self.moderators.get(decision.get("moderator") or ""),
                    CommentStatus(decision["from_status"])
                    if decision.get("from_status") else None,
                    CommentStatus(decision.get("to_status")),
                    str(decision.get("reason") or "")[:40],
                    decision.get("note"),
                    text.parse_time(decision.get("created_at")) or row.created_at,
                ))
            except (ValueError, TypeError):
                continue  # a decision this version cannot read; the comment itself is kept
        return events

    def _email_hash(self, email: str | None) -> str | None:
        key = ("email", email)
        if key not in self._hashes:
            self._keep(key, email_hash(email))
        return self._hashes[key]

    def _client_hash(self, entry: records.Entry) -> str:
        key = ("ip", entry.ip)
        value = self._hashes.get(key)
        if value is None:
            value = text.client_hash(entry.ip, self.source, entry.author_key, entry.source_id)
            if text.canonical_ip(entry.ip) is not None:  # else it stands for the author
                self._keep(key, value)
        return value

    def _keep(self, key: tuple[str, str | None], value: str | None) -> None:
        if len(self._hashes) >= HASHES_KEPT:
            self._hashes.clear()
        self._hashes[key] = value

    @property
    def moderators(self) -> dict[str, int]:
        if self._moderators is None:
            self._moderators = dict(
                db.session.execute(select(Moderator.email, Moderator.id)).all())
        return self._moderators
