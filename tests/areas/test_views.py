"""The proposal pages over HTTP: the whole flow, htmx and plain posts, errors, query counts."""
import re

import pytest

from cocreate.accounts.models import User
from cocreate.areas.models import Endorsement, ProposalStatus, WorkingAreaProposal
from cocreate.extensions import db
from cocreate.spaces.models import Challenge, Theme, ThemeKind

from ..factories import add_member, barrier, make_proposal, make_space

HX = {"HX-Request": "true"}


def _proposal_form(**overrides):
    form = {"title": "Shared product data", "description": "Dealers and suppliers **share** one catalogue.",
            "rationale": "Every dealer re-types our catalogue.", "barrier_ids": [str(barrier("product-complexity").id)]}
    form.update(overrides)
    return form


def test_propose_endorse_accept_and_tie_a_challenge(world, client, auth):
    auth.login(world.proposer)
    assert client.get("/working-areas/new").status_code == 200
    response = client.post("/working-areas/new", data=_proposal_form())
    assert response.status_code == 303
    proposal = db.session.scalars(db.select(WorkingAreaProposal)).one()
    assert response.headers["Location"] == f"/working-areas/{proposal.id}"
    page = client.get(f"/working-areas/{proposal.id}").get_data(as_text=True)
    assert "<strong>share</strong>" in page and "Every dealer re-types our catalogue." in page
    assert "Other LSG members can endorse your proposal." in page
    auth.logout()

    auth.login(world.peer)
    assert client.post(f"/working-areas/{proposal.id}/endorse").status_code == 303
    page = client.get(f"/working-areas/{proposal.id}").get_data(as_text=True)
    assert re.search(r'id="proposal-\d+-endorsements"><strong>1</strong> endorsement<', page)
    assert "Ole LSG" in page and 'aria-pressed="true"' in page
    assert client.post(f"/working-areas/{proposal.id}/comments", data={"body": "Good **idea**"}).status_code == 303
    auth.logout()

    auth.login(world.facilitator)
    response = client.post(f"/working-areas/{proposal.id}/accept", data={"name_da": "Delte produktdata"})
    assert response.status_code == 303
    theme = db.session.scalars(db.select(Theme).where(Theme.kind == ThemeKind.WORKING_AREA)).one()
    page = client.get(f"/working-areas/{proposal.id}").get_data(as_text=True)
    assert "Accepted: this is now the working area" in page and f"/barriers/{theme.slug}" in page
    assert "Frederik Facilitator" in page  # the status history names who decided

    space = make_space(owner=world.facilitator)
    form_page = client.get(f"/spaces/{space.slug}/challenges/new").get_data(as_text=True)
    assert f'value="{theme.id}"' in form_page and "Shared product data" in form_page
    response = client.post(f"/spaces/{space.slug}/challenges/new", data={
        "title": "One catalogue for all dealers", "body": "How?", "theme_ids": [str(theme.id)]})
    assert response.status_code == 303
    challenge = db.session.scalars(db.select(Challenge)).one()
    assert [t.slug for t in challenge.themes] == [theme.slug]
    assert "One catalogue for all dealers" in client.get(f"/barriers/{theme.slug}").get_data(as_text=True)


def test_the_danish_name_shows_on_danish_pages(world, client):
    from cocreate.areas.services import accept_proposal

    accept_proposal(world.facilitator, make_proposal(world.proposer, title="Shared product data"), "Delte produktdata")
    html = client.get("/barriers/", headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert "Delte produktdata" in html and "Shared product data" not in html


def test_endorsing_with_htmx_answers_with_the_button_and_the_count(world, client, auth):
    proposal = make_proposal(world.proposer, endorsed_by=[world.other_peer])
    auth.login(world.peer)
    response = client.post(f"/working-areas/{proposal.id}/endorse", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<form id="proposal-{proposal.id}-endorse"')
    assert f'action="/working-areas/{proposal.id}/unendorse"' in html
    assert re.search(rf'id="proposal-{proposal.id}-endorsements" hx-swap-oob="true"><strong>2</strong>', html)
    assert "<html" not in html

    html = client.post(f"/working-areas/{proposal.id}/unendorse", headers=HX).get_data(as_text=True)
    assert "<strong>1</strong>" in html and f'action="/working-areas/{proposal.id}/endorse"' in html


def test_a_refused_endorsement_says_why(world, client, auth):
    proposal = make_proposal(world.proposer)
    auth.login(world.proposer)
    html = client.post(f"/working-areas/{proposal.id}/endorse", headers=HX).get_data(as_text=True)
    assert "You cannot endorse your own proposal." in html and "<strong>0</strong>" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Endorsement)) == 0
    response = client.post(f"/working-areas/{proposal.id}/endorse", follow_redirects=True)
    assert "You cannot endorse your own proposal." in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["participant", "facilitator"])
def test_non_lsg_endorsing_is_forbidden(world, client, auth, who):
    proposal = make_proposal(world.proposer)
    auth.login(getattr(world, who))
    assert client.post(f"/working-areas/{proposal.id}/endorse").status_code == 403
    assert client.get(f"/working-areas/{proposal.id}").get_data(as_text=True).count("/endorse\"") == 0


def test_a_bad_proposal_comes_back_with_the_typed_text(world, client, auth):
    auth.login(world.proposer)
    response = client.post("/working-areas/new", data=_proposal_form(barrier_ids=[], rationale="Because."))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose at least one barrier the working area relates to." in html
    assert 'value="Shared product data"' in html and "Because." in html


def test_declining_without_a_reason_is_refused_then_with_one_shown(world, client, auth):
    proposal = make_proposal(world.proposer)
    auth.login(world.admin)
    response = client.post(f"/working-areas/{proposal.id}/decline", data={"reason": ""})
    assert response.status_code == 422
    assert "Give the reason for declining" in response.get_data(as_text=True)
    client.post(f"/working-areas/{proposal.id}/decline", data={"reason": "Part of barrier 5 already."})
    html = client.get(f"/working-areas/{proposal.id}").get_data(as_text=True)
    assert "Part of barrier 5 already." in html and "Anne Admin" in html
    assert "Accept as a working area" not in html
    listing = client.get("/working-areas/?status=declined").get_data(as_text=True)
    assert "Part of barrier 5 already." in listing


def test_deciding_twice_is_refused(world, client, auth):
    proposal = make_proposal(world.proposer)
    auth.login(world.facilitator)
    client.post(f"/working-areas/{proposal.id}/accept", data={})
    response = client.post(f"/working-areas/{proposal.id}/decline", data={"reason": "Oops"})
    assert response.status_code == 422
    assert db.session.get(WorkingAreaProposal, proposal.id).status == ProposalStatus.ACCEPTED


@pytest.mark.parametrize("url", ["/working-areas/999999", "/working-areas/999999/endorse"])
def test_unknown_proposals_are_404(world, client, auth, url):
    auth.login(world.peer)
    method = client.post if url.endswith("endorse") else client.get
    assert method(url).status_code == 404


def test_the_list_by_status_as_page_and_fragment(world, client):
    make_proposal(world.proposer, title="Open one", endorsed_by=[world.peer, world.other_peer])
    make_proposal(world.peer, title="Accepted one", status="accepted")
    html = client.get("/working-areas/").get_data(as_text=True)
    assert "Open one" in html and "Accepted one" not in html
    assert re.search(r'proposal-card__count"><strong>2</strong> endorsements', html)
    assert re.search(r"Under discussion <span class=\"count\">1</span>", html)

    fragment = client.get("/working-areas/?status=accepted", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="proposal-results"')
    assert "Accepted one" in fragment and "<html" not in fragment


def test_an_empty_list_invites_lsg_members_to_propose(world, client, auth):
    assert "Propose a working area" not in client.get("/working-areas/").get_data(as_text=True)
    auth.login(world.proposer)
    html = client.get("/working-areas/").get_data(as_text=True)
    assert "No proposals under discussion" in html and 'href="/working-areas/new"' in html


def _count_list_queries(client, count_queries):
    with count_queries() as queries:
        assert client.get("/working-areas/").status_code == 200
    return len(queries)


def test_the_list_takes_a_fixed_number_of_queries(world, client, auth, count_queries):
    auth.login(world.peer)
    make_proposal(world.proposer, endorsed_by=[world.peer])
    few = _count_list_queries(client, count_queries)
    for n in range(12):
        make_proposal(world.proposer if n % 2 else world.other_peer, barriers=("too-busy", "competences"),
                      endorsed_by=[world.peer, world.facilitator], commit=False)
    db.session.commit()
    db.session.expunge_all()
    assert _count_list_queries(client, count_queries) == few


def test_the_proposal_page_takes_a_fixed_number_of_queries(world, client, auth, count_queries):
    from cocreate.areas.services import add_comment

    proposal = make_proposal(world.proposer, endorsed_by=[world.peer])
    add_comment(world.peer, proposal, "The first comment")
    proposal_id = proposal.id
    authors = [world.peer.id, world.facilitator.id, world.other_peer.id]
    auth.login(world.facilitator)

    def count():
        db.session.expunge_all()
        with count_queries() as queries:
            assert client.get(f"/working-areas/{proposal_id}").status_code == 200
        return len(queries)

    few = count()
    for n in range(6):
        proposal = db.session.get(WorkingAreaProposal, proposal_id)
        add_comment(db.session.get(User, authors[n % 3]), proposal, f"Comment {n}")
    assert count() == few


def test_the_navigation_links_to_working_areas(world, client):
    space = make_space(owner=world.facilitator)
    add_member(space, world.peer)
    assert 'href="/working-areas/"' in client.get("/").get_data(as_text=True)
