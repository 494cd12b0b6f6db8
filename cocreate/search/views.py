from flask import Blueprint, current_app, request
from flask_login import current_user

from ..extensions import db
from ..pagination import page_number
from ..spaces.models import Space
from ..spaces.queries import barriers, visible_spaces
from ..web.htmx import render_page
from .parsing import MAX_LENGTH, parse
from .queries import CANDIDATES, results, search_page
from .registry import KINDS

bp = Blueprint("search", __name__)


def _arg(name):
    return request.args.get(name, "").strip()


@bp.route("/search")
def index():
    text = _arg("q")[:MAX_LENGTH]
    query = parse(text)
    kind = _arg("kind") if _arg("kind") in KINDS else ""
    spaces = db.session.scalars(visible_spaces(current_user).order_by(Space.title)).all()
    space = next((option for option in spaces if option.slug == _arg("space")), None)
    themes = barriers()
    theme = next((option for option in themes if option.slug == _arg("barrier")), None)
    page = search_page(current_user, query, kind, space, theme, page_number(),
                       current_app.config["PAGE_SIZE"]) if query else None
    return render_page(
        "search/index.html", block="results", q=text, query=query, page=page,
        results=results(page.items, query) if page else [], kinds=KINDS.values(), kind=kind,
        spaces=spaces, space=space, themes=themes, theme=theme, candidates=CANDIDATES,
    )


