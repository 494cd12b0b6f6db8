"""search: an index on (kind, id) so a search filtered by kind can walk that kind's newest documents

Found with EXPLAIN on the search benchmark (docs/SEARCH-PERFORMANCE.md): with a kind filter,
the newest ideas were found by walking all 200,000 newer workshop posts first (250 ms).

Revision ID: 0014_search
Revises: 0013
"""
from alembic import op


revision = "0014_search"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index("ix_search_documents_kind_id", ["kind", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_kind_id")
