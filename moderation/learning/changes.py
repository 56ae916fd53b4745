"""Applying what was learned to a site's thresholds: audited, and undone by a rollback."""

from __future__ import annotations

from sqlalchemy import select, update

from moderation.errors import Conflict, NotFound
from moderation.extensions import db, scorer
from moderation.learning.calibration import Calibration, Targets, calibrate, usable
from moderation.learning.decisions import load_decisions
from moderation.models import Moderator, PolicyChange, Site, SiteModel
from moderation.policy.languages import model_languages
from moderation.policy.thresholds import site_policy
from moderation.scoring.base import ScorerUnavailable
from moderation.sites.lookup import get_site

# Kinds of change that set thresholds or the model in use, and so may be rolled back.
REVERSIBLE = ("calibration", "promotion", "site_model_promotion")


def main_model_id() -> str | None:
    """Return the id of the configured main model, or None when it cannot be prepared."""
    try:
        return scorer.get().model_id
    except ScorerUnavailable:
        return None


def effective_thresholds(site: Site) -> dict:
    """Return the thresholds the site routes by now, every layer merged."""
    policy = site_policy(site)
    return {"approve": dict(policy.approve), "reject": dict(policy.reject)}


def site_calibration(site_key: str, targets: Targets, curve: bool = True) -> Calibration:
    """Return the calibration of a site's thresholds from its usable decisions."""
    site = get_site(site_key)
    rows = usable(load_decisions(site), main_model_id(), model_languages())
    return calibrate(rows, effective_thresholds(site), targets, curve=curve)


def set_thresholds(site: Site, thresholds: dict, *, kind: str, moderator: Moderator | None,
                   evidence: dict, note: str | None = None) -> PolicyChange:
    """Write the site's threshold layer and its audit row, in the caller's transaction."""
    change = PolicyChange(site_id=site.id, kind=kind,
                          moderator_id=moderator.id if moderator is not None else None,
                          before=dict(site.thresholds or {}), after=thresholds,
                          evidence=evidence, note=note)
    site.thresholds = thresholds
    db.session.add(change)
    return change


def use_only(site: Site, model: SiteModel | None) -> None:
    """Make model the site's only model in use (None: the bundled scores); caller commits."""
    db.session.execute(update(SiteModel).where(SiteModel.site_id == site.id)
                       .values(active=False))
    if model is not None:
        db.session.flush()
        model.active = True


def apply_calibration(site_key: str, targets: Targets, moderator: Moderator | None,
                      note: str | None = None) -> PolicyChange:
    """Calibrate again and write the proposal to the site's thresholds, audited."""
    result = site_calibration(site_key, targets, curve=False)
    if result.refusal:
        raise Conflict(result.refusal, code="not_enough_decisions")
    site = get_site(site_key)
    change = set_thresholds(site, result.proposed, kind="calibration", moderator=moderator,
                            evidence=result.evidence(), note=note)
    db.session.commit()
    return change


def history(site: Site, limit: int = 20) -> list[PolicyChange]:
    """Return the site's latest threshold changes, newest first."""
    return list(db.session.scalars(select(PolicyChange).where(PolicyChange.site_id == site.id)
                                   .order_by(PolicyChange.id.desc()).limit(limit)))


def rollback(site_key: str, moderator: Moderator | None) -> PolicyChange:
    """Restore the thresholds from before the latest applied change, audited as a rollback."""
    site = get_site(site_key)
    last = db.session.scalar(
        select(PolicyChange).where(PolicyChange.site_id == site.id,
                                   PolicyChange.kind.in_(REVERSIBLE),
                                   PolicyChange.rolled_back_by_id.is_(None))
        .order_by(PolicyChange.id.desc()).limit(1))
    if last is None:
        raise NotFound("There is no applied change to roll back.", code="nothing_to_roll_back")
    if (site.thresholds or {}) != last.after:
        raise Conflict("The thresholds were edited since that change; set them on the site's "
                       "settings page instead.", code="thresholds_edited")
    change = set_thresholds(site, dict(last.before), kind="rollback", moderator=moderator,
                            evidence={"rolled_back": last.id})
    if last.kind == "site_model_promotion":
        previous = (last.evidence or {}).get("previous_site_model")
        use_only(site, db.session.get(SiteModel, previous) if previous else None)
    db.session.flush()
    last.rolled_back_by_id = change.id
    db.session.commit()
    return change
