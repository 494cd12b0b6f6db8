"""insights: 1:1 coaching sessions

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coaching_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['facilitator_id'], ['users.id'], name=op.f('fk_coaching_sessions_facilitator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_coaching_sessions_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_coaching_sessions_person_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_sessions'))
    )
    with op.batch_alter_table('coaching_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_sessions_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('coaching_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coaching_sessions_organisation_id'))

    op.drop_table('coaching_sessions')
