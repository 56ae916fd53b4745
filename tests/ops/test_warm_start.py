"""Workers load the model before their first request, so no reader waits for a load."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path

from moderation.extensions import scorer
from moderation.ops.warm import warm_start
from tests.tiny_model import build_tiny_checkpoint

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


class Worker:
    """What gunicorn hands post_worker_init: the loaded app and a logger (a true boundary)."""

    def __init__(self, app):
        self.wsgi = app
        self.log = logging.getLogger("test.gunicorn")


def _fresh_app(app_factory, folder: Path):
    """An app on a model of its own, which no other test has loaded in this process."""
    checkpoint, config_dir = build_tiny_checkpoint(folder, toxic_bias=-6.0)
    return app_factory(MODEL_CHECKPOINT=str(checkpoint), MODEL_CONFIG_DIR=str(config_dir))


def _loaded(app) -> bool:
    with app.app_context():
        return scorer.get().loaded


def test_warm_start_loads_the_model_before_any_comment(app_factory, tmp_path):
    app = _fresh_app(app_factory, tmp_path / "model")
    assert not _loaded(app)
    warm_start(app)
    assert _loaded(app)


def test_gunicorn_loads_the_model_in_each_worker_before_it_serves(app_factory, tmp_path):
    hooks = runpy.run_path(str(GUNICORN_CONF))
    app = _fresh_app(app_factory, tmp_path / "model")
    hooks["post_worker_init"](Worker(app))
    assert _loaded(app)


def test_warm_start_can_be_turned_off(app_factory, tmp_path, monkeypatch):
    hooks = runpy.run_path(str(GUNICORN_CONF))
    monkeypatch.setenv("GUNICORN_WARM_START", "false")
    app = _fresh_app(app_factory, tmp_path / "model")
    hooks["post_worker_init"](Worker(app))
    assert not _loaded(app)
