"""Answer an AnalyzeCommentRequest from the loaded model: attributes, languages, spans."""

from __future__ import annotations

import re

from flask import current_app

from moderation.extensions import scorer
from moderation.perspective.errors import invalid_argument
from moderation.scoring.base import LABELS
from moderation.scoring.batcher import score_texts
from moderation.scoring.language import UNDETERMINED, detect_language
from moderation.scoring.ngrams import NgramModel, language_model, scored_languages

# Perspective attribute -> the model label that answers it.
ATTRIBUTES = {
    "TOXICITY": "toxicity",
    "SEVERE_TOXICITY": "severe_toxicity",
    "IDENTITY_ATTACK": "identity_attack",
    "INSULT": "insult",
    "PROFANITY": "obscene",
    "THREAT": "threat",
    "SEXUALLY_EXPLICIT": "sexual_explicit",
}
# Perspective attributes no model of ours answers; named apart from typos in the error.
NOT_OFFERED = frozenset({
    "FLIRTATION", "ATTACK_ON_AUTHOR", "ATTACK_ON_COMMENTER", "INCOHERENT", "INFLAMMATORY",
    "LIKELY_TO_REJECT", "OBSCENE", "SPAM", "UNSUBSTANTIAL", "TOXICITY_EXPERIMENTAL",
    "SEVERE_TOXICITY_EXPERIMENTAL", "IDENTITY_ATTACK_EXPERIMENTAL", "INSULT_EXPERIMENTAL",
    "PROFANITY_EXPERIMENTAL", "THREAT_EXPERIMENTAL", "AFFINITY_EXPERIMENTAL",
    "COMPASSION_EXPERIMENTAL", "CURIOSITY_EXPERIMENTAL", "NUANCE_EXPERIMENTAL",
    "PERSONAL_STORY_EXPERIMENTAL", "REASONING_EXPERIMENTAL", "RESPECT_EXPERIMENTAL",
    "BRIDGING_EXPERIMENTAL",
})
SCORE_TYPES = frozenset({"PROBABILITY"})
# A sentence ends at . ! ? (or their run) followed by space, or at a line break.
SENTENCE_END = re.compile(r"(?<=[.!?\u2026\u3002\uff01\uff1f])\s+|\n+")
MAX_SPANS = 50


def check_attributes(requested: dict) -> list[str]:
    """Return the requested attribute names in request order, refusing those we cannot score."""
    if not requested:
        raise invalid_argument("Request must specify at least one attribute.")
    for name, params in requested.items():
        if name not in ATTRIBUTES and name not in NOT_OFFERED:
            raise invalid_argument(f"Unknown attribute: {name}")
        if name in NOT_OFFERED or ATTRIBUTES[name] not in LABELS:
            raise invalid_argument(f"Attribute {name} is not supported by this server's model.")
        score_type = params.get("scoreType")
        if score_type and score_type not in SCORE_TYPES:
            raise invalid_argument(f"Attribute {name} does not support score type {score_type}.")
    return list(requested)


def check_text(comment: dict | None) -> str:
    """Return the comment's text, refusing an empty or over-long one."""
    text = (comment or {}).get("text") or ""
    if not text.strip():
        raise invalid_argument("Comment must be non-empty.")
    limit = current_app.config["PERSPECTIVE_MAX_TEXT_BYTES"]
    size = len(text.encode("utf-8"))
    if size > limit:
        raise invalid_argument(f"Comment text too long: {size} bytes; the limit is {limit} bytes.")
    return text


def _base_language(code: str) -> str:
    """Return the primary subtag of a BCP-47 code ("en-US" -> "en")."""
    return code.replace("_", "-").split("-", 1)[0].lower()


def choose_languages(text: str, requested: list[str], attributes: list[str],
                     model_languages: frozenset[str]) -> tuple[list[str], str | None]:
    """Return (languages scored in, detected language), refusing languages the model lacks."""
    detected = detect_language(text)
    if detected == UNDETERMINED:
        detected = None  # Perspective clients get a score, as before, rather than a refusal
    if requested:
        languages = requested
    elif detected:
        languages = [detected]
    else:
        # Too short or mixed to tell: score in the model's main language, as most
        # short comments are, rather than refuse them ("und" in Perspective).
        languages = ["en" if "en" in model_languages else min(model_languages)]
    unsupported = [code for code in languages if _base_language(code) not in model_languages]
    if unsupported:
        raise invalid_argument(
            f"Attribute {attributes[0]} does not support request languages: "
            + ",".join(unsupported)
        )
    return languages, detected


def _language_model(languages: list[str], attributes: list[str],
                    main_languages: frozenset[str]) -> NgramModel | None:
    """Return the per-language model to score in, refusing labels it does not score.

    None when the main model reads every requested language.
    """
    bases = {_base_language(code) for code in languages} - main_languages
    if not bases:
        return None
    if len(bases) > 1 or len(languages) > 1:
        raise invalid_argument("Attribute TOXICITY does not support request languages: "
                               + ",".join(languages))
    model = language_model(bases.pop())
    for name in attributes:
        if ATTRIBUTES[name] != "toxicity":  # the per-language models score toxicity only
            raise invalid_argument(
                f"Attribute {name} does not support request languages: {languages[0]}")
    return model


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (begin, end) character offsets of the text's sentences, trimmed of spaces."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    spans = [(b, e) for b, e in spans if text[b:e].strip()]
    if len(spans) > MAX_SPANS:  # bound the work a 20 KB comment can ask for
        spans = spans[: MAX_SPANS - 1] + [(spans[MAX_SPANS - 1][0], spans[-1][1])]
    return spans


def _score(value: float) -> dict:
    """Return a Perspective Score object."""
    return {"value": round(float(value), 6), "type": "PROBABILITY"}


def analyze(data: dict) -> dict:
    """Score a loaded AnalyzeCommentRequest and return the AnalyzeCommentResponse body."""
    attributes = check_attributes(data["requestedAttributes"])
    text = check_text(data["comment"])
    main_languages = frozenset(scorer.get().languages)
    languages, detected = choose_languages(
        text, data["languages"], attributes, main_languages | scored_languages()
    )
    own = _language_model(languages, attributes, main_languages)
    spans = split_sentences(text) if data["spanAnnotations"] else []
    # The whole comment and its sentences go in one call (one batch).
    span_texts = [text[b:e] for b, e in spans] if len(spans) > 1 else []
    results = own.score([text, *span_texts]) if own else score_texts([text, *span_texts])
    summary, span_results = results[0], results[1:] or [results[0]] * len(spans)
    for name in attributes:
        if ATTRIBUTES[name] not in summary:  # a loaded model may lack a label
            raise invalid_argument(f"Attribute {name} is not supported by this server's model.")

    attribute_scores = {}
    for name in attributes:
        label = ATTRIBUTES[name]
        threshold = data["requestedAttributes"][name].get("scoreThreshold")
        value = summary[label]
        if threshold is not None and value < threshold:
            continue
        entry: dict = {"summaryScore": _score(value)}
        if spans:
            entry["spanScores"] = [
                {"begin": b, "end": e, "score": _score(row[label])}
                for (b, e), row in zip(spans, span_results, strict=True)
                if threshold is None or row[label] >= threshold
            ]
        attribute_scores[name] = entry

    body: dict = {}
    if attribute_scores:  # proto3 JSON leaves an empty map out, as Perspective does
        body["attributeScores"] = attribute_scores
    body["languages"] = languages
    if detected:
        body["detectedLanguages"] = [detected]
    if data.get("clientToken"):
        body["clientToken"] = data["clientToken"]
    return body
