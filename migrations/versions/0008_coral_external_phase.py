"""Coral's external moderation phase: per-site signing secrets and an optional verdict log

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 05:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("coral_secrets", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("coral_log_verdicts", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    id_type = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "coral_verdicts",
        sa.Column("id", id_type, nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("story_id", sa.String(length=200), nullable=False),
        sa.Column("author_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("max_score", sa.Double(), nullable=True),
        sa.Column("model_id", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name="fk_coral_verdicts_site_id_sites", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_coral_verdicts"),
    )
    op.create_index("ix_coral_verdicts_site_id", "coral_verdicts", ["site_id"])


def downgrade():
    op.drop_index("ix_coral_verdicts_site_id", table_name="coral_verdicts")
    op.drop_table("coral_verdicts")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("coral_log_verdicts")
        batch.drop_column("coral_secrets")
