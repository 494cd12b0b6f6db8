"""ideas: ``refuse_vote(reason)``, so a vote on PostgreSQL is refused in SQL and goes out with its commit

A vote is one statement that changes the vote row, the voter's ballot and the idea's count. It
used to come back to Python to be checked (the idea's status, the budget) before the COMMIT was
sent, and all that while the idea's row stayed locked for every other voter on it: on the
benchmark, with eight connections voting on one idea, the machine sat 37 % idle. The statement
now checks both itself and calls this function to refuse, which raises (SQLSTATE ``CV001``, the
reason in the detail) and undoes the statement; the vote and its COMMIT then leave together
(``cocreate.pipeline``). SQLite votes run as before and need no function.

Revision ID: 0017_vote_refusal
Revises: 0016_hot_vote_counts
"""
from alembic import op


revision = "0017_vote_refusal"
down_revision = "0016_hot_vote_counts"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE OR REPLACE FUNCTION refuse_vote(reason text) RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING MESSAGE = 'vote refused: ' || reason, DETAIL = reason, ERRCODE = 'CV001';
            END
            $$
        """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS refuse_vote(text)")
