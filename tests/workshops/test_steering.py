"""Converge (vote on the linked challenges' ideas), decide (select them with the outcome), Danish-time dates,
and steering: band fit, notices, band-restricted registration, recommended workshops, cohort pools."""
from datetime import datetime, timezone

import pytest

from cocreate.errors import DomainError
from cocreate.extensions import db
from cocreate.ideas.models import Idea, IdeaVote
from cocreate.maturity import services as maturity_services
from cocreate.workshops import services
from cocreate.workshops.models import Phase, Registration, Workshop
from cocreate.workshops.steering import Fit, band_fit

from ..factories import (
    add_member, make_assessment, make_challenge, make_idea, make_organisation, make_user, make_workshop, set_band,
    set_rules,
)


def _show(cast):
    return f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}"


@pytest.fixture
def linked(cast):
    """The cast's workshop linked to a challenge with two ideas, and an unlinked challenge with one."""
    challenge = make_challenge(cast.space, author=cast.member, title="Dealers keep calling")
    ideas = [make_idea(challenge, author=cast.member, title=title) for title in ("Contact box", "Delivery dates")]
    other = make_challenge(cast.space, author=cast.member, title="Not in the workshop")
    stray = make_idea(other, author=cast.member, title="Stray idea")
    cast.workshop.challenges = [challenge]
    db.session.commit()
    return challenge, ideas, stray


def _phase(workshop, phase):
    workshop.phase = phase
    db.session.commit()


# --- converge: voting on the workshop page --------------------------------------------------

def test_the_page_shows_linked_ideas_with_vote_buttons_only_while_converging(cast, linked, client, auth):
    _challenge, ideas, _stray = linked
    auth.login(cast.member)
    page = client.get(_show(cast)).get_data(as_text=True)
    assert "Contact box" in page and "Delivery dates" in page and "Stray idea" not in page
    assert f"/ideas/{ideas[0].id}/vote" not in page
    _phase(cast.workshop, Phase.CONVERGE)
    page = client.get(_show(cast)).get_data(as_text=True)
    assert f'action="{_show(cast)}/ideas/{ideas[0].id}/vote"' in page
    assert "voting here is open while the workshop converges" in page


def test_a_budget_challenge_shows_the_votes_left_on_the_workshop_page(cast, linked, client, auth):
    challenge, _ideas, _stray = linked
    set_rules(challenge, mode="budget", budget=2)
    _phase(cast.workshop, Phase.CONVERGE)
    auth.login(cast.member)
    response = client.get(_show(cast))
    assert response.status_code == 200
    assert f'id="challenge-{challenge.id}-votes-left"' in response.get_data(as_text=True)
    assert "2 of 2 votes left" in response.get_data(as_text=True)


def test_a_member_votes_and_takes_it_back_with_htmx(cast, linked, client, auth):
    _challenge, ideas, _stray = linked
    _phase(cast.workshop, Phase.CONVERGE)
    auth.login(cast.member)
    response = client.post(f"{_show(cast)}/ideas/{ideas[1].id}/vote", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'aria-pressed="true"' in html
    assert f'id="idea-{ideas[1].id}-votes" hx-swap-oob="true"' in html and "<strong>1</strong>" in html
    assert f"{_show(cast)}/ideas/{ideas[1].id}/unvote" in html
    assert db.session.get(Idea, ideas[1].id).vote_count == 1
    response = client.post(f"{_show(cast)}/ideas/{ideas[1].id}/unvote", headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(IdeaVote)) == 0


def test_a_vote_without_javascript_returns_to_the_idea_on_the_workshop_page(cast, linked, client, auth):
    _challenge, ideas, _stray = linked
    _phase(cast.workshop, Phase.CONVERGE)
    auth.login(cast.member)
    response = client.post(f"{_show(cast)}/ideas/{ideas[0].id}/vote")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#idea-{ideas[0].id}")
    assert db.session.get(Idea, ideas[0].id).vote_count == 1


@pytest.mark.parametrize("phase", [Phase.PREPARING, Phase.DIVERGE, Phase.DECIDE, Phase.CLOSED])
def test_no_vote_through_the_workshop_outside_converge(cast, linked, client, auth, phase):
    _challenge, ideas, _stray = linked
    _phase(cast.workshop, phase)
    auth.login(cast.member)
    response = client.post(f"{_show(cast)}/ideas/{ideas[0].id}/vote", follow_redirects=True)
    assert "Voting in the workshop is open while it converges." in response.get_data(as_text=True)
    assert db.session.get(Idea, ideas[0].id).vote_count == 0


def test_the_challenge_rules_still_hold_in_the_workshop(cast, linked, client, auth):
    challenge, ideas, _stray = linked
    set_rules(challenge, is_open=False)
    _phase(cast.workshop, Phase.CONVERGE)
    with pytest.raises(DomainError):
        services.vote_in_workshop(cast.member, cast.workshop, ideas[0].id)


def test_unlinked_or_unknown_ideas_are_not_found_and_outsiders_are_refused(cast, linked, client, auth):
    _challenge, ideas, stray = linked
    _phase(cast.workshop, Phase.CONVERGE)
    auth.login(cast.member)
    assert client.post(f"{_show(cast)}/ideas/{stray.id}/vote").status_code == 404
    assert client.post(f"{_show(cast)}/ideas/999999/vote").status_code == 404
    auth.logout()
    auth.login(cast.outsider)
    assert client.post(f"{_show(cast)}/ideas/{ideas[0].id}/vote").status_code == 403


def test_the_workshop_page_runs_a_fixed_number_of_queries_whatever_the_ideas(cast, linked, client, auth,
                                                                             count_queries):
    challenge, _ideas, _stray = linked
    _phase(cast.workshop, Phase.CONVERGE)
    auth.login(cast.member)
    client.get(_show(cast))
    with count_queries() as few:
        client.get(_show(cast))
    for n in range(12):
        make_idea(challenge, author=make_user(), title=f"More {n}")
    second = make_challenge(cast.space, author=cast.member)
    make_idea(second, author=cast.member)
    cast.workshop.challenges = [challenge, second]
    db.session.commit()
    client.get(_show(cast))
    with count_queries() as many:
        client.get(_show(cast))
    assert len(many) == len(few)


# --- decide: selected ideas and the outcome -------------------------------------------------

def test_the_facilitator_selects_ideas_with_the_outcome_and_it_shows_everywhere(cast, linked, client, auth):
    challenge, ideas, _stray = linked
    _phase(cast.workshop, Phase.DECIDE)
    auth.login(cast.facilitator)
    form = client.get(f"{_show(cast)}/outcome").get_data(as_text=True)
    assert "Contact box" in form and 'name="selected_ideas"' in form
    response = client.post(f"{_show(cast)}/outcome", data={
        "outcome": "We pilot the **contact box**.", "selected_ideas": [str(ideas[0].id)],
    })
    assert response.status_code == 303
    assert db.session.get(Idea, ideas[0].id).status == "selected"
    assert db.session.get(Idea, ideas[1].id).status == "proposed"
    page = client.get(_show(cast)).get_data(as_text=True)
    assert "<strong>contact box</strong>" in page and "Selected ideas" in page
    space_page = client.get(f"/spaces/{cast.space.slug}").get_data(as_text=True)
    assert "<strong>contact box</strong>" in space_page
    challenge_page = client.get(f"/spaces/{cast.space.slug}/challenges/{challenge.id}").get_data(as_text=True)
    assert "<strong>contact box</strong>" in challenge_page

    client.post(f"{_show(cast)}/outcome", data={"outcome": "Changed our minds.", "selected_ideas": []})
    idea = db.session.get(Idea, ideas[0].id)
    assert idea.status == "proposed"
    assert [c.to_status for c in idea.status_changes] == ["proposed", "selected", "proposed"]


def test_an_idea_outside_the_workshop_cannot_be_selected(cast, linked):
    _challenge, _ideas, stray = linked
    _phase(cast.workshop, Phase.DECIDE)
    with pytest.raises(DomainError):
        services.write_outcome(cast.facilitator, cast.workshop, "x", [stray.id])
    assert db.session.get(Idea, stray.id).status == "proposed"


def test_ideas_are_selected_only_from_the_decide_phase(cast, linked):
    _challenge, ideas, _stray = linked
    _phase(cast.workshop, Phase.CONVERGE)
    with pytest.raises(DomainError):
        services.write_outcome(cast.facilitator, cast.workshop, "x", [ideas[0].id])
    assert db.session.get(Idea, ideas[0].id).status == "proposed"


def test_past_workshops_are_listed_with_their_outcomes(cast, client, auth):
    past = make_workshop(cast.space, title="Last spring", phase=Phase.CLOSED, starts_in_days=-30)
    past.outcome_md, past.outcome_html = "x", "<p>We chose the <strong>portal</strong>.</p>"
    db.session.commit()
    page = client.get(f"/spaces/{cast.space.slug}").get_data(as_text=True)
    assert "Past workshops" in page and "Last spring" in page and "<strong>portal</strong>" in page


# --- dates ----------------------------------------------------------------------------------

def test_workshop_times_show_in_danish_time_the_same_way_on_every_page(cast, client, auth):
    cast.workshop.starts_at = datetime(2027, 1, 14, 8, 0, tzinfo=timezone.utc)  # winter: UTC+1
    cast.workshop.ends_at = datetime(2027, 1, 14, 11, 30, tzinfo=timezone.utc)
    cast.workshop.title = "Winter session"
    db.session.commit()
    expected = "Thu, Jan 14, 2027 9:00 AM – 12:30 PM"
    for url in (_show(cast), f"/spaces/{cast.space.slug}/workshops/", f"/spaces/{cast.space.slug}"):
        assert expected in _plain(client.get(url).get_data(as_text=True)), url
    assert 'datetime="2027-01-14T08:00:00+00:00"' in client.get(_show(cast)).get_data(as_text=True)


def _plain(text):
    """CLDR puts a narrow no-break space before AM/PM."""
    return text.replace("\u202f", " ")


def test_a_workshop_over_two_days_shows_both_dates():
    from cocreate.workshops.dates import when

    text = when(datetime(2027, 7, 1, 7, 0, tzinfo=timezone.utc), datetime(2027, 7, 2, 13, 0, tzinfo=timezone.utc), "en")
    assert _plain(text) == "Thu, Jul 1, 2027 9:00 AM – Fri, Jul 2, 2027 3:00 PM"
    danish = when(datetime(2027, 1, 14, 8, 0, tzinfo=timezone.utc), datetime(2027, 1, 14, 11, 30, tzinfo=timezone.utc), "da")
    assert danish == "tors. 14. jan. 2027 09.00 – 12.30"


# --- steering -------------------------------------------------------------------------------

@pytest.fixture
def mapped(cast):
    """A member whose organisation is assessed "average" (company), one "advanced", and an unmapped member."""
    average_org, advanced_org = make_organisation(name="Average ApS"), make_organisation(name="Advanced A/S")
    average = make_user(name="Ava Average", organisation=average_org)
    advanced = make_user(name="Adam Advanced", organisation=advanced_org)
    for person in (average, advanced):
        add_member(cast.space, person)
    make_assessment("company", typical=2, organisation=average_org, taken_by=average)
    make_assessment("company", typical=4, organisation=advanced_org, taken_by=advanced)
    set_band(cast.workshop, "company", "basic", "average")
    return average, advanced


def test_band_fit_compares_the_level_with_the_band(cast, mapped):
    average, advanced = mapped
    assert band_fit(average, cast.workshop).kind == Fit.IN_BAND
    outside = band_fit(advanced, cast.workshop)
    assert outside.kind == Fit.OUTSIDE and outside.level.key == "advanced"
    assert band_fit(cast.member, cast.workshop).kind == Fit.UNMAPPED
    set_band(cast.workshop, None, None, None)
    assert band_fit(advanced, cast.workshop).kind == Fit.NO_BAND


def test_registering_outside_the_band_is_allowed_with_a_notice(cast, mapped, client, auth):
    _average, advanced = mapped
    auth.login(advanced)
    page = client.get(_show(cast)).get_data(as_text=True)
    assert "You can still register." in page and "Advanced" in page
    response = client.post(f"{_show(cast)}/register", follow_redirects=True)
    assert "targets another maturity level than yours" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Registration).where(Registration.user_id == advanced.id)).is_registered


def test_a_restricted_workshop_refuses_people_outside_its_band(cast, mapped, client, auth):
    average, advanced = mapped
    set_band(cast.workshop, "company", "basic", "average", restricted=True)
    auth.login(advanced)
    page = client.get(_show(cast)).get_data(as_text=True)
    assert "limited to its target maturity band" in page and f"{_show(cast)}/register" not in page
    response = client.post(f"{_show(cast)}/register", follow_redirects=True)
    assert "limited to its target maturity band" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Registration).where(Registration.user_id == advanced.id)) is None
    assert services.register(average, cast.workshop).is_registered


def test_a_restricted_workshop_invites_the_unmapped_to_take_the_assessment(cast, mapped, client, auth):
    set_band(cast.workshop, "company", "basic", "average", restricted=True)
    auth.login(cast.member)
    page = client.get(_show(cast)).get_data(as_text=True)
    assert "Take the company assessment first" in page and 'href="/maturity/"' in page
    with pytest.raises(DomainError, match="Take the company assessment first"):
        services.register(cast.member, cast.workshop)
    # The space's facilitators run the workshop and are never refused.
    assert services.register(cast.facilitator, cast.workshop).is_registered


def test_a_facilitator_makes_a_workshop_band_restricted_only_with_a_band(cast, client, auth):
    auth.login(cast.facilitator)
    base = {"title": cast.workshop.title, "starts_at": "2027-06-10T09:00", "ends_at": "2027-06-10T12:00",
            "capacity": "10", "band_restricted": "y"}
    response = client.post(f"{_show(cast)}/edit", data=base)
    assert response.status_code == 422
    assert "Choose a target maturity band to restrict the workshop to." in response.get_data(as_text=True)
    response = client.post(f"{_show(cast)}/edit", data={
        **base, "maturity_instrument": "company", "maturity_level_from": "basic", "maturity_level_to": "average"})
    assert response.status_code == 303
    assert db.session.get(Workshop, cast.workshop.id).band_restricted is True
    assert "Only for this band" in client.get(_show(cast)).get_data(as_text=True)


def test_recommended_workshops_match_the_level_on_the_home_and_maturity_pages(cast, mapped, client, auth):
    average, advanced = mapped
    for_advanced = make_workshop(cast.space, title="Scaling the B2B portal")
    set_band(for_advanced, "company", "moderately_advanced", "advanced")
    make_workshop(cast.space, title="Finished long ago", phase=Phase.CLOSED, starts_in_days=-10)
    auth.login(average)
    for url in ("/", "/maturity/"):
        page = client.get(url).get_data(as_text=True)
        assert "Recommended for you" in page and cast.workshop.title in page.split("Recommended for you")[1][:2000]
        assert "Scaling the B2B portal" not in page.split("Recommended for you")[1].split("</section>")[0]
    auth.logout()
    auth.login(advanced)
    section = client.get("/").get_data(as_text=True).split('id="recommended-workshops"')[1].split("</section>")[0]
    assert "Scaling the B2B portal" in section and cast.workshop.title not in section
    auth.logout()
    auth.login(cast.member)  # no assessment, no recommendation
    assert 'id="recommended-workshops"' not in client.get("/").get_data(as_text=True)


# --- cohort pools ---------------------------------------------------------------------------

def test_a_space_and_a_workshop_are_pools_for_the_cohort_builder(cast, mapped):
    average, advanced = mapped
    outside_org = make_organisation(name="Elsewhere ApS")
    make_assessment("company", typical=3, organisation=outside_org, taken_by=make_user(organisation=outside_org))
    pools = maturity_services.available_pools()
    space_pool, workshop_pool = pools[f"space-{cast.space.id}"], pools[f"workshop-{cast.workshop.id}"]
    assert {c.name for c in space_pool.candidates("company")} == {"Average ApS", "Advanced A/S"}
    assert workshop_pool.candidates("company") == []
    db.session.add(Registration(workshop_id=cast.workshop.id, user_id=advanced.id))
    db.session.commit()
    assert [c.name for c in workshop_pool.candidates("company")] == ["Advanced A/S"]
    make_assessment("management", typical=3, user=average)
    assert [c.name for c in space_pool.candidates("management")] == ["Ava Average"]


def test_the_builder_previews_cohorts_from_a_space_pool(cast, mapped, client, auth):
    facilitator = make_user(roles=("facilitator",))
    auth.login(facilitator)
    response = client.get(f"/maturity/cohorts/builder?instrument=company&pool=space-{cast.space.id}"
                          "&min_size=1&target_size=2&max_size=4&max_spread=25")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Members of the space {cast.space.title}" in html and "Average ApS" in html and "Advanced A/S" in html
    assert f"Registered for the workshop {cast.workshop.title}" in html
