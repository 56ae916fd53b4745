"""Decided comments for the learning tests, stored as the pipeline and the dashboard store them."""

from __future__ import annotations

from moderation.extensions import db, scorer
from moderation.services import actions
from tests.factories import make_comment, make_moderator

CLEAN = {"toxicity": 0.05, "severe_toxicity": 0.01, "obscene": 0.02, "threat": 0.01,
         "insult": 0.03, "identity_attack": 0.01}


def mild(insult: float) -> dict:
    """Return scores of a mildly insulting comment."""
    return CLEAN | {"insult": insult, "toxicity": insult}


def seed_strict_decisions(n: int = 60, site_key: str = "news") -> list:
    """Store n decided comments: moderators reject insults the default policy publishes."""
    moderators = [make_moderator(f"m{i}@example.org") for i in range(3)]
    model_id = scorer.get().model_id
    ids = []
    for number in range(n):
        rude = number % 4 == 0
        comment = make_comment(site_key, f"a-{number % 5}", body=f"comment {number}",
                               scores=mild(0.3 + number % 7 / 100) if rude else CLEAN)
        comment.model_id, comment.language = model_id, "en"
        db.session.commit()
        moderator = moderators[number % 3]
        if rude:
            actions.reject(comment.id, moderator, version=comment.version)
        else:
            actions.approve(comment.id, moderator, version=comment.version)
        ids.append(comment.id)
    return ids
