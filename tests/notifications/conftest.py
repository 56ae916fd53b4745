"""A real SMTP server (aiosmtpd) started for the test, and an app that sends through it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.smtp_support import smtp_inbox


@pytest.fixture
def inbox():
    """Start an SMTP server on a free port; yield its inbox."""
    with smtp_inbox() as received:
        yield received


@pytest.fixture
def mail_app(app_factory, inbox):
    """An app whose worker sends through the test SMTP server."""
    return app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, SMTP_TLS="none",
                       MAIL_FROM="comments@news.example", PUBLIC_URL="http://comments.test")


def link(message, path: str) -> str:
    """Return the path and query of the service link in a message's text."""
    text = message.get_content()
    url = re.search(r"http://comments\.test(/notifications/" + path + r"\?token=\S+)", text)
    assert url, text
    return url.group(1)


def local(url: str) -> str:
    """Return the path and query of an absolute service URL."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"
