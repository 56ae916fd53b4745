"""Warm start: load what scoring needs before a worker takes its first request."""

from __future__ import annotations

import time

from flask import Flask

from moderation.extensions import scorer
from moderation.scoring.language import detect_language
from moderation.scoring.ngrams import language_models


def warm_start(app: Flask) -> float:
    """Load the model, language detection and the per-language models; return the seconds.

    Without it a fresh worker loads them on its first comment, and that reader waits
    several seconds (or the comment goes to review past the load deadline).
    """
    started = time.perf_counter()
    with app.app_context():
        # Language detection first: its load briefly holds about 50 MB more than it keeps,
        # and before the model that brief peak sits 300 MB lower, under the worker's peak.
        detect_language("A few plain words, so language detection loads its model now.")
        language_models()
        scorer.ensure_loaded(scorer.get())
    return time.perf_counter() - started
