"""What the service learns from its moderators: client feedback, policy changes, shadow runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.extensions import db
from moderation.models.types import BigId, utcnow


class DecisionFeedback(db.Model):
    """A moderator's verdict sent by a Perspective client (comments:suggestscore); no text."""

    __tablename__ = "decision_feedback"
    __table_args__ = (Index("ix_decision_feedback_site", "site_id", "external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    # The client's own id for the comment (Coral's comment id), so a later verdict replaces it.
    external_id: Mapped[str | None] = mapped_column(String(200))
    community_id: Mapped[str | None] = mapped_column(String(200))
    verdict: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40))
    suggested: Mapped[dict] = mapped_column(JSON, default=dict)
    # Our model's scores of the text when the verdict arrived; the text itself is not kept.
    scores: Mapped[dict | None] = mapped_column(JSON)
    model_id: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyChange(db.Model):
    """An audited change of a site's thresholds: calibration, promotion or rollback."""

    __tablename__ = "policy_changes"
    __table_args__ = (Index("ix_policy_changes_site", "site_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    # What the change rested on: the measured outcomes, targets and decision counts.
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    rolled_back_by_id: Mapped[int | None] = mapped_column(ForeignKey("policy_changes.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShadowPolicy(db.Model):
    """A candidate policy that runs beside the live one; its decisions are never acted on."""

    __tablename__ = "shadow_policies"
    __table_args__ = (Index("ix_shadow_policies_site", "site_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    thresholds: Mapped[dict] = mapped_column(JSON, default=dict)
    # Set when the candidate is a site model version rather than thresholds alone.
    site_model_id: Mapped[int | None] = mapped_column(
        ForeignKey("site_models.id", ondelete="CASCADE"))
    # running, promoted or discarded
    status: Mapped[str] = mapped_column(String(20), default="running")
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()


class ShadowDecision(db.Model):
    """Where a shadow policy would have sent one comment, recorded when the comment arrived."""

    __tablename__ = "shadow_decisions"
    __table_args__ = (Index("ix_shadow_decisions_policy", "shadow_id", "comment_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    shadow_id: Mapped[int] = mapped_column(ForeignKey("shadow_policies.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40))
    live_status: Mapped[str] = mapped_column(String(20))
    live_reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SiteModel(db.Model):
    """A per-site logistic regression on the six scores, fitted from the site's decisions."""

    __tablename__ = "site_models"
    __table_args__ = (Index("ix_site_models_site", "site_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    # {"features": [...], "coef": [...], "intercept": x, "base_model_id": ...}
    weights: Mapped[dict] = mapped_column(JSON)
    # Held-out comparison with the bundled scores on the newest decisions.
    metrics: Mapped[dict] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
