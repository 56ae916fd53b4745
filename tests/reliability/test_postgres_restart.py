"""PostgreSQL stopped and restarted under load (a private throwaway cluster, never the
shared server): clients get 503 JSON errors, the service recovers by itself, and nothing
is half-written."""

from __future__ import annotations

import threading
import time

import pytest

from moderation.extensions import db
from tests.conftest import make_app
from tests.reliability.fixtures import ledger
from tests.reliability.load import LoadResult, post_comments
from tests.reliability.processes import ThrowawayPostgres, app_env, gunicorn

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def private_postgres():
    """A throwaway PostgreSQL cluster on its own port, removed afterwards."""
    try:
        server = ThrowawayPostgres()
    except Exception as exc:  # no initdb, or no postgres user to run it as
        pytest.skip(f"cannot make a throwaway PostgreSQL cluster: {exc}")
    server.start()
    yield server
    server.remove()


def test_postgres_restart_mid_load_gives_503s_then_recovers(private_postgres, tiny_models,
                                                            tmp_path):
    from flask_migrate import upgrade

    from moderation.services.admin import create_site

    app = make_app(private_postgres.url, tiny_models, tmp_path,
                   COMMENT_RATE_LIMIT_CLIENT="100000/minute",
                   COMMENT_RATE_LIMIT_SITE="100000/minute")
    with app.app_context():
        upgrade()
        create_site("news", name="News")
        db.session.remove()
    results: list[LoadResult] = []
    with gunicorn(app_env(app), workers=2, threads=4) as (base, _):
        poster = threading.Thread(target=lambda: results.append(
            post_comments(base, total=400, clients=8, pause=0.02, timeout=30)))
        poster.start()
        time.sleep(2.0)
        private_postgres.stop()
        time.sleep(3.0)
        private_postgres.start()
        poster.join(timeout=300)
        # Recovered on its own: the next post after the restart is stored.
        after = post_comments(base, total=20, clients=2)
    [during] = results
    print(f"outage run: {dict(during.statuses)}; after restart: {dict(after.statuses)}")
    assert during.bad_bodies == []  # every error was the JSON shape, no traceback page
    assert set(during.statuses) <= {201, 503}
    assert during.statuses[503] > 0, "the outage was not observed"
    assert after.statuses == {201: 20}
    facts = ledger(app)
    accepted = during.accepted_ids | after.accepted_ids
    # No half-written comment: every stored row was answered 201 and has its event,
    # and the stored counts match the rows.
    assert facts["ids"] == accepted
    assert facts["creation_events"] == len(facts["ids"])
    assert facts["published_counts"] == facts["published_rows"]
    with app.app_context():
        db.engine.dispose()
