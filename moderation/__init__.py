"""Comment moderation and reader engagement for news sites."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter, ValidationError

from config import ConfigError, check_production, load_settings


def create_app(config: dict | None = None) -> Flask:
    """Build the application: load settings, then register its parts."""
    config = config or {}
    settings = load_settings(env_name=config.get("ENV_NAME"))
    settings.update(config)
    app = Flask(__name__, instance_path=settings.get("INSTANCE_PATH") or None)
    app.config.update(settings)
    configure_database(app)
    if app.config["ENV_NAME"] == "production":
        check_production(app.config)
    register_front_cache(app)
    register_proxy_fix(app)
    register_json(app)
    register_converters(app)
    register_sessions(app)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    return app


def configure_database(app: Flask) -> None:
    """Point SQLAlchemy at the configured database, or the SQLite file of the quick start."""
    url = app.config.get("DATABASE_URL")
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "moderation.sqlite")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": app.config["DATABASE_POOL_SIZE"],
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }


def register_front_cache(app: Flask) -> None:
    """Replay kept public answers before the request reaches Flask (inside ProxyFix)."""
    from moderation.readers.front import init_app

    init_app(app)


def register_proxy_fix(app: Flask) -> None:
    """Trust forwarded headers only for the configured number of proxy hops."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


class IdConverter(BaseConverter):
    """A positive 63-bit id; anything else is a 404 rather than a database error."""

    regex = r"[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number >= 2**63:
            raise ValidationError()
        return number


def register_json(app: Flask) -> None:
    """Parse request bodies with bounded depth and no lone surrogates."""
    from moderation.jsonbodies import init_app

    init_app(app)


def register_sessions(app: Flask) -> None:
    """Keep cookie sessions off the public API."""
    from moderation.sessions import init_app

    init_app(app)


def register_converters(app: Flask) -> None:
    """Add the URL converters the blueprints use."""
    app.url_map.converters["id"] = IdConverter


# The register_* steps import their parts when called: importing any moderation module runs
# this file first, and the training code, the benchmarks and the gunicorn config must not
# pull in every blueprint and service to get there.


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from moderation import auth, ratelimits
    from moderation.extensions import (
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        ops,
        scorer,
        scoring_queue,
    )
    from moderation.models import ModerationEvent
    from moderation.pooling import register_idle_ping
    from moderation.services.decisions import decision_labels
    from moderation.services.queue import waiting_per_site
    from moderation.sqlite import register_sqlite_pragmas

    register_sqlite_pragmas()
    register_idle_ping()
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    limiter.init_app(app)
    ratelimits.init_app(app, limiter)
    scorer.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    # The metrics count what the models and services say; they import neither.
    ops.init_app(app, decision_type=ModerationEvent, decision_labels=decision_labels,
                 review_queue=waiting_per_site)
    scoring_queue.init_app(app)
    register_decision_hooks()


def register_decision_hooks() -> None:
    """Let each decision queue its webhook deliveries and reply notices in its transaction."""
    from moderation.notifications.subscriptions import queue_reply_notices
    from moderation.services.decisions import on_decisions
    from moderation.webhooks.outbox import queue_decisions

    on_decisions(queue_decisions)
    on_decisions(queue_reply_notices)


def register_blueprints(app: Flask) -> None:
    """Mount the blueprints."""
    from moderation.api import bp as api_bp
    from moderation.coral import bp as coral_bp
    from moderation.cors import register_cors
    from moderation.dashboard import bp as dashboard_bp
    from moderation.extensions import csrf
    from moderation.front import bp as front_bp
    from moderation.notifications import bp as notifications_bp
    from moderation.openapi.views import bp as openapi_bp
    from moderation.ops.views import bp as ops_bp
    from moderation.perspective import bp as perspective_bp
    from moderation.widgets import bp as widgets_bp

    # Widgets and Perspective clients call with no session (API keys at most): CSRF
    # protects the dashboard's cookie-authenticated forms only.
    csrf.exempt(api_bp)
    csrf.exempt(perspective_bp)
    # Email links carry their own signed token; mail clients' one-click POSTs have no session.
    csrf.exempt(notifications_bp)
    csrf.exempt(coral_bp)
    for blueprint in (api_bp, dashboard_bp, widgets_bp, ops_bp, perspective_bp, coral_bp,
                      openapi_bp, notifications_bp, front_bp):
        app.register_blueprint(blueprint)
    register_cors(app)


def register_errors(app: Flask) -> None:
    """Install the one error shape."""
    from moderation.errors import register_error_handlers

    register_error_handlers(app)


def register_cli(app: Flask) -> None:
    """Add the `flask moderation ...` commands."""
    from moderation.cli import cli

    app.cli.add_command(cli)


__all__ = ["ConfigError", "create_app"]
