"""Indexes for editors' picks and top-sorted threads

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 13:55:00

"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments") as batch:
        batch.create_index("ix_comments_featured",
                           ["article_id", "is_featured", "status", "created_at"])
        batch.create_index("ix_comments_top", ["article_id", "status", "like_count", "id"])


def downgrade():
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("ix_comments_top")
        batch.drop_index("ix_comments_featured")
