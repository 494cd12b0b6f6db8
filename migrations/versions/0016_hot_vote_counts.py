"""ideas: no index on vote_count, and room on each page, so a vote updates the idea in place

Every vote and take-back updates its idea's ``vote_count``. With ``vote_count`` in an index
(``ix_ideas_challenge_votes``) PostgreSQL cannot make that a HOT update: each one wrote a new
row version plus an entry in all five indexes of ``ideas``, and until vacuum came by every
look-up of the idea stepped over the dead ones. On the benchmark the vote ran at 216 rps on a
fresh database and 305 after a ``VACUUM``, with 0 of 6,305 updates HOT. A challenge's ideas are
found through ``ix_ideas_challenge_id`` and sorted by votes in memory (a few hundred at most),
so the index bought nothing a vote should pay for. ``fillfactor = 90`` leaves room on newly
filled pages for the new row versions (existing pages gain it as they are rewritten).

Revision ID: 0016_hot_vote_counts
Revises: 0015_search_word_pairs
"""
from alembic import op


revision = "0016_hot_vote_counts"
down_revision = "0015_search_word_pairs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ideas") as batch_op:
        batch_op.drop_index("ix_ideas_challenge_votes")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE ideas SET (fillfactor = 90)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE ideas RESET (fillfactor)")
    with op.batch_alter_table("ideas") as batch_op:
        batch_op.create_index("ix_ideas_challenge_votes", ["challenge_id", "vote_count"], unique=False)
