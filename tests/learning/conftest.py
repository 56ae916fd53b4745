"""Fixtures for learning: the bundled model loaded once, and an app that routes with it."""

from __future__ import annotations

import pytest

from moderation.extensions import scorer
from moderation.learning import calibration
from moderation.models import Role

# The dashboard's account fixtures, for the learning page's tests.
from tests.dashboard.conftest import admin, admin_client, mod, mod_client  # noqa: F401
from tests.factories import make_moderator


@pytest.fixture
def small_rails(monkeypatch):
    """Let the apply mechanics run on a small history (the rails keep their meaning)."""
    monkeypatch.setattr(calibration, "MIN_DECISIONS", 40)
    monkeypatch.setattr(calibration, "MIN_REJECTIONS", 5)


class PrimedScorer:
    """The bundled model, asked ahead in large batches for texts a test is about to post.

    Scores are the real model's; only the batching differs from one request at a time.
    """

    def __init__(self, real) -> None:
        self.real, self.model_id, self.languages = real, real.model_id, real.languages
        self.known: dict[str, dict] = {}

    def prime(self, texts: list[str], batch: int = 64) -> None:
        """Score the texts now, in batches, and keep the answers."""
        # Length, then text: int8 scales its activations per batch, so the batches must not
        # depend on the order a set happens to iterate in (it changes with PYTHONHASHSEED).
        todo = sorted({t for t in texts if t not in self.known}, key=lambda t: (len(t), t))
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            self.known.update(zip(chunk, self.real.score(chunk), strict=True))

    def score(self, texts: list[str]) -> list[dict]:
        """Return the kept scores, asking the model for any text not primed."""
        self.prime(texts)
        return [self.known[text] for text in texts]


@pytest.fixture(scope="session")
def bundled(bundled_cache):
    """Return the bundled scorer as it ships, loaded once per session."""
    from moderation.scoring.bundled import build_bundled_scorer, bundled_metadata

    # int8 when the metadata recommends it, never chosen by timing: a busy machine must not
    # change the scores these tests assert on.
    int8 = bool(bundled_metadata().get("int8_recommended", False))
    loaded = build_bundled_scorer(bundled_cache, quantize=int8)
    loaded.load()
    return PrimedScorer(loaded)


@pytest.fixture
def bundled_app(app_factory, bundled):
    """An app that scores with the bundled model and its recommended thresholds."""
    app = app_factory(MODEL="bundled", WTF_CSRF_ENABLED=False)
    scorer.override(app, bundled)
    return app


@pytest.fixture
def newsroom(bundled_app):
    """A site with three moderators and an admin; yields (app, moderators, admin)."""
    from moderation.sites.create import create_site

    with bundled_app.app_context():
        create_site("strict", name="Strict Times")
        moderators = [make_moderator(f"mod{i}@strict.example") for i in range(3)]
        admin = make_moderator("admin@strict.example", Role.admin)
        yield bundled_app, moderators, admin
