"""Analyze stores nothing but counters: no comment text in any table or log line."""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import text as sql

from moderation.extensions import db


@pytest.fixture
def all_logs(caplog, monkeypatch):
    """Capture every logger at DEBUG, re-enabling those the in-process migration disabled."""
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.DEBUG)
    return caplog


def rows_mentioning(app, needle: str) -> list[str]:
    """Return the tables with a row whose text contains needle."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sql(f"SELECT * FROM {table.name}")):
                if any(needle in str(value) for value in row):
                    found.append(table.name)
    return found


@pytest.mark.parametrize("do_not_store", [True, False])
def test_text_reaches_no_table_and_no_log(app, analyze, all_logs, do_not_store):
    secret = f"marker{uuid.uuid4().hex} you are a good reporter"
    ok = analyze({"comment": {"text": secret}, "doNotStore": do_not_store, "languages": ["en"],
                  "requestedAttributes": {"TOXICITY": {}}})
    refused = analyze({"comment": {"text": secret}, "languages": ["th"],
                       "requestedAttributes": {"TOXICITY": {}}})
    assert (ok.status_code, refused.status_code) == (200, 400)
    assert rows_mentioning(app, secret[:38]) == []
    assert secret[:38] not in all_logs.text


def test_internal_error_logs_no_text(app, analyze, all_logs, monkeypatch):
    secret = f"marker{uuid.uuid4().hex}"

    def broken(data):
        raise RuntimeError(f"failed on {data['comment']['text']}")

    monkeypatch.setattr("moderation.perspective.views.analyze", broken)
    response = analyze({"comment": {"text": secret}, "requestedAttributes": {"TOXICITY": {}}})
    assert response.status_code == 500
    assert response.get_json()["error"]["status"] == "INTERNAL"
    assert "RuntimeError" in all_logs.text and secret not in all_logs.text


def test_counters_count_scored_requests(app, analyze, api_key):
    from prometheus_client import REGISTRY

    from moderation.perspective.api_keys import verify_api_key

    with app.app_context():
        site_id = str(verify_api_key(api_key).site_id)
    labels = {"site_id": site_id, "outcome": "scored"}
    before = REGISTRY.get_sample_value("moderation_perspective_analyses_total", labels) or 0
    analyze({"comment": {"text": "nice game"}, "requestedAttributes": {"TOXICITY": {}}})
    after = REGISTRY.get_sample_value("moderation_perspective_analyses_total", labels)
    assert after == before + 1
