"""Status changes of comments: counters, revisions, the audit event, a moderator's commit."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from moderation.errors import Conflict, NotFound
from moderation.extensions import db
from moderation.models import (
    ActorType,
    Comment,
    CommentStatus,
    Flag,
    ModerationEvent,
    Moderator,
)
from moderation.models.types import utcnow
from moderation.readers.generations import note_article
from moderation.services.tallies import tally_articles

# The reason of a comment accepted in queue mode until the scoring worker decides it.
AWAITING_SCORE = "awaiting_score"

_BATCH = "moderation.decision_batch"
# Comment's attribute names to their table's column names, for write_decided.
_COMMENT_COLUMNS = {attr.key: attr.columns[0].name
                    for attr in inspect(Comment).column_attrs}


@dataclass
class _Batch:
    """The decisions of one open batch, and their counter changes, written on leaving it."""

    decisions: list[tuple[Comment, ModerationEvent]] = field(default_factory=list)
    tallies: list[tuple[int, int, datetime | None]] = field(default_factory=list)


@contextmanager
def decision_batch() -> Iterator[None]:
    """Record the decisions made inside together: the article counters in one statement per
    article and the hooks' rows in one go, all flushed once, when the block ends normally.

    The transaction stays the caller's; an exception leaves nothing of the block written.
    """
    session = db.session
    if _BATCH in session.info:
        yield  # an enclosing batch writes everything
        return
    batch = session.info[_BATCH] = _Batch()
    try:
        # A query inside (a site's words, a shadow run) would otherwise flush every
        # pending row first, once per comment.
        with session.no_autoflush:
            yield
            del session.info[_BATCH]
            write_decided(session, [comment for comment, _ in batch.decisions])
            tally_articles(session, batch.tallies)
            _run_hooks(batch.decisions)
    finally:
        session.info.pop(_BATCH, None)


def write_decided(session, comments: list[Comment]) -> None:
    """Write the changed comments in one versioned executemany UPDATE, where the driver
    counts the rows such a statement matched; raise StaleDataError if any had moved on.

    The ORM sends a versioned UPDATE a row (it cannot tell which row of a batch missed);
    here the batch is one round trip, and the comments are left as if flushed.
    """
    if not session.get_bind().dialect.supports_sane_multi_rowcount:
        return  # SQLite: the flush writes them, a statement each, inside this process
    # By identity: a comment decided twice in one batch is written once.
    changed = [state for state in {id(c): inspect(c) for c in comments}.values()
               if state.persistent and state.modified]
    keys = sorted({key for state in changed for key in state.committed_state
                   if key in _COMMENT_COLUMNS and key != "version"})
    if not keys:
        return
    table = Comment.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values({**{_COMMENT_COLUMNS[key]: bindparam(f"v_{key}",
                                                     type_=table.c[_COMMENT_COLUMNS[key]].type)
                    for key in keys},
                 "version": table.c.version + 1})
        # set_status noted each comment's article for the readers' caches already.
        .execution_options(readers_noted=True)
    )
    comments = [state.obj() for state in changed]
    rows = [{"b_id": c.id, "b_version": c.version, **{f"v_{k}": getattr(c, k) for k in keys}}
            for c in comments]
    matched = session.execute(statement, rows).rowcount
    if matched != len(rows):
        raise StaleDataError(
            f"UPDATE of comments expected to match {len(rows)} rows; {matched} matched")
    for comment in comments:
        for key in keys:
            set_committed_value(comment, key, getattr(comment, key))
        set_committed_value(comment, "version", comment.version + 1)


def bump_article(article_id: int, published_delta: int = 0,
                 commented_at: datetime | None = None, *, seen_by_readers: bool = True) -> None:
    """Adjust an article's published count and revision with the current transaction."""
    if seen_by_readers:
        note_article(db.session, article_id)
    batch = db.session.info.get(_BATCH)
    if batch is not None:
        batch.tallies.append((article_id, published_delta, commented_at))
    else:
        tally_articles(db.session, [(article_id, published_delta, commented_at)])


# What else decisions write in their own transaction (webhook deliveries, reply notices);
# registered by the factory, so services import none of those packages.
_decision_hooks: list[Callable[[list[tuple[Comment, ModerationEvent]]], None]] = []


def on_decisions(hook: Callable[[list[tuple[Comment, ModerationEvent]]], None]) -> None:
    """Call hook([(comment, event), ...]) with the decisions recorded, inside their transaction."""
    if hook not in _decision_hooks:
        _decision_hooks.append(hook)


def _run_hooks(decisions: list[tuple[Comment, ModerationEvent]]) -> None:
    if decisions:
        for hook in _decision_hooks:
            hook(decisions)


def record_event(comment: Comment, *, from_status: CommentStatus | None, actor: ActorType,
                 reason: str, moderator_id: int | None = None, note: str | None = None
                 ) -> ModerationEvent:
    """Add the audit event for a decision to the current transaction."""
    event = ModerationEvent(
        comment_id=comment.id,
        actor_type=actor,
        moderator_id=moderator_id,
        from_status=from_status,
        to_status=comment.status,
        reason=reason,
        note=note,
    )
    db.session.add(event)
    batch = db.session.info.get(_BATCH)
    if batch is not None:
        batch.decisions.append((comment, event))
    else:
        _run_hooks([(comment, event)])
    return event


def set_status(comment: Comment, status: CommentStatus, *, reason: str, actor: ActorType,
               moderator_id: int | None = None, note: str | None = None) -> ModerationEvent:
    """Change a comment's status inside the caller's transaction, keeping counts and audit."""
    old = comment.status
    # A comment accepted for the scoring worker moved no counter; its first decision
    # brings its time to the article, as a post decided at once does.
    commented_at = comment.created_at if comment.reason == AWAITING_SCORE else None
    comment.status = status
    comment.reason = reason
    comment.updated_at = utcnow()
    delta = int(status is CommentStatus.published) - int(old is CommentStatus.published)
    bump_article(comment.article_id, delta, commented_at=commented_at)
    return record_event(comment, from_status=old, actor=actor, reason=reason,
                        moderator_id=moderator_id, note=note)


def decision_labels(event: ModerationEvent) -> tuple[str, str, str]:
    """Return the metric labels of a recorded decision: status, reason and actor."""
    return event.to_status.value, event.reason or "", event.actor_type.value


@dataclass(frozen=True)
class Outcome:
    """What an action did, in words a moderator reads in the status line."""

    comment_id: int
    status: CommentStatus
    version: int
    message: str


def one_flush(action):
    """Run an action without autoflush, so its changes reach the row in one versioned UPDATE."""

    @functools.wraps(action)
    def wrapper(*args, **kwargs):
        with db.session.no_autoflush:
            return action(*args, **kwargs)

    return wrapper


def _who_decided(comment_id: int) -> str:
    """Return the email of the moderator behind the comment's latest event, or 'the system'."""
    email = db.session.scalar(
        select(Moderator.email)
        .join(ModerationEvent, ModerationEvent.moderator_id == Moderator.id)
        .where(ModerationEvent.comment_id == comment_id)
        .order_by(ModerationEvent.id.desc())
        .limit(1)
    )
    return email or "the system"


def already_decided(comment_id: int) -> Conflict:
    """Return the conflict a moderator sees when someone else acted first."""
    return Conflict(
        f"Comment {comment_id} was already decided by {_who_decided(comment_id)}; "
        "reload to see its current state.",
        code="already_decided",
    )


def load_for_decision(comment_id: int, version: int | None) -> Comment:
    """Return the comment, refusing it when it changed since the moderator saw it."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"No comment {comment_id}.", code="comment_not_found")
    if version is not None and comment.version != version:
        db.session.rollback()
        raise already_decided(comment_id)
    return comment


def commit_decision(comment_ids: list[int]) -> None:
    """Commit; a concurrent decision makes the versioned UPDATE miss, and nothing is kept."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise already_decided(comment_ids[0]) from None


def _resolve_flags(comment: Comment) -> None:
    """Mark readers' reports on the comment as handled; its open-report count drops to 0."""
    handled = db.session.execute(
        update(Flag).where(Flag.comment_id == comment.id, Flag.resolved.is_(False))
        .values(resolved=True)
    ).rowcount
    if handled or comment.flag_count:
        comment.flag_count = 0


def decide_as_moderator(comment: Comment, status: CommentStatus, reason: str,
                        moderator: Moderator, note: str | None = None) -> None:
    """Change the status as a moderator and audit it, inside the current transaction."""
    if comment.status is status and comment.reason == reason:
        raise Conflict(f"Comment {comment.id} is already {status.value}.", code="no_change")
    set_status(comment, status, reason=reason, actor=ActorType.moderator,
               moderator_id=moderator.id, note=note)
    _resolve_flags(comment)
