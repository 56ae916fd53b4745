"""One live server (and one host-page server on another port) per browser test module."""

from __future__ import annotations

import pytest
from flask import Flask, abort
from sqlalchemy import update

from moderation.extensions import db
from moderation.models import Site
from tests.conftest import clean_database, make_app
from tests.live_server import serve


@pytest.fixture(scope="module")
def live_app(database_url, tiny_models, tmp_path_factory):
    """An app with the benign tiny model, shared by one module's browser tests."""
    app = make_app(database_url, tiny_models, tmp_path_factory.mktemp("live"))
    yield app
    clean_database(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_url(live_app):
    """The base URL of the live service."""
    with serve(live_app) as url:
        yield url


@pytest.fixture(scope="module")
def host():
    """A second server on another port that serves host pages put in its ``pages`` dict."""
    pages: dict[str, str] = {}
    host_app = Flask("host")

    @host_app.get("/<name>")
    def show(name):
        if name not in pages:
            abort(404)
        return pages[name]

    with serve(host_app) as url:
        yield url, pages


@pytest.fixture
def demo(live_app, host):
    """Seed the demo site through the real pipeline, allowing the host page's origin too."""
    from moderation.sites.create import seed_demo

    with live_app.app_context():
        site, _created = seed_demo()
        db.session.execute(update(Site).where(Site.id == site.id).values(
            allowed_origins=list(site.allowed_origins) + [host[0]]))
        db.session.commit()
    yield "demo"
    clean_database(live_app)
