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
    from moderation.scoring.bundled import (
        BUNDLED_MODEL_ID,
        INT8_KEEP_FP32,
        bundled_metadata,
        ensure_bundled_checkpoint,
    )
    from moderation.scoring.detoxify_backend import DetoxifyScorer

    checkpoint, config_dir = ensure_bundled_checkpoint(bundled_cache)
    # Test what ships: the precision the metadata recommends, which the thresholds fit.
    scorer = DetoxifyScorer(
        checkpoint=checkpoint,
        config_dir=config_dir,
        model_id=BUNDLED_MODEL_ID,
        quantize=bundled_metadata()["int8_recommended"],
        keep_fp32=INT8_KEEP_FP32,
    )
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
