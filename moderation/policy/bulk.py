"""Scoring and routing many texts at once by the default policy, for the CSV command."""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from tqdm import tqdm

from moderation.extensions import scorer
from moderation.policy.languages import language_model, readable_languages
from moderation.policy.phrases import find_hold_phrase
from moderation.policy.routing import route
from moderation.policy.thresholds import default_policy
from moderation.scoring.base import LABELS
from moderation.scoring.language import detect_language

# Rows per chunk: the scorer sorts a chunk by length before batching it, so a long chunk
# pads each model batch to texts of about the same length; output still streams by chunk.
CHUNK_ROWS = 256


def score_rows(rows: list[dict], *, batch_size: int = CHUNK_ROWS, progress: bool = False
               ) -> list[dict]:
    """Add per-label scores, decision and reason (default policy) to each row."""
    return [row for batch in scored_batches(rows, batch_size=batch_size, progress=progress)
            for row in batch]


def scored_batches(rows: list[dict], *, batch_size: int = CHUNK_ROWS, progress: bool = False
                   ) -> Iterator[list[dict]]:
    """Yield the rows scored and routed, a batch at a time, so output can stream."""
    config = current_app.config
    policy = default_policy()
    bar = tqdm(total=len(rows), unit="comment", disable=not progress)
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        texts = [(row.get("text") or "") for row in batch]
        languages = [detect_language(text) for text in texts]
        # Every language the service scores counts: no site narrows the choice here.
        own = [language_model(language, None) for language in languages]
        main = [i for i, model in enumerate(own) if model is None]
        results: list[dict] = [{} for _ in texts]
        timeout = max(60.0, config["SCORER_TIMEOUT_SECONDS"])
        for i, scores in zip(main, scorer.score([texts[i] for i in main], timeout=timeout),
                             strict=True):
            results[i] = scores
        for i, model in enumerate(own):
            if model is not None:
                results[i] = model.score([texts[i]])[0]
        out: list[dict] = []
        for row, text, scores, language, model in zip(batch, texts, results, languages, own,
                                                      strict=True):
            decision = route(
                policy if model is None else default_policy(language_thresholds=model.thresholds),
                scores, language=language, suspect_word=find_hold_phrase(text),
                model_languages=readable_languages(model),
            )
            row = dict(row)
            # A per-language model scores toxicity only; its other labels stay empty.
            row.update({label: f"{scores[label]:.6f}" if label in scores else ""
                        for label in LABELS})
            row["language"] = language or ""
            row.update({"decision": decision.status.value, "reason": decision.reason})
            out.append(row)
        bar.update(len(batch))
        yield out
    bar.close()
