"""The routing policy's three bands and its overrides, as a pure function."""

from __future__ import annotations

from moderation.models import CommentStatus
from moderation.policy.routing import route
from moderation.policy.thresholds import DEFAULT_APPROVE, DEFAULT_REJECT, build_policy
from moderation.scoring.base import LABELS

POLICY = build_policy([], premoderate=False, language_check=True)


def scores(**overrides):
    values = dict.fromkeys(LABELS, 0.01)
    values.update(overrides)
    return values


def test_all_labels_below_approve_publish():
    assert route(POLICY, scores()).status is CommentStatus.published


def test_any_label_at_reject_threshold_rejects():
    decision = route(POLICY, scores(insult=DEFAULT_REJECT["insult"]))
    assert (decision.status, decision.reason) == (CommentStatus.rejected, "threshold")


def test_between_bands_goes_to_review():
    decision = route(POLICY, scores(toxicity=(DEFAULT_APPROVE["toxicity"] + 0.01)))
    assert (decision.status, decision.reason) == (CommentStatus.pending_review, "threshold")


def test_threat_and_identity_attack_are_stricter_by_default():
    assert DEFAULT_APPROVE["threat"] < DEFAULT_APPROVE["insult"]
    assert DEFAULT_REJECT["identity_attack"] < DEFAULT_REJECT["toxicity"]
    assert route(POLICY, scores(threat=0.3)).status is CommentStatus.pending_review
    assert route(POLICY, scores(insult=0.3)).status is CommentStatus.published


def test_no_scores_means_review_never_publish():
    decision = route(POLICY, None)
    assert (decision.status, decision.reason) == (CommentStatus.pending_review,
                                                  "scorer_unavailable")


def test_banned_words_and_bans_reject_before_scoring():
    assert route(POLICY, None, banned=True).reason == "banned"
    decision = route(POLICY, scores(), banned_word="slur")
    assert (decision.status, decision.reason, decision.matched_word) == (
        CommentStatus.rejected, "banned_word", "slur")


def test_suspect_word_forces_review():
    decision = route(POLICY, scores(), suspect_word="kill")
    assert (decision.status, decision.reason) == (CommentStatus.pending_review, "suspect_word")


def test_unsupported_language_goes_to_review_even_with_high_scores():
    decision = route(POLICY, scores(toxicity=0.99), language="zh")
    assert decision.reason == "language_unsupported"


def test_site_layer_overrides_defaults_per_label():
    policy = build_policy([{"approve": {"insult": 0.05}}], premoderate=False,
                          language_check=True)
    assert route(policy, scores(insult=0.2)).status is CommentStatus.pending_review
    assert policy.approve["threat"] == DEFAULT_APPROVE["threat"]


def test_premoderation_holds_clean_comments():
    policy = build_policy([], premoderate=True, language_check=True)
    assert route(policy, scores()).reason == "premoderation"
