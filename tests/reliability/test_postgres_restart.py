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

    from moderation.sites.create import create_site

    app = make_app(private_postgres.url, tiny_models, tmp_path,
                   COMMENT_RATE_LIMIT_CLIENT="100000/minute",
                   COMMENT_RATE_LIMIT_SITE="100000/minute")
    with app.app_context():
        upgrade()
        create_site("news", name="News")
        db.session.remove()
    results: list[LoadResult] = []
    stop_posting = threading.Event()
    with gunicorn(app_env(app), workers=2, threads=4) as (base, _):
        before = post_comments(base, total=40, clients=8)  # also loads the model everywhere
        poster = threading.Thread(target=lambda: results.append(post_comments(
            base, total=20000, clients=8, pause=0.05, timeout=30, until=stop_posting)))
        poster.start()
        time.sleep(1.0)
        private_postgres.stop()
        time.sleep(3.0)
        private_postgres.start()
        time.sleep(3.0)
        stop_posting.set()
        poster.join(timeout=120)
        # Recovered on its own: posts after the restart are stored, no gunicorn restart.
        after = post_comments(base, total=20, clients=2)
    [during] = results
    print(f"before: {dict(before.statuses)}; during the outage window: {dict(during.statuses)}; "
          f"after restart: {dict(after.statuses)}")
    assert before.statuses == {201: 40}
    assert during.bad_bodies == [] and during.transport_errors == 0  # only JSON answers
    assert set(during.statuses) <= {201, 503}
    assert during.statuses[503] > 0, "the outage was not observed"
    assert during.statuses[201] > 0, "the window had no successful post around the outage"
    assert after.statuses == {201: 20}
    accepted = before.accepted_ids | during.accepted_ids | after.accepted_ids
    facts = ledger(app)
    # No half-written comment: every stored row was answered 201 and has its event,
    # and the stored counts match the rows.
    assert facts["ids"] == accepted
    assert facts["creation_events"] == len(facts["ids"])
    assert facts["published_counts"] == facts["published_rows"]
    with app.app_context():
        db.engine.dispose()
