"""Statistics per site and day from the audit trail, as a chart page and as CSV."""

from __future__ import annotations

import csv
import io

import pytest

from moderation.dashboard.queue_history import queue_samples
from moderation.dashboard.stats import DayStats, daily_stats, decisions_per_moderator
from moderation.extensions import db
from moderation.models import CommentStatus, Moderator
from moderation.models.types import utcnow
from moderation.services import actions, bans
from moderation.sites.create import create_site
from tests.factories import make_comment, make_moderator


@pytest.fixture
def activity(app, mod):
    """Two sites' worth of automatic and moderator decisions today."""
    with app.app_context():
        create_site("other")
        moderator = db.session.get(Moderator, mod)
        second = make_moderator("second@example.org")
        make_comment(status=CommentStatus.published)
        make_comment(status=CommentStatus.published)
        make_comment(status=CommentStatus.rejected)
        waits = [10, 20, 30, 40]
        pending = [make_comment(age_minutes=m) for m in waits]
        for comment in pending[:3]:
            actions.approve(comment.id, moderator, version=1)
        actions.reject(pending[3].id, second, reason="spam", version=1)
        make_comment(site_key="other", article="b")
    return utcnow().date().isoformat()


def test_daily_stats_count_outcomes_rates_and_waits(app, activity):
    with app.app_context():
        rows = {row.site: row for row in daily_stats(days=3)}
    news = rows["news"]
    assert news.day == activity
    assert (news.received, news.auto_published, news.auto_rejected, news.sent_to_review) == (
        7, 2, 1, 4)
    assert (news.moderator_approved, news.moderator_rejected) == (3, 1)
    assert (news.approve_rate, news.reject_rate) == (0.75, 0.25)
    assert news.median_wait_s == pytest.approx(25 * 60, abs=30)
    assert news.p90_wait_s == pytest.approx(40 * 60, abs=30)
    assert rows["other"].received == 1 and rows["other"].decided == 0


def test_stats_filter_by_site(app, activity):
    with app.app_context():
        assert [row.site for row in daily_stats(site_key="other")] == ["other"]


def test_an_undone_approval_is_not_counted(app, activity, mod):
    with app.app_context():
        moderator = db.session.get(Moderator, mod)
        comment = make_comment()
        actions.approve(comment.id, moderator, version=1)
        actions.undo(comment.id, moderator, version=2)
        news = next(row for row in daily_stats() if row.site == "news")
    assert news.moderator_approved == 3


def test_a_reject_then_undo_shows_no_rejection(app, mod):
    with app.app_context():
        moderator = db.session.get(Moderator, mod)
        comment = make_comment()
        actions.reject(comment.id, moderator, reason="spam", version=1)
        actions.undo(comment.id, moderator, version=2)
        [news] = daily_stats()
        [row] = decisions_per_moderator()
    assert (news.moderator_approved, news.moderator_rejected, news.approve_rate) == (0, 0, None)
    assert (row.rejected, row.decisions, row.undos) == (0, 0, 1)


def test_rates_come_from_each_comments_final_state(app, mod):
    with app.app_context():
        moderator = db.session.get(Moderator, mod)
        changed, kept = make_comment(), make_comment()
        actions.reject(changed.id, moderator, reason="spam", version=1)
        actions.approve(changed.id, moderator, version=2)
        actions.reject(kept.id, moderator, reason="spam", version=1)
        [news] = daily_stats()
    assert (news.moderator_approved, news.moderator_rejected) == (1, 1)
    assert news.approve_rate == 0.5


def test_queue_samples_follow_comments_in_and_out_of_review(app, mod):
    with app.app_context():
        moderator = db.session.get(Moderator, mod)
        make_comment(age_minutes=120)
        decided = make_comment(age_minutes=60)
        make_comment(status=CommentStatus.published)
        before = queue_samples(days=2)
        actions.approve(decided.id, moderator, version=1)
        after = queue_samples(days=2)
        other_site = queue_samples(days=2, site_key="nowhere")
    assert [s.size for s in before] == [0, 2] and [s.size for s in after] == [0, 1]
    assert after[-1].oldest_wait_s == pytest.approx(after[-1].median_wait_s)
    assert other_site[-1].size == 0


def test_decisions_per_moderator(app, activity):
    with app.app_context():
        rows = [(row.day, row.moderator, row.decisions) for row in decisions_per_moderator()]
    assert rows == [(activity, "mod@example.org", 3), (activity, "second@example.org", 1)]


def test_only_approvals_and_rejections_count_as_decisions(app, mod):
    with app.app_context():
        moderator = db.session.get(Moderator, mod)
        approved, rejected, featured, banned, undone = (make_comment() for _ in range(5))
        actions.approve(approved.id, moderator, version=1)
        actions.reject(rejected.id, moderator, reason="spam", version=1)
        actions.feature(featured.id, moderator, version=1)
        bans.ban_author(banned.id, moderator, days=7, version=1)
        actions.approve(undone.id, moderator, version=1)
        actions.undo(undone.id, moderator, version=2)
        bulk = [make_comment(), make_comment()]
        actions.bulk([(c.id, 1) for c in bulk], "reject", moderator, reason="spam")
        [row] = decisions_per_moderator()
    assert (row.approved, row.rejected, row.featured, row.bans, row.undos) == (1, 3, 1, 1, 1)
    assert row.decisions == 4


def test_p90_uses_the_nearest_rank():
    stats = DayStats(day="2026-01-01", site="x", waits=[float(i) for i in range(1, 11)])
    assert (stats.median_wait_s, stats.p90_wait_s) == (5.5, 9.0)


def test_stats_page_draws_an_svg_chart(mod_client, activity):
    html = mod_client.get("/dashboard/stats?days=7").get_data(as_text=True)
    assert "<svg" in html and 'class="bar-published"' in html and "<script" not in html
    assert html.count('class="tick" x=') == 1 + 7
    assert "mod@example.org" in html and "75%" in html and "<th>Undos</th>" in html
    assert 'class="line-size"' in html and "Review queue at the end of each day" in html


def test_stats_csv_has_the_same_numbers(mod_client, activity):
    response = mod_client.get("/dashboard/stats.csv?site=news")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["day", "site", "received", "auto_published"]
    assert rows[1][:8] == [activity, "news", "7", "2", "1", "4", "3", "1"]
    assert ["day", "moderator", "decisions", "approved", "rejected", "featured", "bans",
            "undos"] in rows
    assert [activity, "mod@example.org", "3", "3", "0", "0", "0", "0"] in rows


def test_stats_window_defaults_to_the_setting(app_factory, site):
    from tests.dashboard.conftest import login

    app = app_factory(STATS_DAYS=3)
    with app.app_context():
        make_moderator("mod@example.org")
    client = app.test_client()
    login(client, "mod@example.org")
    html = client.get("/dashboard/stats").get_data(as_text=True)
    assert html.count('class="tick" x=') == 1 + 3 and 'value="3"' in html
