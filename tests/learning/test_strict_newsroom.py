"""A newsroom stricter than the default learns its own thresholds from its moderators.

Its moderators reject every insult, mild ones included. Labelled comments arrive through
the real pipeline, scored by the bundled model, and the moderators decide each through the
dashboard's decision service. Calibration proposes thresholds from the older decisions; a
shadow run compares them with the live policy on newer comments; once promoted, a later
slice shows fewer missed rejections with the review share within the target.
"""

from __future__ import annotations

import math
import os

import pytest

from moderation.extensions import db
from moderation.learning import changes, shadow
from moderation.learning.calibration import Targets
from moderation.models import PolicyChange, Site
from tests.learning.replay import moderate, outcome, post, strict_comments

pytestmark = pytest.mark.model

TARGETS = Targets(max_missed=0.02, max_review=0.15)


def run_newsroom(newsroom, data_dir, sizes: tuple[int, int, int]) -> dict:
    """Replay history, calibrate, shadow, promote and replay a later slice; return the figures."""
    app, moderators, admin = newsroom
    comments = strict_comments(data_dir)
    history, shadowed, later = sizes
    slices = (comments[:history], comments[history:history + shadowed],
              comments[history + shadowed:history + shadowed + later])
    figures: dict = {}
    ids = post("strict", slices[0])
    moderate(ids, slices[0], moderators)

    proposal = changes.site_calibration("strict", TARGETS)
    assert proposal.refusal is None
    figures["proposal"] = proposal
    candidate = shadow.start("strict", proposal.proposed, admin, note="calibrated")

    ids = post("strict", slices[1], start=history)
    figures["live_before"] = outcome(ids, slices[1])
    moderate(ids, slices[1], moderators)
    figures["shadow"] = shadow.report(db.session.get(Site, candidate.site_id), candidate)

    shadow.promote("strict", candidate.id, admin)
    ids = post("strict", slices[2], start=history + shadowed)
    figures["live_after"] = outcome(ids, slices[2])
    return figures


def within_review_target(share: float, comments: int) -> bool:
    """Say whether a review share on comments the fit never saw is within the target.

    The fit aims inside the target (FIT_MARGIN), so an unseen slice stays in it up to that
    slice's own sampling error: one standard error, 2.5 points at 200 comments, where one
    comment more or less in review moves the share by half a point.
    """
    slack = math.sqrt(TARGETS.max_review * (1 - TARGETS.max_review) / comments)
    return share <= TARGETS.max_review + slack


def check(figures: dict, later: int) -> None:
    """Assert what the newsroom must see at each step; later is the last slice's size."""
    proposal = figures["proposal"]
    newer = proposal.newer
    # On the newer decisions the fit never saw: fewer missed rejections, review within target.
    assert newer["proposed"].missed < newer["current"].missed
    assert within_review_target(newer["proposed"].review, newer["proposed"].comments)
    # The shadow run, on comments that arrived after the proposal, says the same.
    overall = figures["shadow"]["overall"]
    assert overall["decided"] > 0
    assert overall["shadow"]["published_but_rejected"] < overall["live"]["published_but_rejected"]
    assert within_review_target(overall["shadow"]["review"], overall["decided"])
    assert figures["shadow"]["examples"]
    # Promoted, the real pipeline does it on a later slice.
    assert figures["live_after"]["missed"] < figures["live_before"]["missed"]
    assert within_review_target(figures["live_after"]["review"], later)
    change = db.session.query(PolicyChange).filter_by(kind="promotion").one()
    assert change.after == proposal.proposed


def test_strict_newsroom_learns_its_thresholds(newsroom, data_dir):
    check(run_newsroom(newsroom, data_dir, (480, 200, 200)), later=200)


@pytest.mark.slow
def test_strict_newsroom_over_thousands_of_comments(newsroom, data_dir):
    sizes = tuple(int(n) for n in os.environ.get("LEARNING_REPLAY", "2000,800,800").split(","))
    check(run_newsroom(newsroom, data_dir, sizes), later=sizes[2])
