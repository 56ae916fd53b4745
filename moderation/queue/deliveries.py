"""The delivery worker: webhooks and notification emails from the database outbox.

Like the scoring worker it stops after the current pass on SIGTERM and survives database
outages; it needs no Redis, since what it sends was written with the decision that caused it.
"""

from __future__ import annotations

import logging
import time

from flask import Flask
from sqlalchemy.exc import OperationalError

from moderation.extensions import db
from moderation.notifications.digest import send_due_emails
from moderation.queue.worker import Worker
from moderation.webhooks.delivery import deliver_due

log = logging.getLogger(__name__)


def deliver_once(now=None) -> tuple[int, int]:
    """Do one pass: due webhooks, then due emails; return (webhooks delivered, emails sent)."""
    try:
        return deliver_due(now), send_due_emails(now)
    finally:
        db.session.remove()


class DeliveryWorker:
    """One delivery loop; several may run, since each claims its rows before sending."""

    install_signals = Worker.install_signals
    restore_signals = staticmethod(Worker.restore_signals)

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.stopping = False

    def stop(self, *_args) -> None:
        """Finish the current pass, then leave the loop."""
        self.stopping = True

    def run(self, *, max_seconds: float | None = None) -> None:
        """Poll the outbox until stopped, sleeping between passes that found nothing."""
        started = time.monotonic()
        poll = self.app.config["DELIVER_POLL_SECONDS"]
        while not self.stopping:
            if max_seconds is not None and time.monotonic() - started >= max_seconds:
                break
            try:
                with self.app.app_context():
                    done = sum(deliver_once())
            except OperationalError as exc:
                log.warning("delivery pass failed, retrying: %s", exc)
                done = 0
            except Exception:
                log.exception("delivery pass failed")
                done = 0
            if not done:
                time.sleep(poll)
