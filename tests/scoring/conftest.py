"""Fixtures for the scoring tests: the bundled model loads once per session.

Modules that score with the bundled model mark themselves `model`, so the PostgreSQL pass
of `make test` can skip them."""

import pytest


@pytest.fixture(scope="session")
def bundled_scorer(bundled_cache):
    """Return a DetoxifyScorer over the bundled checkpoint, loaded once."""
    from moderation.scoring.bundled import build_bundled_scorer, bundled_metadata

    # Test what ships: the precision the metadata recommends, which the thresholds fit; fixed
    # rather than timed at load, so a busy machine cannot change the scores asserted on.
    int8 = bool(bundled_metadata().get("int8_recommended", False))
    scorer = build_bundled_scorer(bundled_cache, quantize=int8)
    scorer.load()
    return scorer


@pytest.fixture(scope="session")
def thresholds() -> dict:
    """Return the recommended thresholds shipped with the bundled model."""
    from moderation.scoring.bundled import bundled_metadata

    return bundled_metadata()["thresholds"]
