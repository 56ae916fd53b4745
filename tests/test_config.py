"""Settings: environment overrides and production's refusal to start half-configured."""

from __future__ import annotations

import pytest

from config import ConfigError, check_production, load_settings
from moderation import create_app


def test_environment_variables_override_defaults():
    settings = load_settings({
        "MODERATION_ENV": "development",
        "MODERATION_PROXY_HOPS": "2",
        "MODERATION_LANGUAGE_CHECK": "false",
        "MODERATION_APPROVE_THRESHOLDS": '{"threat": 0.1}',
        "MODERATION_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "UNRELATED": "ignored",
    })
    assert settings["PROXY_HOPS"] == 2
    assert settings["LANGUAGE_CHECK"] is False
    assert settings["APPROVE_THRESHOLDS"] == {"threat": 0.1}
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"
    assert "UNRELATED" not in settings


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="MODERATION_ENV"):
        load_settings({"MODERATION_ENV": "staging"})


def test_bad_number_names_the_variable():
    with pytest.raises(ConfigError, match="MODERATION_PROXY_HOPS"):
        load_settings({"MODERATION_PROXY_HOPS": "two"})


def test_production_refuses_to_start_without_secret_and_database(monkeypatch):
    monkeypatch.setenv("MODERATION_ENV", "production")
    monkeypatch.delenv("MODERATION_SECRET_KEY", raising=False)
    monkeypatch.delenv("MODERATION_DATABASE_URL", raising=False)
    with pytest.raises(ConfigError) as info:
        create_app()
    assert "MODERATION_SECRET_KEY" in str(info.value)
    assert "MODERATION_DATABASE_URL" in str(info.value)


def test_production_starts_when_configured(tmp_path):
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "s" * 32,
                      "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite",
                      "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    check_production(dict(app.config))


def test_postgresql_urls_use_psycopg_3(tmp_path):
    app = create_app({"DATABASE_URL": "postgresql://u@127.0.0.1/x", "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    from sqlalchemy import text

    from moderation.extensions import db

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/w.sqlite",
                      "INSTANCE_PATH": str(tmp_path)})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with app.app_context():
        db.engine.dispose()


def test_settings_without_a_default_take_their_declared_type():
    settings = load_settings({"MODERATION_MODEL_THREADS": "2",
                              "MODERATION_MODEL_QUANTIZE": "false",
                              "MODERATION_MODEL_CHECKPOINT": "/models/x.ckpt"})
    assert settings["MODEL_THREADS"] == 2
    assert settings["MODEL_QUANTIZE"] is False
    assert settings["MODEL_CHECKPOINT"] == "/models/x.ckpt"
    assert load_settings({"MODERATION_MODEL_QUANTIZE": "1"})["MODEL_QUANTIZE"] is True
