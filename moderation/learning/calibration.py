"""Fit a site's approve and reject thresholds to its moderators' decisions (numpy only).

The fit sees the older decisions and is measured on the newer ones, so what the page shows
is what the thresholds would have done on comments the fit never saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from moderation.learning.decisions import LabelledDecision
from moderation.scoring.base import LABELS

# Safety rails (docs/LEARNING.md explains each).
MIN_DECISIONS = 200  # usable decisions before any proposal is made
MIN_REJECTIONS = 20  # of them, rejected by moderators
MIN_MODERATORS = 3  # distinct people (a feedback client counts as one) behind the decisions
MAX_MODERATOR_SHARE = 0.5  # one person's decisions weigh at most this share of the fit
REJECT_PRECISION = 0.97  # a reject threshold rejects only where moderators rejected this often
REJECT_SUPPORT = 20  # decisions at or above a reject threshold before it may move
# Automatic reasons that hold a comment before the thresholds are consulted.
HELD_BY_RULE = frozenset({"suspect_word"})
FIT_SHARE = 0.7  # the oldest 70% fit, the newest 30% measure
# The fit aims this far inside each target: the newer slice, unseen by it, must stay within.
# At 0.8 a strict newsroom's later comments went 0.6 points over a 15% review target.
FIT_MARGIN = 0.7
GRID = 60  # candidate thresholds per label: quantiles of the site's own scores
CURVE_BUDGETS = tuple(round(0.025 * step, 3) for step in range(0, 21))


@dataclass(frozen=True)
class Targets:
    """The site's stated targets."""

    max_missed: float = 0.02  # share of moderator-rejected comments auto-published
    max_review: float = 0.15  # share of comments sent to review


@dataclass
class Slice:
    """Decisions as arrays: scores (n x 6), rejected by moderators, weight, decider."""

    scores: np.ndarray
    rejected: np.ndarray
    weight: np.ndarray
    deciders: list[str]
    # Held whatever the thresholds say (a suspect word or built-in phrase): review the
    # thresholds cannot move, which counts against the site's review target all the same.
    held: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.rejected)


@dataclass
class Outcome:
    """What a set of thresholds does to a slice of decided comments."""

    comments: int
    rejected_by_moderators: int
    missed: float  # moderator-rejected comments that would be auto-published
    review: float  # comments sent to review
    auto_published: float
    auto_rejected: float
    wrongly_rejected: float  # moderator-approved comments that would be auto-rejected

    def as_dict(self) -> dict:
        """Return the outcome rounded for display and audit."""
        return {key: round(value, 4) if isinstance(value, float) else value
                for key, value in self.__dict__.items()}


@dataclass
class Calibration:
    """A proposal, or the reason there is none, with its evidence."""

    targets: Targets
    decisions: int
    rejections: int
    deciders: int
    refusal: str | None = None
    current: dict = field(default_factory=dict)
    proposed: dict = field(default_factory=dict)
    fit: dict = field(default_factory=dict)  # {"current": Outcome, "proposed": Outcome}
    newer: dict = field(default_factory=dict)
    curve: list = field(default_factory=list)  # [(review, missed) on the newer slice]
    meets_targets: bool = False
    notes: list = field(default_factory=list)

    def evidence(self) -> dict:
        """Return what an applied change records about this proposal."""
        return {"targets": self.targets.__dict__, "decisions": self.decisions,
                "rejections": self.rejections, "deciders": self.deciders,
                "fit": {k: v.as_dict() for k, v in self.fit.items()},
                "newer": {k: v.as_dict() for k, v in self.newer.items()},
                "meets_targets": self.meets_targets, "notes": self.notes}


def usable(rows: list[LabelledDecision], model_id: str | None,
           languages: frozenset[str]) -> list[LabelledDecision]:
    """Keep decisions the main model scored in a language it reads (thresholds act on those)."""
    return [row for row in rows if row.scores and all(label in row.scores for label in LABELS)
            and (model_id is None or row.model_id == model_id)
            and (row.language is None or row.language in languages)]


def moderator_weights(deciders: list[str]) -> np.ndarray:
    """Weigh decisions so that no one decider carries more than MAX_MODERATOR_SHARE of them."""
    names, index, counts = np.unique(deciders, return_inverse=True, return_counts=True)
    weights = np.ones(len(names))
    total = counts.sum()
    for i, count in enumerate(counts):
        others = total - count
        if count > MAX_MODERATOR_SHARE * total and others:
            # Solve w * count = share * (w * count + others) for this decider's weight.
            weights[i] = MAX_MODERATOR_SHARE * others / ((1 - MAX_MODERATOR_SHARE) * count)
    return weights[index]


def to_slice(rows: list[LabelledDecision]) -> Slice:
    """Return the decisions as arrays, weighted against any one decider's dominance."""
    deciders = [row.decided_by for row in rows]
    return Slice(scores=np.array([[row.scores[label] for label in LABELS] for row in rows],
                                 dtype=float).reshape(-1, len(LABELS)),
                 rejected=np.array([row.rejected for row in rows], dtype=bool),
                 weight=moderator_weights(deciders) if rows else np.zeros(0),
                 deciders=deciders,
                 held=np.array([row.automatic_reason in HELD_BY_RULE for row in rows],
                               dtype=bool))


def vectors(thresholds: dict) -> tuple[np.ndarray, np.ndarray]:
    """Return the approve and reject thresholds as arrays in LABELS order."""
    return (np.array([thresholds["approve"][label] for label in LABELS]),
            np.array([thresholds["reject"][label] for label in LABELS]))


def routes(scores: np.ndarray, approve: np.ndarray, reject: np.ndarray):
    """Return (published, rejected) masks: the routing policy's threshold rules, vectorised."""
    auto_rejected = (scores >= reject).any(axis=1)
    published = (scores < approve).all(axis=1) & ~auto_rejected
    return published, auto_rejected


def measure(data: Slice, approve: np.ndarray, reject: np.ndarray) -> Outcome:
    """Return the outcome of thresholds on a slice, each decision counted by its weight."""
    published, auto_rejected = routes(data.scores, approve, reject)
    if data.held is not None:
        published, auto_rejected = published & ~data.held, auto_rejected & ~data.held
    return _outcome(data, published, auto_rejected)


def _share(mask: np.ndarray, weight: np.ndarray) -> float:
    total = weight.sum()
    return float((weight * mask).sum() / total) if total else 0.0


def _outcome(data: Slice, published: np.ndarray, auto_rejected: np.ndarray) -> Outcome:
    w, rej = data.weight, data.rejected
    return Outcome(
        comments=len(data), rejected_by_moderators=int(rej.sum()),
        missed=_share(published[rej], w[rej]), review=_share(~published & ~auto_rejected, w),
        auto_published=_share(published, w), auto_rejected=_share(auto_rejected, w),
        wrongly_rejected=_share(auto_rejected[~rej], w[~rej]))


def fit_reject(data: Slice, current: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Move each reject threshold only as far down as the moderators' rejections support.

    The lowest score from which moderators rejected at least REJECT_PRECISION of REJECT_SUPPORT
    or more decisions, made by MIN_MODERATORS or more people; a current threshold that rejects
    what moderators approve is raised to it. Without such support it stays.
    """
    proposed, notes = current.copy(), []
    for j, label in enumerate(LABELS):
        column = data.scores[:, j]
        supported = None
        for candidate in np.unique(np.round(column, 4))[::-1]:
            above = column >= candidate
            if above.sum() < REJECT_SUPPORT:
                continue
            if _share(data.rejected[above], data.weight[above]) < REJECT_PRECISION:
                break
            people = {data.deciders[i] for i in np.flatnonzero(above & data.rejected)}
            if len(people) >= MIN_MODERATORS:
                supported = float(candidate)
        above_current = column >= current[j]
        too_harsh = (above_current.sum() >= REJECT_SUPPORT and _share(
            data.rejected[above_current], data.weight[above_current]) < REJECT_PRECISION)
        if supported is not None and (supported < current[j] or too_harsh):
            proposed[j] = supported
        elif too_harsh:
            notes.append(f"{label}: the reject threshold rejects comments moderators approve, "
                         "but no higher one is supported yet; it stays")
    return proposed, notes


def _cost(outcome: Outcome, targets: Targets) -> float:
    """Rank outcomes: within the review budget first, then fewest missed, then least review."""
    if outcome.review > targets.max_review * FIT_MARGIN:
        return 1000.0 + outcome.review
    if outcome.missed > targets.max_missed * FIT_MARGIN:
        return 10.0 + outcome.missed + 0.001 * outcome.review
    return outcome.review + 0.001 * outcome.missed


def fit_approve(data: Slice, start: np.ndarray, reject: np.ndarray, targets: Targets
                ) -> np.ndarray:
    """Search each label's approve threshold in turn among quantiles of the site's scores."""
    approve = np.minimum(start.copy(), reject)
    auto_rejected = (data.scores >= reject).any(axis=1)
    grids = [np.unique(np.concatenate([np.quantile(data.scores[:, j], np.linspace(0, 1, GRID)),
                                       [start[j], reject[j]]])) for j in range(len(LABELS))]
    best = _cost(measure(data, approve, reject), targets)
    for _ in range(4):
        improved = False
        for j in range(len(LABELS)):
            others_ok = np.delete(data.scores < approve, j, axis=1).all(axis=1) & ~auto_rejected
            for candidate in grids[j][grids[j] <= reject[j]]:
                published = others_ok & (data.scores[:, j] < candidate)
                cost = _cost(_outcome(data, published, auto_rejected), targets)
                if cost < best - 1e-9:
                    best, approve[j], improved = cost, float(candidate), True
        if not improved:
            break
    return approve


def split(rows: list[LabelledDecision]) -> tuple[list, list]:
    """Return the older FIT_SHARE of the decisions and the newer rest."""
    cut = int(len(rows) * FIT_SHARE)
    return rows[:cut], rows[cut:]


def refusal(rows: list[LabelledDecision]) -> str | None:
    """Say why the decisions cannot move a threshold yet, or None when they can."""
    rejections = sum(row.rejected for row in rows)
    people = len({row.decided_by for row in rows})
    if len(rows) < MIN_DECISIONS:
        return (f"{len(rows)} usable decisions; calibration needs {MIN_DECISIONS}: "
                f"{MIN_DECISIONS - len(rows)} more.")
    if rejections < MIN_REJECTIONS:
        return (f"{rejections} rejections among the decisions; calibration needs "
                f"{MIN_REJECTIONS}: {MIN_REJECTIONS - rejections} more.")
    if people < MIN_MODERATORS:
        return (f"decisions by {people} moderator(s); calibration needs {MIN_MODERATORS} "
                "different people, so that no one alone moves a threshold.")
    return None


def _rounded(values: np.ndarray) -> dict:
    return {label: round(float(v), 4) for label, v in zip(LABELS, values, strict=True)}


def calibrate(rows: list[LabelledDecision], current: dict, targets: Targets,
              curve: bool = True) -> Calibration:
    """Propose thresholds for the targets from usable decisions, oldest first."""
    result = Calibration(targets=targets, decisions=len(rows),
                         rejections=sum(row.rejected for row in rows),
                         deciders=len({row.decided_by for row in rows}), current=current)
    result.refusal = refusal(rows)
    if result.refusal:
        return result
    older, newer = split(rows)
    fit_data, new_data = to_slice(older), to_slice(newer)
    approve_now, reject_now = vectors(current)
    reject, result.notes = fit_reject(fit_data, reject_now)
    approve = fit_approve(fit_data, approve_now, reject, targets)
    result.proposed = {"approve": _rounded(approve), "reject": _rounded(reject)}
    approve, reject = vectors(result.proposed)
    result.fit = {"current": measure(fit_data, approve_now, reject_now),
                  "proposed": measure(fit_data, approve, reject)}
    result.newer = {"current": measure(new_data, approve_now, reject_now),
                    "proposed": measure(new_data, approve, reject)}
    proposed = result.newer["proposed"]
    result.meets_targets = (proposed.missed <= targets.max_missed
                            and proposed.review <= targets.max_review)
    if curve:
        result.curve = tradeoff_curve(fit_data, new_data, approve_now, reject, targets)
    return result


def tradeoff_curve(fit_data: Slice, new_data: Slice, start: np.ndarray, reject: np.ndarray,
                   targets: Targets) -> list[tuple[float, float]]:
    """Return (review share, missed rejections) on the newer slice for a range of review budgets."""
    points = []
    for budget in CURVE_BUDGETS:
        approve = fit_approve(fit_data, start, reject, Targets(0.0, budget / FIT_MARGIN))
        outcome = measure(new_data, approve, reject)
        points.append((round(outcome.review, 4), round(outcome.missed, 4)))
    return sorted(set(points))
