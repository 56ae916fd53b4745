"""Answer Coral from the site's policy and model: status, flags, and what is kept."""

from __future__ import annotations

from flask import current_app
from prometheus_client import Counter

from moderation.api.schemas import has_visible_text
from moderation.coral.text import plain_text
from moderation.extensions import db
from moderation.models import CommentStatus, CoralVerdict, Site
from moderation.policy.routing import Decision
from moderation.policy.verdict import route_comment

ANSWERS = Counter("moderation_coral_answers", "Answers to Coral's external moderation phase",
                  ["site_id", "status"])
TOXIC = {"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}
# Held because of what the text says: Coral withholds it and shows moderators the flag.
FLAGGED_REVIEW = frozenset({"threshold", "suspect_word"})
SCORER_DOWN = "scorer_unavailable"


def _result(status: str, flagged: bool) -> dict:
    return {"status": status, "actions": [dict(TOXIC)] if flagged else [], "tags": []}


def coral_result(decision: Decision) -> dict | None:
    """Return Coral's answer for a routed comment; None means no opinion (HTTP 204)."""
    if decision.status is CommentStatus.published:
        return _result("APPROVED", False)
    if decision.status is CommentStatus.rejected:
        return _result("REJECTED", True)
    if decision.reason == SCORER_DOWN:
        # Unscored: hold it for Coral's moderators, or let Coral's other phases decide.
        if current_app.config["CORAL_ON_SCORER_FAILURE"] == "none":
            return None
        return _result("PREMOD", False)
    if decision.reason in FLAGGED_REVIEW:
        return _result("SYSTEM_WITHHELD", True)
    # Pre-moderation, or a language no model of the site reads: a human decides.
    return _result("PREMOD", False)


def moderate(site: Site, request: dict) -> dict | None:
    """Route a Coral comment by the site's policy; keep a verdict row only if the site asks."""
    text = plain_text(request["comment"]["body"])
    if not has_visible_text(text):
        ANSWERS.labels(str(site.id), "no_opinion").inc()
        return None
    verdict = route_comment(site, None, text, text, banned=False,
                            timeout=current_app.config["CORAL_SCORE_TIMEOUT_SECONDS"])
    answer = coral_result(verdict.decision)
    status = answer["status"] if answer else "no_opinion"
    ANSWERS.labels(str(site.id), status).inc()
    if site.coral_log_verdicts:
        scores = verdict.scores
        db.session.add(CoralVerdict(
            site_id=site.id, action=request["action"], story_id=request["story"]["id"],
            author_id=request["author"]["id"], status=status, reason=verdict.decision.reason,
            max_score=max(scores.values()) if scores else None, model_id=verdict.model_id,
        ))
        db.session.commit()
    return answer
