"""Before-posting nudge: the site switch, the draft kept with a comment, a count of nudges

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("nudge_authors", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("draft_body", sa.Text(), nullable=True))
        batch.add_column(sa.Column("nudge_outcome", sa.String(length=10), nullable=True))
    id_type = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "nudges",
        sa.Column("id", id_type, nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name="fk_nudges_site_id_sites", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_nudges"),
    )
    op.create_index("ix_nudges_site_created", "nudges", ["site_id", "created_at"])


def downgrade():
    op.drop_index("ix_nudges_site_created", table_name="nudges")
    op.drop_table("nudges")
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("nudge_outcome")
        batch.drop_column("draft_body")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("nudge_authors")
