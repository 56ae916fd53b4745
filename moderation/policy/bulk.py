"""Scoring and routing many texts at once by the default policy, for the CSV command."""

from __future__ import annotations

from flask import current_app
from tqdm import tqdm

from moderation.extensions import scorer
from moderation.policy.phrases import find_hold_phrase
from moderation.policy.routing import route
from moderation.policy.thresholds import default_policy
from moderation.scoring.base import LABELS
from moderation.scoring.language import detect_language


def score_rows(rows: list[dict], *, batch_size: int = 32, progress: bool = False) -> list[dict]:
    """Add per-label scores, decision and reason (default policy) to each row."""
    config = current_app.config
    policy = default_policy()
    languages = scorer.get().languages
    out: list[dict] = []
    bar = tqdm(total=len(rows), unit="comment", disable=not progress)
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        texts = [(row.get("text") or "") for row in batch]
        results = scorer.score(texts, timeout=max(60.0, config["SCORER_TIMEOUT_SECONDS"]))
        for row, text, scores in zip(batch, texts, results, strict=True):
            decision = route(policy, scores, language=detect_language(text),
                             suspect_word=find_hold_phrase(text), model_languages=languages)
            row = dict(row)
            row.update({label: f"{scores.get(label, 0.0):.6f}" for label in LABELS})
            row.update({"decision": decision.status.value, "reason": decision.reason})
            out.append(row)
        bar.update(len(batch))
    bar.close()
    return out
