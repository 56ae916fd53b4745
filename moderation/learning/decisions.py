"""The decision store: each scored comment's final human verdict, plus clients' feedback.

Built from what already exists: moderators' `moderation_events` (an undone decision no
longer counts), the scores and model id stored with each comment, and the verdicts
Perspective clients send to `comments:suggestscore` (`decision_feedback`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import (
    ActorType,
    Article,
    Comment,
    CommentStatus,
    DecisionFeedback,
    ModerationEvent,
    Moderator,
    Site,
)
from moderation.scoring.base import LABELS

APPROVED, REJECTED = "approved", "rejected"
# Toggling an editor's pick on a published comment says nothing about its acceptability.
TOGGLES = frozenset({"featured", "unfeatured"})
CSV_COLUMNS = ("source", "id", "article", "created_at", "decided_at", "verdict", "reason",
               "decided_by", "automatic_status", "automatic_reason", "model_id", "language",
               *LABELS)


@dataclass(frozen=True)
class LabelledDecision:
    """One human verdict on one scored item, with what the model said about it."""

    source: str  # "comment" (a moderator's decision) or "feedback" (a Perspective client)
    item_id: int
    created_at: datetime  # when the comment arrived: orders the time split
    decided_at: datetime
    verdict: str  # approved or rejected
    reason: str
    decided_by: str  # the moderator's email, or the feedback's client
    scores: dict | None
    model_id: str | None
    language: str | None
    article: str | None = None
    automatic_status: str | None = None
    automatic_reason: str | None = None

    @property
    def rejected(self) -> bool:
        """Tell whether the humans rejected the item."""
        return self.verdict == REJECTED

    def csv_row(self) -> list:
        """Return the row of the CSV export."""
        scores = self.scores or {}
        return [self.source, self.item_id, self.article or "", self.created_at.isoformat(),
                self.decided_at.isoformat(), self.verdict, self.reason, self.decided_by,
                self.automatic_status or "", self.automatic_reason or "", self.model_id or "",
                self.language or "", *(scores.get(label, "") for label in LABELS)]


def _is_verdict(event: ModerationEvent) -> bool:
    """Tell whether a moderator's event publishes or rejects (an undo or a toggle does not)."""
    if event.actor_type is not ActorType.moderator or event.reason == "undo":
        return False
    if event.reason in TOGGLES and event.from_status is event.to_status:
        return False
    return event.to_status in (CommentStatus.published, CommentStatus.rejected)


def final_verdicts(events: list[ModerationEvent]) -> ModerationEvent | None:
    """Return the comment's last moderator verdict that was not undone, from its events."""
    standing: list[ModerationEvent] = []
    for event in events:
        if event.reason == "undo" and (event.note or "").startswith("event:"):
            undone = int(event.note.split(":", 1)[1])
            standing = [e for e in standing if e.id != undone]
        elif _is_verdict(event):
            standing.append(event)
    return standing[-1] if standing else None


def _comment_decisions(site: Site) -> list[LabelledDecision]:
    """Return the final moderator verdicts on the site's scored comments."""
    decided = (select(ModerationEvent.comment_id)
               .join(Comment, Comment.id == ModerationEvent.comment_id)
               .join(Article, Article.id == Comment.article_id)
               .where(Article.site_id == site.id, ModerationEvent.moderator_id.is_not(None)))
    rows = db.session.execute(
        select(ModerationEvent, Comment, Article.external_id, Moderator.email)
        .join(Comment, Comment.id == ModerationEvent.comment_id)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(Moderator, Moderator.id == ModerationEvent.moderator_id)
        .where(ModerationEvent.comment_id.in_(decided))
        .order_by(ModerationEvent.comment_id, ModerationEvent.id)
    ).all()
    by_comment: dict[int, list] = {}
    for event, comment, article, email in rows:
        by_comment.setdefault(comment.id, []).append((event, comment, article, email))
    found = []
    for items in by_comment.values():
        events = [item[0] for item in items]
        verdict = final_verdicts(events)
        _, comment, article, _ = items[0]
        if verdict is None or not comment.scores:  # unscored: nothing to learn a threshold from
            continue
        first = events[0]
        email = next(item[3] for item in items if item[0].id == verdict.id)
        found.append(LabelledDecision(
            source="comment", item_id=comment.id, created_at=comment.created_at,
            decided_at=verdict.created_at,
            verdict=APPROVED if verdict.to_status is CommentStatus.published else REJECTED,
            reason=verdict.reason, decided_by=email or f"moderator:{verdict.moderator_id}",
            scores=comment.scores, model_id=comment.model_id, language=comment.language,
            article=article,
            automatic_status=first.to_status.value if first.actor_type is ActorType.system
            else None,
            automatic_reason=first.reason if first.actor_type is ActorType.system else None,
        ))
    return found


def _feedback_decisions(site: Site) -> list[LabelledDecision]:
    """Return the verdicts Perspective clients sent for the site."""
    rows = db.session.scalars(select(DecisionFeedback).where(DecisionFeedback.site_id == site.id))
    return [LabelledDecision(
        source="feedback", item_id=row.id, created_at=row.created_at, decided_at=row.created_at,
        verdict=row.verdict, reason=row.reason,
        decided_by=f"feedback:{row.community_id or row.api_key_id or 'client'}",
        scores=row.scores, model_id=row.model_id, language=row.language,
        article=row.external_id) for row in rows]


def load_decisions(site: Site) -> list[LabelledDecision]:
    """Return every labelled decision of a site, oldest comment first."""
    rows = _comment_decisions(site) + _feedback_decisions(site)
    return sorted(rows, key=lambda row: (row.created_at, row.source, row.item_id))


def write_csv(rows: list[LabelledDecision], handle) -> None:
    """Write the decisions as CSV: one row each, the six scores as columns, no comment text."""
    writer = csv.writer(handle)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(row.csv_row() for row in rows)
