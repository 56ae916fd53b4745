"""Verdicts that Perspective clients send to comments:suggestscore, kept as labels without text.

Coral Talk posts `attributeScores: {"APPROVED" | "DELETED": {summaryScore: {value: 1}}}` after
each moderator decision, with its comment id in a JSON context entry. Other clients suggest
a score for an attribute (TOXICITY 0.9): 0.5 or more counts as a rejection.
"""

from __future__ import annotations

import json

from flask import current_app
from sqlalchemy import select

from moderation.extensions import db, scorer
from moderation.models import DecisionFeedback
from moderation.models.types import utcnow
from moderation.perspective.errors import invalid_argument
from moderation.scoring.base import ScorerUnavailable
from moderation.scoring.batcher import score_texts
from moderation.scoring.language import detect_language

VERDICT_ATTRIBUTES = {"APPROVED": "approved", "ACCEPTED": "approved", "DELETED": "rejected",
                      "REJECTED": "rejected"}


def _summary_value(name: str, scores: dict) -> float:
    """Return an attribute's suggested summary score, refusing one that is not a probability."""
    value = (scores.get("summaryScore") or {}).get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise invalid_argument(f"Invalid value at 'attribute_scores[{name}].summary_score.value'")
    return float(value)


def feedback_verdict(attribute_scores: dict) -> tuple[str, str, dict]:
    """Return (verdict, reason, suggested scores) from a request's attributeScores."""
    if not attribute_scores:
        raise invalid_argument("Attribute scores must not be empty.")
    suggested = {name: _summary_value(name, scores) for name, scores in attribute_scores.items()}
    for name, value in suggested.items():
        if name in VERDICT_ATTRIBUTES and value >= 0.5:
            return VERDICT_ATTRIBUTES[name], name.lower()[:40], suggested
    name, value = max(suggested.items(), key=lambda item: item[1])
    return ("rejected" if value >= 0.5 else "approved"), f"suggested_{name.lower()}"[:40], suggested


def client_comment_id(data: dict) -> str | None:
    """Return the client's id for the comment: Coral's context entry, else the clientToken."""
    for entry in (data.get("context") or {}).get("entries") or []:
        try:
            fields = json.loads(entry.get("text") or "")
        except ValueError:
            continue
        if isinstance(fields, dict) and fields.get("Coral_comment_id"):
            return str(fields["Coral_comment_id"])[:200]
    token = data.get("clientToken")
    return token[:200] if token else None


def _score(text: str) -> tuple[dict | None, str | None]:
    """Score the text with the main model; (None, None) when it cannot answer."""
    try:
        return score_texts([text])[0], scorer.get().model_id
    except ScorerUnavailable as exc:
        current_app.logger.warning("feedback kept without scores: %s", exc.__class__.__name__)
        return None, None


def store_feedback(site_id: int, api_key_id: int, data: dict, text: str) -> DecisionFeedback:
    """Keep a client's verdict with our scores of the text; a later verdict replaces it."""
    verdict, reason, suggested = feedback_verdict(data["attributeScores"])
    external_id = client_comment_id(data)
    scores, model_id = _score(text)
    row = None
    if external_id:
        row = db.session.scalar(select(DecisionFeedback).where(
            DecisionFeedback.site_id == site_id, DecisionFeedback.external_id == external_id))
    if row is None:
        row = DecisionFeedback(site_id=site_id, external_id=external_id)
        db.session.add(row)
    row.api_key_id = api_key_id
    row.community_id = (data.get("communityId") or "")[:200] or None
    row.verdict, row.reason, row.suggested = verdict, reason, suggested
    row.scores, row.model_id, row.language = scores, model_id, detect_language(text)
    row.created_at = utcnow()
    db.session.commit()
    return row
