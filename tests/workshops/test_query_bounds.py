"""The first and last pages of a long thread run as many SQL queries as those of a short one."""
from sqlalchemy import insert

from cocreate.extensions import db
from cocreate.markdown import render_markdown
from cocreate.workshops.models import Post
from cocreate.workshops.queries import THREAD_PAGE_SIZE

from ..factories import DEFAULT_PASSWORD, make_post, make_user, make_workshop


def _fill(workshop, authors, count):
    rows = [
        {"workshop_id": workshop.id, "author_id": authors[n % len(authors)].id, "author_side": "company",
         "body_md": f"Post {n}", "body_html": render_markdown(f"Post {n}")}
        for n in range(count)
    ]
    db.session.execute(insert(Post), rows)
    db.session.commit()
    tops = db.session.scalars(db.select(Post).where(Post.workshop_id == workshop.id).order_by(Post.id)).all()
    # Replies and a hidden post on the first and last pages, so eager loading is exercised.
    for top in (tops[0], tops[-1]):
        make_post(workshop, authors[1], body="A reply", parent=top, commit=False)
    tops[1].hidden_at, tops[1].hidden_reason = db.func.now(), "Off topic"
    db.session.commit()


def _queries_for(client, count_queries, url):
    # The test's own session shares the request's; a first request refreshes the objects the setup left expired.
    client.get(url)
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_first_and_last_thread_pages_run_a_fixed_number_of_queries(cast, client, count_queries):
    authors = [cast.member, cast.other_member, cast.facilitator]
    for n in range(3):
        authors.append(make_user(name=f"Writer {n}", organisation=None))
    short = cast.workshop
    long = make_workshop(cast.space, title="Long thread")
    _fill(short, authors, THREAD_PAGE_SIZE * 2)
    _fill(long, authors, 2000)
    client.post("/login", data={"email": cast.facilitator.email, "password": DEFAULT_PASSWORD})

    base = f"/spaces/{cast.space.slug}/workshops"
    counts = {
        (name, which): _queries_for(client, count_queries, f"{base}/{workshop.id}?page={page}")
        for name, workshop, last in (("short", short, 2), ("long", long, -(-2000 // THREAD_PAGE_SIZE)))
        for which, page in (("first", 1), ("last", last))
    }
    assert counts[("short", "first")] == counts[("long", "first")]
    assert counts[("short", "last")] == counts[("long", "last")]
    assert max(counts.values()) <= 8, counts  # issue #9
