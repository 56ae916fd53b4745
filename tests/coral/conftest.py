"""Fixtures for Coral's external moderation phase: a site with a signing secret, a signed post."""

from __future__ import annotations

import json

import pytest

from moderation.coral.secrets import set_coral_secret
from moderation.coral.signature import sign

SECRET = "ssec_0123456789abcdefghijklmnop"
URL = "/coral/moderation?site=news"


def coral_request(body: str = "Thanks for the thorough reporting on the new bike lanes.",
                  **overrides) -> dict:
    """Return a request as Coral's pipeline builds it (tenant object, as current releases)."""
    request = {
        "tenant": {"id": "b8c2-tenant", "domain": "comments.news.example"},
        "action": "NEW",
        "comment": {"body": body, "parentID": None},
        "author": {"id": "0f1e-author", "role": "COMMENTER"},
        "story": {"id": "9a8b-story", "url": "https://news.example/2026/bike-lanes"},
        "site": {"id": "5d6e-site"},
    }
    request.update(overrides)
    return request


def coral_bytes(request: dict) -> bytes:
    """Serialise as Coral does (JSON.stringify(data, null, 2)): the bytes that are signed."""
    return json.dumps(request, indent=2, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def coral_site(app, site):
    """The 'news' site, connected to Coral with SECRET."""
    with app.app_context():
        set_coral_secret(site, SECRET)
    return site


@pytest.fixture
def post_coral(client, coral_site):
    """POST raw bytes to the phase, signed with SECRET unless a header is given."""

    def post(request: dict | bytes, signature: str | None = "sign", url: str = URL, client_=None):
        raw = request if isinstance(request, bytes) else coral_bytes(request)
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            headers["X-Coral-Signature"] = sign(SECRET, raw)
        elif signature is not None:
            headers["X-Coral-Signature"] = signature
        return (client_ or client).post(url, data=raw, headers=headers)

    return post
