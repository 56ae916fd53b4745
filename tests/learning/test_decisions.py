"""The decision store: final human verdicts from the audit trail, undone ones left out."""

from __future__ import annotations

import csv
import io

import pytest

from moderation.extensions import db
from moderation.learning.decisions import load_decisions, write_csv
from moderation.models import CommentStatus, Site
from moderation.services import actions, bans
from tests.factories import make_comment, make_moderator

TOXIC = {"toxicity": 0.7, "severe_toxicity": 0.1, "obscene": 0.2, "threat": 0.05,
         "insult": 0.6, "identity_attack": 0.05}


@pytest.fixture
def ctx(app, site):
    """An app context with two moderators."""
    with app.app_context():
        yield make_moderator("ann@example.org"), make_moderator("bob@example.org")


def decisions() -> dict[int, object]:
    site = db.session.query(Site).filter_by(key="news").one()
    return {row.item_id: row for row in load_decisions(site)}


def test_approval_and_rejection_become_labels_with_who_and_scores(ctx):
    ann, bob = ctx
    fine, rude = make_comment(), make_comment(scores=TOXIC, body="You idiot.")
    actions.approve(fine.id, ann, version=1)
    actions.reject(rude.id, bob, reason="abusive", version=1)
    found = decisions()
    assert found[fine.id].verdict == "approved" and found[fine.id].decided_by == "ann@example.org"
    assert found[rude.id].verdict == "rejected" and found[rude.id].reason == "abusive"
    assert found[rude.id].scores == TOXIC
    assert found[rude.id].automatic_status == "pending_review"


def test_undone_decision_is_not_a_label_and_the_one_before_it_stands(ctx):
    ann, bob = ctx
    once, twice = make_comment(), make_comment()
    actions.reject(once.id, ann, version=1)
    actions.undo(once.id, ann, version=2)
    actions.approve(twice.id, ann, version=1)
    actions.reject(twice.id, bob, reason="spam", version=2)
    actions.undo(twice.id, bob, version=3)
    found = decisions()
    assert once.id not in found
    assert found[twice.id].verdict == "approved" and found[twice.id].decided_by == "ann@example.org"


def test_feature_toggles_are_not_verdicts_but_featuring_a_pending_comment_approves_it(ctx):
    ann, _ = ctx
    published = make_comment(status=CommentStatus.published)
    pending = make_comment()
    actions.feature(published.id, ann, version=1)
    actions.feature(pending.id, ann, version=1)
    found = decisions()
    assert published.id not in found
    assert found[pending.id].verdict == "approved"


def test_ban_rejects_and_unscored_comments_are_left_out(ctx):
    ann, _ = ctx
    banned = make_comment(scores=TOXIC)
    unscored = make_comment(scores={})
    bans.ban_author(banned.id, ann, days=None, version=1)
    actions.approve(unscored.id, ann, version=1)
    found = decisions()
    assert found[banned.id].verdict == "rejected" and found[banned.id].reason == "banned"
    assert unscored.id not in found


def test_csv_has_a_row_per_decision_with_scores_and_no_text(ctx):
    ann, _ = ctx
    rude = make_comment(scores=TOXIC, body="secret words of the comment")
    actions.reject(rude.id, ann, version=1)
    buffer = io.StringIO()
    site = db.session.query(Site).filter_by(key="news").one()
    write_csv(load_decisions(site), buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(rows) == 1
    assert rows[0]["verdict"] == "rejected" and float(rows[0]["insult"]) == 0.6
    assert "secret words" not in buffer.getvalue()


def test_export_command_writes_the_csv(app, ctx, runner, tmp_path):
    ann, _ = ctx
    actions.approve(make_comment().id, ann, version=1)
    out = tmp_path / "decisions.csv"
    result = runner.invoke(args=["moderation", "export-decisions", "news", "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["decided_by"] == "ann@example.org"
