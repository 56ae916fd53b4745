"""The per-process scorer: built from settings, loaded lazily, answering within a deadline."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from flask import Flask, current_app

from moderation.scoring import bundled
from moderation.scoring.base import LABELS, Scorer, ScorerUnavailable
from moderation.scoring.bundled import build_bundled_scorer
from moderation.scoring.detoxify_backend import OFFICIAL_MODELS, DetoxifyScorer

# Loaded models are shared by every app in the process (tests build many apps).
_scorers: dict[tuple, Scorer] = {}
_scorers_lock = threading.Lock()


def build_scorer(settings: dict, instance_path: str) -> Scorer:
    """Return the scorer the settings name, without loading its weights yet."""
    name = settings.get("MODEL", "bundled")
    if name == "bundled":
        quantize = settings.get("MODEL_QUANTIZE")
        return build_bundled_scorer(
            Path(instance_path),
            quantize=None if quantize is None else bool(quantize),
            threads=settings.get("MODEL_THREADS"),
            runtime=settings.get("MODEL_RUNTIME") or "auto",
            use=settings.get("MODEL_USE") or "posts",
        )
    options = {
        "threads": settings.get("MODEL_THREADS"),
        "quantize": bool(settings.get("MODEL_QUANTIZE")),
    }
    if name == "checkpoint":
        checkpoint, config_dir = settings.get("MODEL_CHECKPOINT"), settings.get("MODEL_CONFIG_DIR")
        if not checkpoint or not config_dir:
            raise ScorerUnavailable(
                "MODERATION_MODEL=checkpoint needs MODERATION_MODEL_CHECKPOINT and "
                "MODERATION_MODEL_CONFIG_DIR"
            )
        return DetoxifyScorer(checkpoint=Path(checkpoint), config_dir=Path(config_dir), **options)
    if name in OFFICIAL_MODELS:
        return DetoxifyScorer(model_type=name, **options)
    raise ScorerUnavailable(f"unknown MODERATION_MODEL {name!r}")


def recommended_thresholds(settings: dict) -> dict | None:
    """Return the thresholds the configured model ships with, if it ships any."""
    if settings.get("MODEL", "bundled") != "bundled":
        return None
    try:

        return bundled.shipped_thresholds()
    except Exception:  # a broken bundle must not stop routing; defaults apply
        return None


class ScorerHolder:
    """Flask extension that gives each process one scorer and a deadline for it."""

    def __init__(self, app: Flask | None = None) -> None:
        self._executor: ThreadPoolExecutor | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Register the holder; nothing is loaded until the first score."""
        app.extensions["moderation.scorer"] = {"override": None}

    def override(self, app: Flask, scorer: Scorer | None) -> None:
        """Use this scorer for the app instead of the configured one (tests, benchmarks)."""
        app.extensions["moderation.scorer"]["override"] = scorer

    def get(self) -> Scorer:
        """Return this app's scorer, building it once per process."""
        app = current_app
        override = app.extensions["moderation.scorer"]["override"]
        if override is not None:
            return override
        key = (
            app.config.get("MODEL"),
            app.config.get("MODEL_CHECKPOINT"),
            app.config.get("MODEL_CONFIG_DIR"),
            app.config.get("MODEL_QUANTIZE"),
            app.config.get("MODEL_RUNTIME"),
            app.config.get("MODEL_USE"),
            app.instance_path,
        )
        scorer = _scorers.get(key)
        if scorer is None:
            with _scorers_lock:
                scorer = _scorers.get(key)
                if scorer is None:
                    try:
                        scorer = build_scorer(dict(app.config), app.instance_path)
                    except ScorerUnavailable:
                        raise
                    except Exception as exc:
                        raise ScorerUnavailable(f"cannot prepare the model: {exc}") from exc
                    _scorers[key] = scorer
        return scorer

    def _run(self, function, *args):
        """Start a call on the holder's threads, so a caller can stop waiting for it."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="scorer")
        return self._executor.submit(function, *args)

    def ensure_loaded(self, scorer: Scorer) -> None:
        """Load the model under its own, longer deadline than a single scoring call."""
        if getattr(scorer, "loaded", True):
            return
        # A first load takes seconds; counted against the per-comment deadline it would
        # send every comment of a fresh worker to review until the model is in memory.
        timeout = current_app.config["MODEL_LOAD_TIMEOUT_SECONDS"]
        try:
            self._run(scorer.load).result(timeout=timeout)
        except FutureTimeout as exc:
            raise ScorerUnavailable(f"model did not load within {timeout}s") from exc
        except ScorerUnavailable:
            raise
        except Exception as exc:
            raise ScorerUnavailable(f"model failed to load: {exc}") from exc

    def score(self, texts: list[str], timeout: float | None = None) -> list[dict[str, float]]:
        """Score texts, raising ScorerUnavailable on any failure or past the deadline."""
        scorer = self.get()
        self.ensure_loaded(scorer)
        timeout = timeout if timeout is not None else current_app.config["SCORER_TIMEOUT_SECONDS"]
        future = self._run(scorer.score, texts)
        try:
            results = future.result(timeout=timeout)
        except FutureTimeout as exc:
            raise ScorerUnavailable(f"scorer gave no answer within {timeout}s") from exc
        except ScorerUnavailable:
            raise
        except Exception as exc:
            raise ScorerUnavailable(f"scorer failed: {exc}") from exc
        if len(results) != len(texts) or any(set(r) - set(LABELS) for r in results):
            raise ScorerUnavailable("scorer returned a malformed answer")
        return results

    def loadable(self) -> bool:
        """Tell whether the scorer is loaded or can be prepared (for readiness checks)."""
        try:
            self.get()
        except ScorerUnavailable:
            return False
        return True
