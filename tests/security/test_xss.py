"""Every field that shows user text gets each payload of the corpus; no page carries an executable vector."""
import os
from urllib.parse import quote

import pytest
from markupsafe import escape

from cocreate.extensions import db
from cocreate.ideas.services import add_comment
from cocreate.markdown import render_markdown
from cocreate.workshops.services import mute_member, report_post, write_outcome

from ..factories import (
    add_member, make_challenge, make_cohort, make_dataset, make_idea, make_organisation, make_post, make_proposal,
    make_space, make_user, make_workshop,
)
from ..test_route_matrix import _sign_in
from .xss import find_vectors, payloads, site_markup

PAYLOADS = payloads()
# Escaping happens in the templates and the Markdown renderer, not in the database: the corpus runs in
# the SQLite pass of `make test`, and the PostgreSQL pass (run side by side) skips its 141 worlds.
pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                reason="database-independent; the SQLite pass runs the XSS corpus")


def fit(payload, model, column):
    """Cut the payload to the column's length, as a form would refuse it otherwise."""
    length = getattr(model.__table__.c[column].type, "length", None)
    return payload[:length] if length else payload


def build_world(n, payload):
    """A space full of content, every text field holding ``payload``; returns the pages to read and a viewer."""
    from cocreate.accounts.models import User
    from cocreate.ideas.models import Idea
    from cocreate.orgs.models import Organisation
    from cocreate.spaces.models import Challenge, Space
    from cocreate.workshops.models import Workshop

    organisation = make_organisation(name=fit(f"{n} {payload}", Organisation, "name"), description=payload)
    author = make_user(name=fit(payload, User, "display_name"), organisation=organisation)
    author.bio_md, author.bio_html = payload, render_markdown(payload)
    viewer = make_user(roles=["admin", "facilitator"], organisation=organisation)
    space = make_space(title=fit(payload, Space, "title"), slug=f"xss-{n}", owner=viewer,
                       purpose=fit(payload, Space, "purpose"), description=payload)
    add_member(space, author)
    challenge = make_challenge(space, author=author, title=fit(payload, Challenge, "title"), body=payload,
                               tags=fit(payload, Challenge, "tags"))
    idea = make_idea(challenge, author, title=fit(payload, Idea, "title"), body=payload)
    add_comment(author, idea, payload)
    workshop = make_workshop(space, title=fit(payload, Workshop, "title"), agenda=payload, phase="decide",
                             location=fit(payload, Workshop, "location"), challenges=[challenge])
    make_post(workshop, author, body=payload)
    make_post(workshop, author, body="Hidden " + payload, hidden_reason=payload)
    report_post(viewer, make_post(workshop, author, body="Reported " + payload), payload)
    write_outcome(viewer, workshop, payload)
    mute_member(viewer, space, author.id, 1, payload)
    cohort = make_cohort([organisation], name=fit(payload, _cohort_model(), "name"))
    dataset = _dataset_with(space, author, payload, challenge)
    proposal = make_proposal(make_user(roles=["lsg"]), title=fit(payload, _proposal_model(), "title"),
                             description=payload, rationale=payload)
    db.session.commit()
    base = f"/spaces/{space.slug}"
    # Between them these pages show every field above (lists repeat what the detail pages show).
    pages = [
        f"/people/{author.id}", f"/organisations/{organisation.id}", f"{base}", f"{base}/challenges/{challenge.id}",
        f"{base}/challenges/{challenge.id}/ideas/{idea.id}", f"{base}/workshops/{workshop.id}",
        f"{base}/workshops/{workshop.id}/outcome", f"{base}/moderation", f"{base}/audit",
        f"/maturity/cohorts/{cohort.id}", f"{base}/datasets/", f"{base}/datasets/{dataset.id}",
        f"/working-areas/{proposal.id}", "/working-areas/", "/programme/",
    ]
    return viewer, pages, idea


def _dataset_with(space, author, payload, challenge):
    """A data set whose title, description, file name and CSV cells all carry the payload."""
    from cocreate.datasets.models import Dataset
    from cocreate.errors import DomainError

    cell = payload.replace('"', '""')
    content = f'name,note\n"{cell}","{cell}"\n'.encode()
    title = fit(payload, Dataset, "title")
    # Names with path parts or control characters are refused at upload, so those characters are swapped.
    filename = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in payload)[:100] + ".csv"
    try:
        return make_dataset(space, author, title=title, description=payload, filename=filename, content=content,
                            challenges=[challenge])
    except DomainError:
        return make_dataset(space, author, title=title, description=payload, content=content, challenges=[challenge])


def _proposal_model():
    from cocreate.areas.models import WorkingAreaProposal

    return WorkingAreaProposal


def _cohort_model():
    from cocreate.maturity.models import Cohort

    return Cohort


def test_the_corpus_is_large_and_the_checker_catches_raw_payloads():
    assert len(PAYLOADS) >= 100
    caught = [p for p in PAYLOADS if find_vectors(f"<!doctype html><html><body>{p}</body></html>")]
    assert len(caught) >= 80, f"the checker should flag most payloads pasted in raw; it flagged {len(caught)}"
    assert find_vectors("<p>plain &lt;script&gt; text</p>") == []


@pytest.mark.parametrize("n", range(len(PAYLOADS)), ids=lambda n: f"payload{n:03d}")
def test_no_page_carries_an_executable_vector(app, n):
    payload = PAYLOADS[n]
    viewer, pages, idea = build_world(n, payload)
    client = app.test_client()
    _sign_in(client, viewer)
    # Lists and search results, with the query echoed: as the full page and as the htmx fragment.
    searches = [(f"{path}?q={quote(payload)}", fragment)
                for path in ("/organisations/", "/spaces/", "/admin/users", "/search") for fragment in (False, True)]
    site = site_markup(app.test_client().get("/login").get_data(as_text=True))
    found = {}
    for url, fragment in [(page, False) for page in pages] + searches:
        response = client.get(url, headers={"HX-Request": "true"} if fragment else {})
        assert response.status_code == 200, f"{url}: {response.status_code}"
        problems = find_vectors(response.get_data(as_text=True), site)
        if problems:
            found[f"{url}{' (fragment)' if fragment else ''}"] = problems
    assert not found, f"payload {payload!r}:\n" + "\n".join(f"{url}: {p}" for url, p in found.items())
    idea_page = client.get(pages[4]).get_data(as_text=True)
    assert str(escape(idea.title)) in idea_page  # the payload really is on the page, as text
