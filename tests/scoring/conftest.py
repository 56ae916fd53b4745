"""Fixtures for the scoring tests: the bundled model loads once per session.

Modules that score with the bundled model mark themselves `model`, so the PostgreSQL pass
of `make test` can skip them."""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def bundled_cache(tmp_path_factory) -> Path:
    """Return a fresh cache folder standing in for the Flask instance folder."""
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def bundled_scorer(bundled_cache):
    """Return a DetoxifyScorer over the bundled checkpoint, loaded once."""
    from moderation.scoring.bundled import build_bundled_scorer

    # Test what ships: the precision the metadata recommends, which the thresholds fit.
    scorer = build_bundled_scorer(bundled_cache)
    scorer.load()
    return scorer


@pytest.fixture(scope="session")
def thresholds() -> dict:
    """Return the recommended thresholds shipped with the bundled model."""
    from moderation.scoring.bundled import bundled_metadata

    return bundled_metadata()["thresholds"]
