"""Fixtures: an app on SQLite (or PostgreSQL when MODERATION_TEST_DATABASE_URL is set),
its client, the database cleaned after each test, and tiny real Detoxify models."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import pytest  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from moderation import create_app  # noqa: E402
from moderation.extensions import db  # noqa: E402

# One Chromium per session for every browser test module: Playwright's sync API cannot run
# two sessions in one process at once.
from tests.browser_support import browser, page  # noqa: E402,F401
from tests.tiny_model import build_tiny_checkpoint  # noqa: E402

TEST_DATABASE_URL = os.environ.get("MODERATION_TEST_DATABASE_URL")
DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "toxicity"

# In CI every property test runs a fixed set of cases, so chance never decides a landing.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, deadline=None)
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Return the shared labelled data folder, or skip where this checkout lacks it."""
    if not (DATA_DIR / "DATA.md").is_file():
        pytest.skip(f"shared training data not found at {DATA_DIR}")
    return DATA_DIR.resolve()


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory):
    """Tiny real Detoxify checkpoints: everything fine, everything abusive, in between, varied."""
    root = tmp_path_factory.mktemp("models")
    return {
        "benign": build_tiny_checkpoint(root / "benign", toxic_bias=-6.0),
        "abusive": build_tiny_checkpoint(root / "abusive", toxic_bias=6.0),
        "middling": build_tiny_checkpoint(root / "middling", toxic_bias=-0.3),
        "varied": build_tiny_checkpoint(root / "varied", initializer_range=0.5),
    }


@pytest.fixture(scope="session")
def bundled_cache(tmp_path_factory) -> Path:
    """Return one instance folder for the session's bundled-model tests.

    The bundled model is assembled and exported for ONNX Runtime once per folder (half a
    minute on a slow machine), so the tests that load it share this one.
    """
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Return the test database URL, with the schema built by the migrations once."""
    url = TEST_DATABASE_URL or "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "TESTING": True})
    with app.app_context():
        if TEST_DATABASE_URL:
            # A previous run may have left tables behind; start from an empty schema.
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return url


def make_app(database_url, tiny_models, tmp_path, model="benign", **overrides):
    """Build an app bound to the test database and a tiny model."""
    checkpoint, config_dir = tiny_models[model]
    settings = {
        "ENV_NAME": "testing",
        "TESTING": True,
        "DATABASE_URL": database_url,
        "MODEL": "checkpoint",
        "MODEL_CHECKPOINT": str(checkpoint),
        "MODEL_CONFIG_DIR": str(config_dir),
        "RATELIMIT_STORAGE_URI": "memory://",
        "COMMENT_RATE_LIMIT_CLIENT": "1000/minute",
        "WTF_CSRF_ENABLED": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    settings.update(overrides)
    return create_app(settings)


def clean_database(app) -> None:
    """Delete every row, children first, so each test starts empty."""
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def app_factory(database_url, tiny_models, tmp_path):
    """Build apps with settings overrides; the database is emptied after the test."""
    apps = []

    def factory(model="benign", **overrides):
        app = make_app(database_url, tiny_models, tmp_path, model=model, **overrides)
        apps.append(app)
        return app

    yield factory
    if apps:
        clean_database(apps[0])
    for built in apps:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    """An app whose model finds every comment fine."""
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def site(app):
    """A site with key 'news'."""
    from moderation.sites.create import create_site

    with app.app_context():
        created = create_site("news", name="News", origins=["http://localhost:8123"])
        return created.key


def pytest_addoption(parser):
    """Add --database-tests-only, which the PostgreSQL pass of `make test` uses."""
    parser.addoption(
        "--database-tests-only", action="store_true",
        help="run only the tests that use the test database (the rest already ran on SQLite)",
    )


def pytest_collection_modifyitems(config, items):
    """Deselect database-free tests when asked; skip slow ones unless MODERATION_RUN_SLOW=1."""
    if config.getoption("--database-tests-only"):
        # A test that never asks for the database cannot behave differently on PostgreSQL,
        # nor can one marked any_database (a server's processes, Redis's shared counters).
        kept, dropped = [], []
        for item in items:
            uses_db = "database_url" in getattr(item, "fixturenames", ())
            (kept if uses_db and "any_database" not in item.keywords else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
    if os.environ.get("MODERATION_RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow reliability check; set MODERATION_RUN_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
