"""Liveness, readiness, request ids, JSON access lines and Prometheus metrics."""

from __future__ import annotations

import json

from tests.reliability.fixtures import URL
from tests.reliability.processes import free_port


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_with_database_and_model(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": True, "model": True}


def test_readyz_is_503_json_when_redis_does_not_answer(app_factory):
    app = app_factory(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"] == {"database": True, "redis": False, "model": True}
    assert body["error"]["code"] == "not_ready"


def test_readyz_is_503_when_the_model_cannot_be_prepared(app_factory, tmp_path):
    app = app_factory(MODEL="checkpoint", MODEL_CHECKPOINT=None)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["model"] is False


def test_readyz_is_503_when_the_database_is_missing(app, app_factory, tmp_path):
    # `app` comes first so the fixture cleans the real test database afterwards.
    missing = tmp_path / "no-such-dir" / "db.sqlite"
    app = app_factory(DATABASE_URL=f"sqlite:///{missing}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] is False


def test_request_id_from_the_caller_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
    assert response.headers["X-Request-ID"] == "lb-1234.abc"


def test_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["X-Request-ID"] != "bad id\twith spaces"
    assert len(response.headers["X-Request-ID"]) == 32


def test_each_request_logs_one_json_line_with_its_id(client, site, capsys):
    capsys.readouterr()
    response = client.post(URL, json={"author_name": "Ann", "body": "Good piece."},
                           headers={"X-Request-ID": "req-42"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{") and '"moderation.access"' in line]
    assert len(lines) == 1
    entry = lines[0]
    assert entry["request_id"] == "req-42" == response.headers["X-Request-ID"]
    assert entry["endpoint"] == "api.create_comment"
    assert entry["status"] == 201
    assert entry["duration_ms"] > 0


def test_metrics_count_requests_decisions_and_review_queue(app_factory, site):
    app = app_factory(model="middling")
    client = app.test_client()
    for _ in range(2):
        assert client.post(URL, json={"author_name": "Ann", "body": "Hmm."}).status_code == 201
    text = client.get("/metrics").get_data(as_text=True)
    assert ('moderation_request_seconds_count{endpoint="api.create_comment",method="POST",'
            'status="201"}') in text
    assert ('moderation_comments_decided_total{actor="system",reason="threshold",'
            'status="pending_review"}') in text
    assert 'moderation_review_queue_depth{site="news"} 2.0' in text
    assert "moderation_review_queue_oldest_seconds" in text
    assert "moderation_scoring_batch_size" in text
