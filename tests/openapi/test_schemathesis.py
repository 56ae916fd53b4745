"""Schemathesis against the served document: no server errors, no answer it does not describe.

A few derandomized examples per operation keep this within seconds; MODERATION_RUN_SLOW=1
runs many more (and on PostgreSQL when MODERATION_TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from moderation.coral.secrets import set_coral_secret

SLOW = os.environ.get("MODERATION_RUN_SLOW") == "1"
EXAMPLES = 60 if SLOW else 4
LIMITS = {key: "100000/minute" for key in ("COMMENT_RATE_LIMIT_CLIENT", "COMMENT_RATE_LIMIT_SITE",
                                           "LIKE_RATE_LIMIT", "FLAG_RATE_LIMIT",
                                           "EDIT_RATE_LIMIT")}


@pytest.fixture
def fuzzed_app(app_factory, site):
    app = app_factory(**LIMITS)
    with app.app_context():
        set_coral_secret(site, "ssec_0123456789abcdefghijklmnop")
    return app


def fuzz_operations(schema, examples: int) -> list[str]:
    """Run every operation's generated cases; return the failures, described."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        # No shrinking: a failure is reported as found, within the time budget.
        @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            if "site" in (case.path_parameters or {}):
                case.path_parameters["site"] = "news"  # a real site reaches past the 404
            case.call_and_validate()

        try:
            run()
        except Exception as exc:  # noqa: BLE001 (each operation's failure is reported)
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    return failures


def test_api_answers_only_as_documented(fuzzed_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed_app)
    failures = fuzz_operations(schema, EXAMPLES)
    assert not failures, "\n\n".join(failures)


def test_api_sequences_follow_the_documented_links(fuzzed_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed_app)
    machine = schema.as_state_machine()

    class RealSite(machine):
        def before_call(self, case):
            if "site" in (case.path_parameters or {}):
                case.path_parameters["site"] = "news"

    RealSite.run(settings=settings(
        max_examples=30 if SLOW else 3, stateful_step_count=6, derandomize=True, deadline=None,
        database=None, phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck)))
