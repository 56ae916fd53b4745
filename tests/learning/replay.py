"""A strict newsroom, replayed: labelled comments arrive through the real pipeline and its
moderators decide each one through the dashboard's decision service."""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from moderation.models import Comment, CommentStatus, Moderator
from moderation.services import actions
from moderation.services.comments import submit_comment
from moderation.sites.lookup import get_site

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Labelled:
    """A comment's text and whether the strict newsroom rejects it."""

    text: str
    reject: bool


def strict_comments(data_dir: Path, seed: int = 13) -> list[Labelled]:
    """Return labelled comments, shuffled, as a newsroom that rejects every insult judges them.

    The Conversation AI sample gives each comment the share of raters who saw an insult:
    this newsroom rejects it if any rater did (mild insults included), or if most raters saw
    obscenity, a threat or identity hate. Wikipedia Talk comments are rejected when toxic.
    """
    rows = []
    with open(data_dir / "conversationai_sample" / "aggregated_majority.csv", newline="",
              encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(Labelled(row["comment_text"],
                                 float(row["insult"]) > 0 or row["any_maj"] == "1"))
    with open(data_dir / "wikipedia_talk" / "toxicity_nonfuzzed_testset.csv", newline="",
              encoding="utf-8") as handle:
        rows += [Labelled(row["comment"], row["toxic"] == "True") for row in csv.DictReader(handle)]
    cleaned = []
    for row in rows:
        text = CONTROL.sub(" ", row.text.replace("NEWLINE_TOKEN", "\n")).strip()[:2000]
        if text:
            cleaned.append(Labelled(text, row.reject))
    random.Random(seed).shuffle(cleaned)
    return cleaned


def post(site_key: str, comments: list[Labelled], start: int = 0) -> list[int]:
    """Post each comment through submit_comment, as a reader would; return the ids."""
    from moderation.extensions import scorer

    primed = scorer.get()
    if hasattr(primed, "prime"):
        primed.prime([item.text for item in comments])
    site = get_site(site_key)
    ids = []
    for number, item in enumerate(comments, start=start):
        comment = submit_comment(site, f"story-{number % 40}",
                                 {"author_name": f"reader{number}", "body": item.text},
                                 client_h=f"{number:064x}")
        ids.append(comment.id)
    return ids


def moderate(ids: list[int], comments: list[Labelled], moderators: list[Moderator]) -> None:
    """Decide every comment as the newsroom does, through the dashboard's actions.

    The first moderator takes half the work, the others share the rest.
    """
    from moderation.extensions import db

    for number, (comment_id, item) in enumerate(zip(ids, comments, strict=True)):
        moderator = moderators[0] if number % 2 == 0 else moderators[1 + number // 2 % (
            len(moderators) - 1)]
        comment = db.session.get(Comment, comment_id)
        if item.reject:
            if not (comment.status is CommentStatus.rejected and comment.reason == "abusive"):
                actions.reject(comment_id, moderator, reason="abusive", version=comment.version)
        else:
            actions.approve(comment_id, moderator, version=comment.version)


def outcome(ids: list[int], comments: list[Labelled]) -> dict:
    """Return what the live policy did to the comments, measured by the newsroom's verdicts."""
    from moderation.extensions import db
    from moderation.models import ModerationEvent

    first = {}
    for event in db.session.query(ModerationEvent).filter(
            ModerationEvent.comment_id.in_(ids), ModerationEvent.from_status.is_(None)):
        first[event.comment_id] = (event.to_status, event.reason)
    readable = [(first[i], item) for i, item in zip(ids, comments, strict=True)
                if not first[i][1].startswith("language")]
    rejected = [status for (status, _), item in readable if item.reject]
    return {
        "missed": sum(s is CommentStatus.published for s in rejected) / max(len(rejected), 1),
        "review": sum(s is CommentStatus.pending_review for (s, _), _ in readable)
        / max(len(readable), 1),
    }
