"""Site adaptation: a small logistic regression on the six scores, fitted to a site's verdicts.

Trained with numpy in well under a second, stored in `site_models` with its version, and used
only when it beats the bundled scores on the newest 20% of the site's decisions. It routes
through the same path as the main model: a model that fails sends the comment to review.
"""

from __future__ import annotations

import logging

import numpy as np
from sqlalchemy import func, select

from moderation.errors import Conflict
from moderation.extensions import db
from moderation.learning.calibration import (
    FIT_MARGIN,
    REJECT_PRECISION,
    REJECT_SUPPORT,
    Targets,
    refusal,
    to_slice,
    usable,
)
from moderation.learning.changes import main_model_id, use_only
from moderation.learning.decisions import load_decisions
from moderation.models import Moderator, Site, SiteModel
from moderation.policy.languages import model_languages
from moderation.readers.generations import settings_name
from moderation.scoring.base import LABELS
from moderation.sites.kept import columns_of, into_session, kept
from moderation.sites.lookup import get_site

log = logging.getLogger(__name__)

MIN_DECISIONS = 500  # decisions before a site model is trained
HOLDOUT_SHARE = 0.2  # the newest 20% judge it against the bundled scores
MIN_GAIN = 0.005  # ROC-AUC it must gain over the best bundled label to be used
L2 = 1.0


def features(scores: np.ndarray) -> np.ndarray:
    """Return the model's inputs: the logits of the six scores."""
    clipped = np.clip(scores, 1e-4, 1 - 1e-4)
    return np.log(clipped / (1 - clipped))


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, steps: int = 50
                 ) -> tuple[np.ndarray, float]:
    """Fit weighted, L2-regularised logistic regression by Newton's method; (coef, intercept)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    theta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], L2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(design @ theta)))
        gradient = design.T @ (w * (p - y)) + penalty * theta
        hessian = (design * (w * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def predict(weights: dict, scores: dict) -> float:
    """Return the site model's probability that the moderators reject these scores."""
    x = features(np.array([scores[label] for label in weights["features"]], dtype=float))
    coef = np.array(weights["coef"], dtype=float)
    if coef.shape != x.shape:
        raise ValueError("the stored model does not match its features")
    logit = float(x @ coef + weights["intercept"])
    return float(1 / (1 + np.exp(-logit)))


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Return the ROC-AUC of a score for the positives (ties count half)."""
    pos, neg = score[positive], score[~positive]
    if not len(pos) or not len(neg):
        return 0.5
    ranks = np.argsort(np.argsort(np.concatenate([pos, neg]), kind="stable")) + 1.0
    values = np.concatenate([pos, neg])
    for value in np.unique(values):  # average the ranks of ties
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def cutoffs(p: np.ndarray, rejected: np.ndarray, w: np.ndarray, targets: Targets
            ) -> tuple[float, float]:
    """Return (approve below, reject from) on the model's probability, as calibration does."""
    reject_from = 1.0
    for candidate in np.unique(np.round(p, 4))[::-1]:
        above = p >= candidate
        if above.sum() >= REJECT_SUPPORT:
            if (w[above] * rejected[above]).sum() / w[above].sum() < REJECT_PRECISION:
                break
            reject_from = float(candidate)
    approve_below = 0.0
    for candidate in np.unique(np.round(np.quantile(p, np.linspace(0, 1, 101)), 4)):
        review = ((p >= candidate) & (p < reject_from)) * w
        if review.sum() / w.sum() <= targets.max_review * FIT_MARGIN:
            approve_below = float(min(candidate, reject_from))
            break
    return approve_below, reject_from


def train(site_key: str, moderator: Moderator | None = None,
          targets: Targets | None = None, *, activate: bool = True) -> SiteModel:
    """Fit, compare on the newest decisions and store a new version; it is used if it wins.

    With activate=False the version is stored unused whatever it scores, so that it can
    run in shadow beside the live policy before anyone promotes it.
    """
    targets = targets or Targets()
    site = get_site(site_key)
    rows = usable(load_decisions(site), main_model_id(), model_languages())
    if len(rows) < MIN_DECISIONS:
        raise Conflict(f"{len(rows)} usable decisions; a site model needs {MIN_DECISIONS}: "
                       f"{MIN_DECISIONS - len(rows)} more.", code="not_enough_decisions")
    problem = refusal(rows)
    if problem:
        raise Conflict(problem, code="not_enough_decisions")
    cut = int(len(rows) * (1 - HOLDOUT_SHARE))
    fit, held = to_slice(rows[:cut]), to_slice(rows[cut:])
    coef, intercept = fit_logistic(features(fit.scores), fit.rejected.astype(float), fit.weight)
    weights = {"features": list(LABELS), "coef": [round(float(c), 6) for c in coef],
               "intercept": round(intercept, 6), "base_model_id": rows[0].model_id}
    p_fit = 1 / (1 + np.exp(-(features(fit.scores) @ coef + intercept)))
    weights["approve_below"], weights["reject_from"] = cutoffs(p_fit, fit.rejected, fit.weight,
                                                               targets)
    p_held = 1 / (1 + np.exp(-(features(held.scores) @ coef + intercept)))
    bundled = {label: round(auc(held.scores[:, j], held.rejected), 4)
               for j, label in enumerate(LABELS)}
    bundled["max"] = round(auc(held.scores.max(axis=1), held.rejected), 4)
    site_auc = round(auc(p_held, held.rejected), 4)
    best = max(bundled.values())
    metrics = {"trained_on": len(fit), "held_out": len(held), "auc_site_model": site_auc,
               "auc_bundled": bundled, "auc_bundled_best": best,
               "beats_bundled": site_auc > best + MIN_GAIN}
    version = (db.session.scalar(select(func.max(SiteModel.version))
                                 .where(SiteModel.site_id == site.id)) or 0) + 1
    model = SiteModel(site_id=site.id, version=version, weights=weights, metrics=metrics,
                      active=False,
                      created_by_id=moderator.id if moderator is not None else None)
    db.session.add(model)
    if activate and metrics["beats_bundled"]:
        use_only(site, model)
    db.session.commit()
    return model


def model_thresholds(weights: dict) -> dict:
    """Return the thresholds a site model's probability is routed by."""
    return {"approve": {"toxicity": weights["approve_below"]},
            "reject": {"toxicity": weights["reject_from"]}}


def recent_models(site: Site, limit: int = 5) -> list[SiteModel]:
    """Return the site's latest model versions, newest first."""
    return list(db.session.scalars(select(SiteModel).where(SiteModel.site_id == site.id)
                                   .order_by(SiteModel.version.desc()).limit(limit)))


def active_model(site: Site) -> SiteModel | None:
    """Return the site model in use for the site, if one won its comparison."""
    return db.session.scalar(select(SiteModel).where(SiteModel.site_id == site.id,
                                                     SiteModel.active.is_(True)))


def active_model_for_post(site: Site) -> SiteModel | None:
    """Return active_model(site), kept between posts while the site's settings stand."""
    def load():
        model = active_model(site)
        return columns_of(model) if model is not None else {}  # {}: none, and kept as such

    values = kept(("site_model", site.id), (settings_name(site.key),), load)
    return into_session(SiteModel, values) if values else None


def adapt(model: SiteModel | None, scores: dict | None) -> tuple[dict | None, dict | None]:
    """Return (scores, thresholds) to route by: the site model's (active_model), if any.

    None scores when the site model fails: the comment goes to review, as when the main
    model fails. Without a site model, the main model's scores and no special thresholds.
    """
    if scores is None:
        return None, None
    if model is None:
        return scores, None
    try:
        probability = predict(model.weights, scores)
    except Exception as exc:  # a broken stored model must never publish anything
        log.warning("site model %s failed, comment goes to review: %s", model.id,
                    exc.__class__.__name__)
        return None, None
    return {"toxicity": probability}, model_thresholds(model.weights)
