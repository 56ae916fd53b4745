"""Import records: each imported comment's id in its source, for idempotent imports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 06:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_records",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("comment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("parent_source_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"],
                                name="fk_import_records_comment_id_comments", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name="fk_import_records_site_id_sites", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_import_records"),
        sa.UniqueConstraint("site_id", "source", "source_id", name="uq_import_records_site_id"),
    )
    op.create_index("ix_import_records_comment_id", "import_records", ["comment_id"])


def downgrade():
    op.drop_index("ix_import_records_comment_id", table_name="import_records")
    op.drop_table("import_records")
