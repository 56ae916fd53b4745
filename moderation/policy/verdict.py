"""The policy's entry points: run a comment's checks and the scorer, then route it."""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app

from moderation.extensions import scorer
from moderation.learning.adaptation import active_model, active_model_for_post, adapt
from moderation.models import Comment, Site, WordKind
from moderation.policy.languages import language_model, readable_languages
from moderation.policy.phrases import find_hold_phrase
from moderation.policy.routing import Decision, route
from moderation.policy.site_rules import site_words, words_for_post
from moderation.policy.thresholds import site_policy
from moderation.policy.words import find_word
from moderation.scoring.base import ScorerUnavailable
from moderation.scoring.batcher import score_texts
from moderation.scoring.language import detect_language


class Verdict(NamedTuple):
    """A routed comment: the decision and what it rests on."""

    decision: Decision
    scores: dict[str, float] | None
    model_id: str | None
    language: str | None


def score_one(text: str, timeout: float | None = None
              ) -> tuple[dict[str, float] | None, str | None]:
    """Score one text; (None, None) when the scorer fails or is too slow."""
    try:
        # Through the process's micro-batcher: concurrent posts share one model call.
        scores = score_texts([text], timeout=timeout)[0]
        return scores, scorer.get().model_id
    except ScorerUnavailable as exc:
        current_app.logger.warning("scoring failed, comment goes to review: %s", exc)
        return None, None


def route_comment(site: Site, article, body: str, text_for_words: str, *, banned: bool,
                  timeout: float | None = None) -> Verdict:
    """Run the checks and the scorer on a comment being written; return its verdict."""
    words = words_for_post(site)
    banned_word = find_word(text_for_words, words[WordKind.banned])
    suspect_word = find_word(text_for_words, words[WordKind.suspect]) or find_hold_phrase(body)
    language = detect_language(body)
    own = language_model(language, site.auto_languages)
    scores = model_id = None
    if not (banned or banned_word):
        if own is not None:
            scores, model_id = own.score([body])[0], own.model_id
        else:
            scores, model_id = score_one(body, timeout)
    # A site model fitted to the site's own verdicts, where one won its comparison.
    routed, thresholds = ((scores, own.thresholds) if own
                          else adapt(active_model_for_post(site), scores))
    decision = route(
        site_policy(site, article, thresholds),
        routed,
        banned=banned,
        banned_word=banned_word,
        suspect_word=suspect_word,
        language=language,
        model_languages=readable_languages(own),
    )
    return Verdict(decision, scores, model_id, language)


def route_scored(comment: Comment, scores: dict | None, sites: dict) -> Decision:
    """Route a comment the scoring queue has scored, by its site's policy and words."""
    # sites is the batch's cache: a batch reads each site's words and model once.
    article = comment.article
    site = article.site
    if site.id not in sites:
        sites[site.id] = (site_words(site.id), active_model(site))
    words, site_model = sites[site.id]
    text = f"{comment.author_name} {comment.body}"
    banned_word = find_word(text, words[WordKind.banned])
    # The same built-in phrases hold a comment whether it was scored now or by the queue.
    suspect_word = find_word(text, words[WordKind.suspect]) or find_hold_phrase(comment.body)
    own = language_model(comment.language, site.auto_languages)
    routed, thresholds = (scores, own.thresholds) if own else adapt(site_model, scores)
    return route(site_policy(site, article, thresholds), routed,
                 banned_word=banned_word, suspect_word=suspect_word, language=comment.language,
                 model_languages=readable_languages(own))
