"""The ops extension: request ids, JSON access lines and latency metrics on every request."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from moderation.ops import limits
from moderation.ops.logs import begin_request, finish_request
from moderation.ops.metrics import count_decisions, observe_request, read_review_queue


class Ops:
    """Flask extension: request hooks, and what the metrics count, given by the factory."""

    def init_app(self, app: Flask, *, decision_type: type | None = None,
                 decision_labels: Callable | None = None,
                 review_queue: Callable | None = None) -> None:
        """Install the request hooks and register what the metrics read."""
        if decision_type is not None and decision_labels is not None:
            count_decisions(decision_type, decision_labels)
        if review_queue is not None:
            read_review_queue(review_queue)
        app.before_request(begin_request)
        # Over-size requests get the app's error shape, not gunicorn's page or a reset.
        limits.init_app(app)
        # Registered in reverse: Flask runs after_request hooks last-in first-out.
        app.after_request(lambda response: finish_request(response, app))
        app.after_request(observe_request)
