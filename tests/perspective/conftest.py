"""Fixtures for the Perspective-compatible API: a site's API key and a request helper."""

from __future__ import annotations

import pytest

from moderation.perspective.api_keys import create_api_key

ANALYZE = "/v1alpha1/comments:analyze"


@pytest.fixture
def make_key(app_factory):
    """Create API keys on the test database: make_key(app, site, quota=...) -> raw key."""

    def factory(app, site_key="news", quota="1000/second", name=None):
        with app.app_context():
            return create_api_key(site_key, quota=quota, name=name)[1]

    return factory


@pytest.fixture
def api_key(app, site, make_key):
    """A live key for the 'news' site with a quota no test reaches."""
    return make_key(app, site)


@pytest.fixture
def analyze(client, api_key):
    """POST a body to comments:analyze with the key in ?key=; return the response."""

    def post(body, key=api_key, **kwargs):
        query = {"key": key} if key else {}
        return client.post(ANALYZE, json=body, query_string=query, **kwargs)

    return post
