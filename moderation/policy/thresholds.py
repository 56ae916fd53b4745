"""Thresholds layering: defaults, then the model's, the settings' and a site's own."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from moderation.models import Site
from moderation.scoring.holder import recommended_thresholds

# Used when neither the model nor the settings give thresholds; threat and
# identity attacks are held and rejected at lower scores than plain rudeness.
DEFAULT_APPROVE = {
    "toxicity": 0.40,
    "severe_toxicity": 0.30,
    "obscene": 0.45,
    "threat": 0.25,
    "insult": 0.40,
    "identity_attack": 0.25,
}
DEFAULT_REJECT = {
    "toxicity": 0.92,
    "severe_toxicity": 0.80,
    "obscene": 0.95,
    "threat": 0.70,
    "insult": 0.92,
    "identity_attack": 0.70,
}


@dataclass(frozen=True)
class Policy:
    """A site's effective thresholds and switches."""

    approve: dict[str, float]
    reject: dict[str, float]
    premoderate: bool = False
    language_check: bool = True


def build_policy(layers: list[dict | None], *, premoderate: bool, language_check: bool) -> Policy:
    """Merge threshold layers ({"approve": {...}, "reject": {...}}), later ones winning."""
    approve, reject = dict(DEFAULT_APPROVE), dict(DEFAULT_REJECT)
    for layer in layers:
        if layer:
            approve.update(layer.get("approve") or {})
            reject.update(layer.get("reject") or {})
    return Policy(approve=approve, reject=reject, premoderate=premoderate,
                  language_check=language_check)


def default_policy(site_thresholds: dict | None = None, *, premoderate: bool = False,
                   language_check: bool = True, language_thresholds: dict | None = None
                   ) -> Policy:
    """Return the policy from the model's thresholds, the settings, then the site's own.

    A comment judged by a per-language model gets that model's calibrated thresholds
    instead: the main model's, and the settings' and site's made for it, do not apply.
    """
    config = current_app.config
    settings = {"approve": config["APPROVE_THRESHOLDS"], "reject": config["REJECT_THRESHOLDS"]}
    layers = (
        [language_thresholds] if language_thresholds is not None
        else [recommended_thresholds(config), settings, site_thresholds]
    )
    return build_policy(
        layers,
        premoderate=premoderate,
        language_check=language_check and config["LANGUAGE_CHECK"],
    )


def site_policy(site: Site, article=None, language_thresholds: dict | None = None) -> Policy:
    """Return the effective routing policy of a site (and article), premoderation included."""
    return default_policy(
        site.thresholds,
        premoderate=site.premoderate or bool(article is not None and article.premoderate),
        language_check=site.language_check,
        language_thresholds=language_thresholds,
    )
