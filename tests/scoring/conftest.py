"""Fixtures for the scoring tests: the bundled model loads once per session."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "toxicity"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Return the shared labelled data folder, or skip where this checkout lacks it."""
    if not (DATA_DIR / "DATA.md").is_file():
        pytest.skip(f"shared training data not found at {DATA_DIR}")
    return DATA_DIR.resolve()


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


def pytest_collection_modifyitems(config, items):
    """Mark the bundled-model tests, so the PostgreSQL pass of `make test` can skip them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.model)
