"""A real SMTP server (aiosmtpd) for tests, and what it received."""

from __future__ import annotations

import email
import email.policy
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        """Return the messages sent to an address."""
        return [m for m in self.messages if m["To"] == address]


@contextmanager
def smtp_inbox():
    """Serve SMTP on a free local port; yield the inbox."""
    inbox = Inbox()
    # aiosmtpd checks its server by connecting to the port it was given, so give a free one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
