"""Sites that embed the widgets, and the articles they host."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.extensions import db
from moderation.models.types import BigId, utcnow


class Site(db.Model):
    """A news site: its key, allowed origins and moderation policy."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    allowed_origins: Mapped[list] = mapped_column(JSON, default=list)
    # {"approve": {label: x}, "reject": {label: y}}; missing labels use the defaults.
    thresholds: Mapped[dict] = mapped_column(JSON, default=dict)
    premoderate: Mapped[bool] = mapped_column(default=False)
    language_check: Mapped[bool] = mapped_column(default=True)
    # Languages a per-language model decides automatically; None means all the service scores.
    auto_languages: Mapped[list | None] = mapped_column(JSON, default=None)
    flag_threshold: Mapped[int] = mapped_column(default=3)
    # Readers: may anyone post without the site's sign-in, is each SSO token id single-use,
    # and are an erased reader's comments "anonymise"d (kept, unattributed) or "remove"d.
    allow_anonymous: Mapped[bool] = mapped_column(default=True)
    sso_replay_protection: Mapped[bool] = mapped_column(default=False)
    erase_mode: Mapped[str] = mapped_column(String(20), default="anonymise")
    # Coral's signing secrets for its external moderation phase (HMAC needs them in clear);
    # None: the site takes no Coral requests. Two during a rotation.
    coral_secrets: Mapped[list | None] = mapped_column(JSON, default=None)
    # Keep a CoralVerdict row (ids and status, never text) per Coral answer; off: keep nothing.
    coral_log_verdicts: Mapped[bool] = mapped_column(default=False)
    # Tell authors before posting when the model would hold or reject their comment.
    nudge_authors: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="site")


class Article(db.Model):
    """An article of a site, known by the site's own id; counts are kept on it."""

    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("site_id", "external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(500))
    is_closed: Mapped[bool] = mapped_column(default=False)
    premoderate: Mapped[bool] = mapped_column(default=False)
    # Kept in step with comment status changes by the services, so counts are a lookup.
    published_count: Mapped[int] = mapped_column(default=0)
    # Bumped on every change a reader could see; feeds ETags and cache keys.
    revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_comment_at: Mapped[datetime | None] = mapped_column()

    site: Mapped[Site] = relationship(back_populates="articles")


class ArticleTally(db.Model):
    """A change to an article's count and revision not yet folded into its row.

    On PostgreSQL a post appends one of these instead of updating the article, so posts to
    one busy article never queue behind its row lock; each is folded into the row right
    after its commit. Readers add the unfolded ones, so counts stay exact meanwhile.
    """

    __tablename__ = "article_tallies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    published_delta: Mapped[int] = mapped_column(default=0)
    # A new comment's time, for the article's last_comment_at; None for other changes.
    commented_at: Mapped[datetime | None] = mapped_column()
