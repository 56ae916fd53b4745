"""Per-site choice of the languages a per-language model decides automatically

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 03:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("auto_languages", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("auto_languages")
