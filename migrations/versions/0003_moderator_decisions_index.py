"""Partial covering index for authors' last moderator decisions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PREDICATE = sa.text("moderator_id IS NOT NULL")


def upgrade():
    with op.batch_alter_table("moderation_events") as batch:
        batch.create_index("ix_moderation_events_decisions",
                           ["comment_id", "id", "moderator_id", "to_status", "reason",
                            "created_at"],
                           postgresql_where=PREDICATE, sqlite_where=PREDICATE)


def downgrade():
    with op.batch_alter_table("moderation_events") as batch:
        batch.drop_index("ix_moderation_events_decisions")
