"""``paginate_in_one``: the page and its total in one statement, a count only beyond the last page."""
import pytest

from cocreate.extensions import db
from cocreate.pagination import paginate, paginate_in_one
from cocreate.spaces.models import Space

from ..factories import make_space


@pytest.fixture
def spaces(app):
    for n in range(5):
        make_space(title=f"Paged {n}", commit=False)
    db.session.commit()
    return db.select(Space).order_by(Space.id)


@pytest.mark.parametrize("page, items, statements", [(1, 2, 1), (3, 1, 1), (4, 0, 2)])
def test_one_statement_unless_beyond_the_last_page(app, spaces, count_queries, page, items, statements):
    with app.test_request_context(f"/?page={page}"):
        with count_queries() as queries:
            paged = paginate_in_one(spaces, per_page=2)
        expected = paginate(spaces, per_page=2)
    assert len(queries) == statements
    assert len(paged.items) == items
    assert [s.id for s in paged.items] == [s.id for s in expected.items]
    assert (paged.total, paged.pages) == (expected.total, expected.pages) == (5, 3)


def test_an_empty_list_needs_no_count(app, count_queries):
    with app.test_request_context("/"):
        with count_queries() as queries:
            paged = paginate_in_one(db.select(Space))
    assert len(queries) == 1
    assert (paged.items, paged.total, paged.pages) == ([], 0, 0)
