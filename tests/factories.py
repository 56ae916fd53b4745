"""Factories for moderators and comments, stored as the product would store them."""

from __future__ import annotations

from datetime import timedelta

from moderation.extensions import db
from moderation.models import ActorType, Article, Comment, CommentStatus, Moderator, Role, Site
from moderation.models.types import utcnow
from moderation.services.decisions import bump_article, record_event

PASSWORD = "correct horse battery"
BENIGN = {"toxicity": 0.05, "severe_toxicity": 0.01, "obscene": 0.02, "threat": 0.01,
          "insult": 0.03, "identity_attack": 0.01}


def make_moderator(email: str, role: Role = Role.moderator, **fields) -> Moderator:
    """Create an account with the test password."""
    moderator = Moderator(email=email, role=role, **fields)
    moderator.set_password(PASSWORD)
    db.session.add(moderator)
    db.session.commit()
    return moderator


def make_comment(site_key: str = "news", article: str = "a-1", *, body: str = "A fair point.",
                 status: CommentStatus = CommentStatus.pending_review, reason: str = "threshold",
                 scores: dict | None = None, author: str = "Ann", email_hash: str | None = None,
                 client_hash: str = "c" * 64, age_minutes: int = 0, parent: Comment | None = None,
                 ) -> Comment:
    """Store a comment and its creation event as the submit pipeline would."""
    site = db.session.query(Site).filter_by(key=site_key).one()
    art = db.session.query(Article).filter_by(site_id=site.id, external_id=article).first()
    if art is None:
        art = Article(site_id=site.id, external_id=article, title=f"Title of {article}",
                      url=f"https://news.example/{article}")
        db.session.add(art)
        db.session.flush()
    scores = BENIGN if scores is None else scores
    comment = Comment(
        article_id=art.id, author_name=author, email_hash=email_hash, client_hash=client_hash,
        body=body, status=status, reason=reason, scores=scores or None,
        max_score=max(scores.values()) if scores else None,
        created_at=utcnow() - timedelta(minutes=age_minutes),
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
    )
    db.session.add(comment)
    db.session.flush()
    record_event(comment, from_status=None, actor=ActorType.system, reason=reason)
    bump_article(art.id, int(status is CommentStatus.published))
    db.session.commit()
    return comment
