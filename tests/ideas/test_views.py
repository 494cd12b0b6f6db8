"""The idea pages with and without htmx: the vote in place, the list, proposing, moving the status."""
import re

from cocreate.extensions import db
from cocreate.ideas import services
from cocreate.ideas.models import Idea, IdeaVote

from ..factories import make_idea, set_rules

HTMX = {"HX-Request": "true"}


def test_the_challenge_page_lists_the_ideas_with_voting_controls(client, auth, world):
    idea = make_idea(world.challenge, world.member, title="Online spare-parts catalogue")
    auth.login(world.colleague)
    page = client.get(world.url()).get_data(as_text=True)
    assert 'id="ideas"' in page and "Online spare-parts catalogue" in page
    assert f'id="idea-{idea.id}-vote"' in page and f'id="idea-{idea.id}-votes"' in page
    assert "Votes are private" in page
    # Without JavaScript the vote form posts its own CSRF field.
    assert re.search(rf'<form id="idea-{idea.id}-vote"[^>]*>\s*<input type="hidden" name="csrf_token"', page)


def test_an_htmx_vote_updates_button_count_and_votes_left_in_one_small_response(client, auth, world):
    set_rules(world.challenge, mode="budget", budget=3)
    idea = make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    response = client.post(world.url(f"/ideas/{idea.id}/vote?sort=newest"), headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(response.get_data()) < 2048, len(response.get_data())
    assert body.lstrip().startswith(f'<form id="idea-{idea.id}-vote"')
    assert f"/ideas/{idea.id}/unvote?sort=newest" in body
    assert re.search(rf'id="idea-{idea.id}-votes" hx-swap-oob="true"><strong>1</strong>', body)
    assert f'id="challenge-{world.challenge.id}-votes-left"' in body and "2 of 3 votes left" in body
    assert "<html" not in body
    # htmx posts the swapped-in form with the page's X-CSRFToken header; the field would be dead weight.
    assert 'name="csrf_token"' not in body


def test_one_vote_per_idea_mode_sends_no_votes_left_counter(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    body = client.post(world.url(f"/ideas/{idea.id}/vote"), headers=HTMX).get_data(as_text=True)
    assert "votes left" not in body and 'hx-swap-oob="true"><strong>1</strong>' in body


def test_without_javascript_a_vote_returns_to_the_same_place_in_the_list(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    response = client.post(world.url(f"/ideas/{idea.id}/vote?sort=newest&status=proposed&page=2&junk=1"))
    assert response.status_code == 303
    assert response.headers["Location"] == world.url(f"?sort=newest&status=proposed&page=2#idea-{idea.id}")
    assert db.session.get(Idea, idea.id).vote_count == 1
    response = client.post(world.url(f"/ideas/{idea.id}/unvote"))
    assert response.headers["Location"] == world.url(f"#idea-{idea.id}")
    assert db.session.get(Idea, idea.id).vote_count == 0


def test_a_refused_htmx_vote_shows_the_reason_and_the_current_state(client, auth, world):
    set_rules(world.challenge, mode="budget", budget=1)
    first, second = make_idea(world.challenge, world.member), make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    client.post(world.url(f"/ideas/{first.id}/vote"), headers=HTMX)
    response = client.post(world.url(f"/ideas/{second.id}/vote"), headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "You have no votes left" in body and 'id="flashes"' in body
    assert "0 of 1 votes left" in body and 'aria-pressed="false"' in body
    assert db.session.scalar(db.select(db.func.count()).select_from(IdeaVote)) == 1


def test_a_refused_vote_without_javascript_is_flashed_on_the_list(client, auth, world):
    set_rules(world.challenge, is_open=False)
    idea = make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    response = client.post(world.url(f"/ideas/{idea.id}/vote"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Voting on this challenge is closed." in page and "Voting is closed." in page
    assert f'id="idea-{idea.id}-vote"' not in page


def test_non_members_see_counts_but_no_vote_button(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    services.vote_idea(world.member, world.challenge, idea.id)
    auth.login(world.outsider)
    page = client.get(world.url()).get_data(as_text=True)
    assert f'id="idea-{idea.id}-votes"' in page and f'id="idea-{idea.id}-vote"' not in page
    assert client.post(world.url(f"/ideas/{idea.id}/vote")).status_code == 403


def test_the_board_filters_as_a_fragment_and_redirects_without_htmx(client, world):
    make_idea(world.challenge, world.member, title="Shortlisted one", status="shortlisted")
    make_idea(world.challenge, world.member, title="Just proposed")
    response = client.get(world.url("/ideas?status=shortlisted"), headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Shortlisted one" in body and "Just proposed" not in body
    assert response.headers["HX-Push-Url"] == world.url("?status=shortlisted")
    response = client.get(world.url("/ideas?status=shortlisted"))
    assert response.status_code == 302 and response.headers["Location"] == world.url("?status=shortlisted#ideas")


def test_sorting_by_votes_newest_and_status(client, world):
    make_idea(world.challenge, world.member, title="Alpha", votes=1)
    make_idea(world.challenge, world.member, title="Beta", votes=5, status="selected")
    make_idea(world.challenge, world.member, title="Gamma", votes=3, status="shortlisted")

    def order(query):
        page = client.get(world.url(query)).get_data(as_text=True)
        return [t for t in re.findall(r'class="idea-card__title"><a [^>]*>([^<]+)<', page)]

    assert order("") == ["Beta", "Gamma", "Alpha"]
    assert order("?sort=newest") == ["Gamma", "Beta", "Alpha"]
    assert order("?sort=status") == ["Alpha", "Gamma", "Beta"]


def test_a_member_proposes_an_idea(client, auth, world):
    auth.login(world.colleague)
    assert client.get(world.url("/ideas/new")).status_code == 200
    response = client.post(world.url("/ideas/new"), data={"title": "", "body": "kept text"})
    assert response.status_code == 422 and "kept text" in response.get_data(as_text=True)
    response = client.post(world.url("/ideas/new"), data={"title": "Shared stock list", "body": "With **suppliers**"})
    idea = db.session.scalar(db.select(Idea))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/ideas/{idea.id}")
    assert idea.body_html == "<p>With <strong>suppliers</strong></p>" and idea.author_side == "company"


def test_facilitators_move_the_status_and_the_history_shows_it(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.facilitator)
    url = world.url(f"/ideas/{idea.id}/status")
    response = client.post(url, data={"status": "declined", "reason": ""})
    assert response.status_code == 422 and "Say why" in response.get_data(as_text=True)
    assert client.post(url, data={"status": "shortlisted"}).status_code == 303
    assert client.post(url, data={"status": "declined", "reason": "Needs a budget we lack."}).status_code == 303
    page = client.get(world.url(f"/ideas/{idea.id}")).get_data(as_text=True)
    assert "Needs a budget we lack." in page
    assert "Proposed → Shortlisted" in page and "Shortlisted → Declined" in page
    assert page.count("Facilitator ·") >= 2
    board = client.get(world.url()).get_data(as_text=True)
    assert "Needs a budget we lack." in board


def test_members_cannot_move_the_status(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.member)
    assert client.post(world.url(f"/ideas/{idea.id}/status"), data={"status": "selected"}).status_code == 403


def test_the_idea_page_votes_and_returns_to_itself(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    page = client.get(world.url(f"/ideas/{idea.id}")).get_data(as_text=True)
    assert f"/ideas/{idea.id}/vote?from=idea" in page
    response = client.post(world.url(f"/ideas/{idea.id}/vote?from=idea"))
    assert response.headers["Location"] == world.url(f"/ideas/{idea.id}")
    body = client.post(world.url(f"/ideas/{idea.id}/unvote?from=idea"), headers=HTMX).get_data(as_text=True)
    assert f"/ideas/{idea.id}/vote?from=idea" in body


def test_voting_rules_form(client, auth, world):
    auth.login(world.facilitator)
    assert client.get(world.url("/voting")).status_code == 200
    response = client.post(world.url("/voting"), data={"is_open": "y", "mode": "budget", "budget": "4"})
    assert response.status_code == 303
    page = client.get(world.url()).get_data(as_text=True)
    assert "each member has 4 votes" in page
    response = client.post(world.url("/voting"), data={"mode": "budget", "budget": "0"})
    assert response.status_code == 422


def test_voters_are_shown_to_facilitators_only_where_announced(client, auth, world):
    idea = make_idea(world.challenge, world.member, title="Visible votes")
    services.vote_idea(world.supplier_member, world.challenge, idea.id)
    auth.login(world.facilitator)
    page = client.get(world.url("/results")).get_data(as_text=True)
    assert "Visible votes" in page and "Supplier Member" not in page
    services.unvote_idea(world.supplier_member, world.challenge, idea.id)
    set_rules(world.challenge, voters_visible=True)
    services.vote_idea(world.supplier_member, world.challenge, idea.id)
    page = client.get(world.url("/results")).get_data(as_text=True)
    assert "Supplier Member (Small Supplier ApS)" in page
    auth.logout()
    auth.login(world.member)
    assert "can see who voted" in client.get(world.url()).get_data(as_text=True)
    assert client.get(world.url("/results")).status_code == 403


def test_the_space_page_shows_idea_count_and_top_idea(client, world):
    make_idea(world.challenge, world.member, title="Runner-up", votes=2)
    make_idea(world.challenge, world.member, title="Favourite", votes=7)
    page = client.get(f"/spaces/{world.space.slug}").get_data(as_text=True)
    assert "2 ideas" in page and "Favourite" in page and "Runner-up" not in page
