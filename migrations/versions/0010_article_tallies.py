"""Article tallies: posts to one article append a row instead of locking the article's row

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    id_type = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "article_tallies",
        sa.Column("id", id_type, nullable=False),
        sa.Column("article_id", id_type, nullable=False),
        sa.Column("published_delta", sa.Integer(), nullable=False),
        sa.Column("commented_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                name="fk_article_tallies_article_id_articles",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_article_tallies"),
    )
    op.create_index("ix_article_tallies_article_id", "article_tallies", ["article_id"])


def downgrade():
    op.drop_index("ix_article_tallies_article_id", table_name="article_tallies")
    op.drop_table("article_tallies")
