"""Paging helpers for every list: a page of rows plus the total.

``paginate`` asks for the page and the total in two queries. ``paginate_in_one`` asks for
both in one statement (the total as ``count(*) OVER ()`` beside each row), for the lists of
the busiest pages; it needs a select of one entity without joined-eager collections, so
every row stands for one item.
"""
from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import func

from .extensions import db


def page_number():
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def paginate(select, per_page=None):
    return db.paginate(
        select,
        page=page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
        count=True,
    )


class _PageWithTotal(SelectPagination):
    """A page whose rows carry the total; only a page beyond the last needs a count of its own."""

    def _query_items(self):
        select = self._query_args["select"].add_columns(func.count().over().label("total"))
        rows = self._query_args["session"].execute(
            select.limit(self.per_page).offset(self._query_offset)
        ).all()
        # An empty first page means no rows at all; a page beyond the last says nothing of the total.
        self._total = rows[0].total if rows else (0 if self.page == 1 else None)
        return [row[0] for row in rows]

    def _query_count(self):
        if self._total is not None:
            return self._total
        return super()._query_count()


def paginate_in_one(select, per_page=None):
    return _PageWithTotal(
        select=select,
        session=db.session(),
        page=page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
        count=True,
    )
