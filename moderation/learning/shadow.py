"""Shadow mode: a candidate policy decides each new comment beside the live one, never acting.

A candidate is either thresholds or a site model version. The report compares both with
what the moderators then decided; promoting writes the candidate's thresholds, or puts the
site model in use, as an audited change; discarding ends the run.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from moderation.errors import Conflict, NotFound
from moderation.extensions import db
from moderation.learning.adaptation import model_thresholds, predict
from moderation.learning.changes import set_thresholds, use_only
from moderation.learning.decisions import load_decisions
from moderation.models import (
    Comment,
    CommentStatus,
    Moderator,
    ShadowDecision,
    ShadowPolicy,
    Site,
    SiteModel,
)
from moderation.models.types import utcnow
from moderation.policy.routing import Decision, route
from moderation.policy.thresholds import default_policy
from moderation.readers.generations import settings_name
from moderation.scoring.base import LABELS
from moderation.sites.kept import kept
from moderation.sites.lookup import get_site

log = logging.getLogger(__name__)

# Reasons decided before the thresholds: the candidate, which differs only in them, agrees.
BEFORE_THRESHOLDS = frozenset({"banned", "banned_word", "scorer_unavailable", "awaiting_score",
                               "language_unclear", "language_unsupported"})
EXAMPLES = 5


def running(site_id: int) -> ShadowPolicy | None:
    """Return the site's running shadow policy, if any."""
    return db.session.scalar(select(ShadowPolicy).where(ShadowPolicy.site_id == site_id,
                                                        ShadowPolicy.status == "running"))


def running_for_post(site: Site) -> ShadowPolicy | None:
    """Return running(site.id); whether one runs is kept between posts while the site's
    settings stand, so a site without a shadow run asks nothing."""
    def load():
        run = running(site.id)
        return (run.id if run is not None else 0,)

    (shadow_id,) = kept(("shadow", site.id), (settings_name(site.key),), load)
    return db.session.get(ShadowPolicy, shadow_id) if shadow_id else None


def start(site_key: str, thresholds: dict, moderator: Moderator | None,
          note: str | None = None, site_model: SiteModel | None = None) -> ShadowPolicy:
    """Start a shadow run of candidate thresholds (or a site model) on the site's new comments."""
    site = get_site(site_key)
    if running(site.id) is not None:
        raise Conflict("A shadow policy already runs on this site; promote or discard it first.",
                       code="shadow_running")
    shadow = ShadowPolicy(site_id=site.id, thresholds=thresholds, note=note,
                          site_model_id=site_model.id if site_model is not None else None,
                          created_by_id=moderator.id if moderator is not None else None)
    db.session.add(shadow)
    db.session.commit()
    return shadow


def start_model(site_key: str, version: int, moderator: Moderator | None) -> ShadowPolicy:
    """Start a shadow run of one of the site's model versions that is not in use."""
    site = get_site(site_key)
    model = db.session.scalar(select(SiteModel).where(SiteModel.site_id == site.id,
                                                      SiteModel.version == version))
    if model is None:
        raise NotFound(f"This site has no model version {version}.", code="site_model_not_found")
    if model.active:
        raise Conflict(f"Site model v{version} is already in use.", code="site_model_in_use")
    return start(site_key, model_thresholds(model.weights), moderator,
                 note=f"site model v{version}", site_model=model)


def candidate_model(shadow: ShadowPolicy) -> SiteModel | None:
    """Return the site model a shadow run tries, if it tries one."""
    if shadow.site_model_id is None:
        return None
    return db.session.get(SiteModel, shadow.site_model_id)


def shadow_decision(shadow: ShadowPolicy, comment: Comment, live: Decision, premoderate: bool
                    ) -> Decision:
    """Return where the candidate would have sent a comment the live policy routed."""
    if live.reason in BEFORE_THRESHOLDS or not comment.scores or comment.model_id is None \
            or comment.model_id.startswith("ngrams-"):
        return live  # the candidate acts on the main model's scores only
    policy = default_policy(shadow.thresholds, premoderate=premoderate, language_check=False)
    suspect = live.matched_word if live.reason == "suspect_word" else None
    scores = comment.scores
    model = candidate_model(shadow)
    if model is not None:
        try:
            scores = {"toxicity": predict(model.weights, comment.scores)}
        except Exception:  # as live: a site model that fails sends the comment to review
            return Decision(CommentStatus.pending_review, "scorer_unavailable")
    return route(policy, scores, suspect_word=suspect)


def record(comment: Comment, live: Decision, site_id: int, premoderate: bool,
           runs: dict | None = None) -> None:
    """Record the running shadow policy's decision on a just-routed comment; never raises.

    runs, when given, keeps each site's running policy for a batch: one query per site.
    """
    if live.reason == "awaiting_score":
        return  # the scoring queue routes it later, and records the shadow's decision then
    try:
        if runs is None:
            shadow = running(site_id)
        else:
            if site_id not in runs:
                runs[site_id] = running(site_id)
            shadow = runs[site_id]
        if shadow is None:
            return
        decision = shadow_decision(shadow, comment, live, premoderate)
        db.session.add(ShadowDecision(shadow_id=shadow.id, comment_id=comment.id,
                                      status=decision.status.value, reason=decision.reason,
                                      live_status=live.status.value, live_reason=live.reason))
    except Exception:  # a shadow must never cost a comment its place
        log.exception("shadow decision not recorded")


def _get(shadow_id: int, site: Site) -> ShadowPolicy:
    shadow = db.session.get(ShadowPolicy, shadow_id)
    if shadow is None or shadow.site_id != site.id:
        raise NotFound("No such shadow policy on this site.", code="shadow_not_found")
    if shadow.status != "running":
        raise Conflict(f"This shadow policy was already {shadow.status}.", code="shadow_ended")
    return shadow


def promote(site_key: str, shadow_id: int, moderator: Moderator | None) -> ShadowPolicy:
    """Make the candidate's thresholds the site's own, audited with the shadow report."""
    site = get_site(site_key)
    shadow = _get(shadow_id, site)
    evidence = {"shadow": shadow.id, "report": report(site, shadow)["overall"]}
    model = candidate_model(shadow)
    if model is None:
        set_thresholds(site, dict(shadow.thresholds), kind="promotion", moderator=moderator,
                       evidence=evidence, note=shadow.note)
    else:
        # The thresholds stay; the audit row records which model was in use before.
        previous = db.session.scalar(select(SiteModel.id).where(
            SiteModel.site_id == site.id, SiteModel.active.is_(True)))
        set_thresholds(site, dict(site.thresholds or {}), kind="site_model_promotion",
                       moderator=moderator, note=shadow.note,
                       evidence={**evidence, "site_model": model.id,
                                 "site_model_version": model.version,
                                 "previous_site_model": previous})
        use_only(site, model)
    shadow.status, shadow.ended_at = "promoted", utcnow()
    db.session.commit()
    return shadow


def discard(site_key: str, shadow_id: int, moderator: Moderator | None) -> ShadowPolicy:
    """End a shadow run without changing anything live, audited."""
    site = get_site(site_key)
    shadow = _get(shadow_id, site)
    set_thresholds(site, dict(site.thresholds or {}), kind="shadow_discard", moderator=moderator,
                   evidence={"shadow": shadow.id, "report": report(site, shadow)["overall"]})
    shadow.status, shadow.ended_at = "discarded", utcnow()
    db.session.commit()
    return shadow


def _tally(pairs: list[tuple[str, str]]) -> dict:
    """Return agreement and the two kinds of error of (automatic status, verdict) pairs."""
    n = len(pairs)

    def share(test) -> float | None:
        return round(sum(1 for p in pairs if test(*p)) / n, 4) if n else None

    return {
        "agreement": share(lambda s, v: (s, v) in (("published", "approved"),
                                                   ("rejected", "rejected"))),
        "published_but_rejected": share(lambda s, v: s == "published" and v == "rejected"),
        "held_but_approved": share(lambda s, v: s != "published" and v == "approved"),
        "review": share(lambda s, v: s == "pending_review"),
    }


def report(site: Site, shadow: ShadowPolicy) -> dict:
    """Compare live and shadow decisions with the moderators' verdicts, overall and per label."""
    recorded = {row.comment_id: row for row in db.session.scalars(
        select(ShadowDecision).where(ShadowDecision.shadow_id == shadow.id))}
    verdicts = {row.item_id: row for row in load_decisions(site)
                if row.source == "comment" and row.item_id in recorded}
    per_label: dict[str, list] = {}
    live, candidate, examples = [], [], []
    before_thresholds = 0
    for comment_id, verdict in verdicts.items():
        row = recorded[comment_id]
        if row.live_reason in BEFORE_THRESHOLDS:
            before_thresholds += 1  # both policies send it the same way, by the same rule
            continue
        live.append((row.live_status, verdict.verdict))
        candidate.append((row.status, verdict.verdict))
        # The label furthest past its approve threshold is the one that decided the comment.
        label = max(LABELS, key=lambda name: (verdict.scores or {}).get(name, 0.0)
                    / max(shadow.thresholds.get("approve", {}).get(name, 0.5), 1e-3))
        per_label.setdefault(label, []).append((row, verdict))
        if row.status != row.live_status and len(examples) < EXAMPLES * 4:
            examples.append((row, verdict))
    labels = {label: {"comments": len(items),
                      "live": _tally([(r.live_status, v.verdict) for r, v in items]),
                      "shadow": _tally([(r.status, v.verdict) for r, v in items])}
              for label, items in sorted(per_label.items())}
    bodies = dict(db.session.execute(select(Comment.id, Comment.body).where(
        Comment.id.in_([row.comment_id for row, _ in examples]))).all()) if examples else {}
    return {
        "recorded": len(recorded), "decided": len(verdicts), "before_thresholds": before_thresholds,
        "overall": {"decided": len(live), "live": _tally(live), "shadow": _tally(candidate)},
        "labels": labels,
        "examples": [{"comment_id": row.comment_id, "body": bodies.get(row.comment_id, "")[:300],
                      "verdict": verdict.verdict, "live": row.live_status, "shadow": row.status}
                     for row, verdict in _balanced(examples)],
    }


def _balanced(examples: list) -> list:
    """Return up to EXAMPLES disagreements, errors of either policy first."""
    def wrong(status: str, verdict: str) -> bool:
        return (status == "published") == (verdict == "rejected")

    ranked = sorted(examples, key=lambda item: not (wrong(item[0].live_status, item[1].verdict)
                                                    or wrong(item[0].status, item[1].verdict)))
    return ranked[:EXAMPLES]
