"""steering: a workshop can be restricted to its target maturity band

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('band_restricted', sa.Boolean(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('band_restricted')
