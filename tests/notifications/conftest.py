"""A real SMTP server (aiosmtpd) started for the test, and an app that sends through it."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        """Return the messages sent to an address."""
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def inbox():
    """Start an SMTP server on a free port; yield its inbox."""
    handler = Inbox()
    # aiosmtpd checks its server by connecting to the port it was given, so give a free one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        handler.port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


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
