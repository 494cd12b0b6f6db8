"""One paging helper for every list: a page of rows plus the total, in two queries."""
from flask import current_app, request

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
