"""Learning from moderators: client feedback, audited policy changes, shadow runs, site models

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 05:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('policy_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('rolled_back_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['moderators.id'], name=op.f('fk_policy_changes_moderator_id_moderators')),
    sa.ForeignKeyConstraint(['rolled_back_by_id'], ['policy_changes.id'], name=op.f('fk_policy_changes_rolled_back_by_id_policy_changes')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_policy_changes_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_changes'))
    )
    with op.batch_alter_table('policy_changes', schema=None) as batch_op:
        batch_op.create_index('ix_policy_changes_site', ['site_id', 'id'], unique=False)

    op.create_table('shadow_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('thresholds', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['moderators.id'], name=op.f('fk_shadow_policies_created_by_id_moderators')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_shadow_policies_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shadow_policies'))
    )
    with op.batch_alter_table('shadow_policies', schema=None) as batch_op:
        batch_op.create_index('ix_shadow_policies_site', ['site_id', 'status'], unique=False)

    op.create_table('site_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['moderators.id'], name=op.f('fk_site_models_created_by_id_moderators')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_models_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_models'))
    )
    with op.batch_alter_table('site_models', schema=None) as batch_op:
        batch_op.create_index('ix_site_models_site', ['site_id', 'version'], unique=False)

    op.create_table('decision_feedback',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('api_key_id', sa.Integer(), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('community_id', sa.String(length=200), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('suggested', sa.JSON(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=True),
    sa.Column('model_id', sa.String(length=100), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_keys.id'], name=op.f('fk_decision_feedback_api_key_id_api_keys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_decision_feedback_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_feedback'))
    )
    with op.batch_alter_table('decision_feedback', schema=None) as batch_op:
        batch_op.create_index('ix_decision_feedback_site', ['site_id', 'external_id'], unique=False)

    op.create_table('shadow_decisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('shadow_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('live_status', sa.String(length=20), nullable=False),
    sa.Column('live_reason', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_shadow_decisions_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shadow_id'], ['shadow_policies.id'], name=op.f('fk_shadow_decisions_shadow_id_shadow_policies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shadow_decisions'))
    )
    with op.batch_alter_table('shadow_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_shadow_decisions_policy', ['shadow_id', 'comment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('shadow_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_shadow_decisions_policy')

    op.drop_table('shadow_decisions')
    with op.batch_alter_table('decision_feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_feedback_site')

    op.drop_table('decision_feedback')
    with op.batch_alter_table('site_models', schema=None) as batch_op:
        batch_op.drop_index('ix_site_models_site')

    op.drop_table('site_models')
    with op.batch_alter_table('shadow_policies', schema=None) as batch_op:
        batch_op.drop_index('ix_shadow_policies_site')

    op.drop_table('shadow_policies')
    with op.batch_alter_table('policy_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_policy_changes_site')

    op.drop_table('policy_changes')
