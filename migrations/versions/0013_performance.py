"""performance: indexes for the thread's top-level posts, pinned posts and challenge lists by date

Found with EXPLAIN on the benchmark data (docs/PERFORMANCE.md): the last page of a 2,000-post
thread sorted every top-level post, the pinned posts were a filter over the whole thread, and
the newest-first challenge lists sorted all matching rows.

Revision ID: 0013
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

TOP_LEVEL = sa.text("parent_id IS NULL")
PINNED = sa.text("is_pinned IS TRUE")


def upgrade():
    with op.batch_alter_table("workshop_posts", schema=None) as batch_op:
        batch_op.create_index("ix_workshop_posts_top_level", ["workshop_id", "id"], unique=False,
                              postgresql_where=TOP_LEVEL, sqlite_where=TOP_LEVEL)
        batch_op.create_index("ix_workshop_posts_pinned", ["workshop_id"], unique=False,
                              postgresql_where=PINNED, sqlite_where=PINNED)
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.create_index("ix_challenges_space_created", ["space_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_challenges_created", ["created_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.drop_index("ix_challenges_created")
        batch_op.drop_index("ix_challenges_space_created")
    with op.batch_alter_table("workshop_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_workshop_posts_pinned")
        batch_op.drop_index("ix_workshop_posts_top_level")
