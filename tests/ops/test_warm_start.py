"""Workers load the model before their first request, so no reader waits for a load."""

from __future__ import annotations

import logging
import multiprocessing
import os
import runpy
import socket
from pathlib import Path
from typing import NamedTuple

import pytest

from moderation.extensions import scorer
from moderation.ops.warm import warm_start
from tests.reliability.processes import free_port
from tests.tiny_model import build_tiny_checkpoint

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


@pytest.fixture(autouse=True)
def own_thread_setting(monkeypatch):
    """post_fork sets OMP_NUM_THREADS in this process: put back what was there after each test."""
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)


class Arbiter(NamedTuple):
    """What gunicorn hands post_fork as the server: its settings."""

    cfg: object


class Worker:
    """What gunicorn hands its worker hooks: the loaded app, its settings, a logger and its
    listening sockets (a true boundary)."""

    def __init__(self, app, hooks: dict | None = None):
        from gunicorn import sock
        from gunicorn.config import Config

        self.wsgi = app
        self.log = logging.getLogger("test.gunicorn")
        self.cfg = Config()
        self.cfg.set("bind", [f"127.0.0.1:{free_port()}"])
        self.cfg.set("reuse_port", bool(hooks and hooks["reuse_port"]))
        # With reuse_port, gunicorn opens the worker's own socket just before post_fork.
        self.sockets = sock.create_sockets(self.cfg, self.log) if self.cfg.reuse_port else []

    def boot(self, hooks: dict) -> None:
        """Run the hooks gunicorn runs in a new worker, in gunicorn's order."""
        hooks["post_fork"](Arbiter(self.cfg), self)
        hooks["post_worker_init"](self)

    def close(self) -> None:
        for listener in self.sockets:
            listener.close()

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.cfg.bind[0].rsplit(":", 1)
        return host, int(port)


def _accepts_connections(address: tuple[str, int]) -> bool:
    try:
        socket.create_connection(address, timeout=2).close()
    except ConnectionRefusedError:
        return False
    return True


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
    worker = Worker(app, hooks)
    worker.boot(hooks)
    worker.close()
    assert _loaded(app)


def test_warm_start_can_be_turned_off(app_factory, tmp_path, monkeypatch):
    hooks = runpy.run_path(str(GUNICORN_CONF))
    monkeypatch.setenv("GUNICORN_WARM_START", "false")
    app = _fresh_app(app_factory, tmp_path / "model")
    worker = Worker(app, hooks)
    worker.boot(hooks)
    worker.close()
    assert not _loaded(app)


def test_a_worker_listens_on_its_own_socket_only_once_it_is_warm(app_factory, tmp_path):
    hooks = runpy.run_path(str(GUNICORN_CONF))
    assert hooks["reuse_port"]
    app = _fresh_app(app_factory, tmp_path / "model")
    worker = Worker(app, hooks)
    assert _accepts_connections(worker.address)  # as gunicorn opened it at fork
    hooks["post_fork"](Arbiter(worker.cfg), worker)
    # While it loads the model, the kernel must not queue readers' connections on it.
    assert worker.sockets == [] and not _accepts_connections(worker.address)
    hooks["post_worker_init"](worker)
    assert _loaded(app)
    [listener] = worker.sockets
    try:
        assert listener.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
        assert _accepts_connections(worker.address)
    finally:
        worker.close()


def test_a_worker_whose_model_fails_to_load_still_listens(app_factory, tmp_path):
    hooks = runpy.run_path(str(GUNICORN_CONF))
    app = app_factory(MODEL_CHECKPOINT=str(tmp_path / "missing.ckpt"),
                      MODEL_CONFIG_DIR=str(tmp_path / "missing"))
    worker = Worker(app, hooks)
    worker.boot(hooks)  # logs the failure; reads need no model
    try:
        assert len(worker.sockets) == 1 and _accepts_connections(worker.address)
    finally:
        worker.close()


def test_a_unix_socket_is_shared_not_reopened_per_worker(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "unix:/tmp/moderation-test.sock")
    assert not runpy.run_path(str(GUNICORN_CONF))["reuse_port"]
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8000")
    monkeypatch.setenv("GUNICORN_REUSE_PORT", "false")
    assert not runpy.run_path(str(GUNICORN_CONF))["reuse_port"]


def test_each_worker_gets_its_share_of_the_cores_for_the_model(app_factory, tmp_path):
    hooks = runpy.run_path(str(GUNICORN_CONF))
    worker = Worker(app_factory(), hooks)
    worker.cfg.set("workers", 2)
    hooks["post_fork"](Arbiter(worker.cfg), worker)
    assert os.environ["OMP_NUM_THREADS"] == str(max(1, multiprocessing.cpu_count() // 2))


def test_an_operators_thread_count_is_kept(app_factory, monkeypatch):
    hooks = runpy.run_path(str(GUNICORN_CONF))
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    worker = Worker(app_factory(), hooks)
    hooks["post_fork"](Arbiter(worker.cfg), worker)
    assert os.environ["OMP_NUM_THREADS"] == "3"
