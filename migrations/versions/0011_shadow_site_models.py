"""Shadow runs of a site model version, beside the live policy

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 08:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("shadow_policies") as batch:
        batch.add_column(sa.Column("site_model_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_shadow_policies_site_model_id_site_models", "site_models",
                                 ["site_model_id"], ["id"], ondelete="CASCADE")


def downgrade():
    with op.batch_alter_table("shadow_policies") as batch:
        batch.drop_constraint("fk_shadow_policies_site_model_id_site_models", type_="foreignkey")
        batch.drop_column("site_model_id")
