from datetime import datetime, timezone

import pytest

from cocreate.errors import DomainError, PermissionDenied
from cocreate.extensions import db
from cocreate.workshops import services
from cocreate.workshops.models import Phase, Workshop, as_utc

from ..factories import make_challenge, make_post, make_space, make_user, make_workshop

FORM = {"title": "Selling spare parts online", "agenda": "1. **Welcome**", "starts_at": "2027-06-10T09:00",
        "ends_at": "2027-06-10T12:00", "location": "Aalborg, Kjellerupsgade 1", "capacity": "12"}


def test_facilitators_plan_a_workshop_in_local_time_stored_as_utc(cast, client, auth):
    challenge = make_challenge(cast.space, author=cast.member)
    auth.login(cast.facilitator)
    response = client.post(f"/spaces/{cast.space.slug}/workshops/new", data={
        **FORM, "challenge_ids": [str(challenge.id)], "maturity_instrument": "company",
        "maturity_level_from": "basic", "maturity_level_to": "average",
    })
    assert response.status_code == 303
    workshop = db.session.scalar(db.select(Workshop).where(Workshop.title == FORM["title"]))
    # 09:00 in Copenhagen in June (summer time) is 07:00 UTC.
    assert as_utc(workshop.starts_at) == datetime(2027, 6, 10, 7, 0, tzinfo=timezone.utc)
    assert workshop.phase == Phase.PREPARING and workshop.challenges == [challenge]
    assert (workshop.maturity_instrument, workshop.maturity_level_from, workshop.maturity_level_to) == (
        "company", "basic", "average")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Welcome</strong>" in page and "Preparing" in page and 'aria-current="step"' in page
    assert "09:00" in page or "9:00" in page


@pytest.mark.parametrize("change, field", [
    ({"ends_at": "2027-06-10T08:00"}, "ends_at"),
    ({"maturity_instrument": "company", "maturity_level_from": "advanced", "maturity_level_to": "basic"}, "maturity_level_to"),
    ({"maturity_instrument": "management", "maturity_level_from": "basic", "maturity_level_to": "basic"}, "maturity_level_from"),
])
def test_an_invalid_plan_comes_back_with_what_was_typed(cast, client, auth, change, field):
    auth.login(cast.facilitator)
    response = client.post(f"/spaces/{cast.space.slug}/workshops/new", data={**FORM, **change})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert FORM["title"] in page and f'id="{field}-errors"' in page


def test_challenges_of_other_spaces_cannot_be_linked(cast):
    elsewhere = make_challenge(make_space(owner=cast.owner), author=cast.owner)
    data = services.WorkshopData(title="X workshop", starts_at=cast.workshop.starts_at, ends_at=cast.workshop.ends_at,
                                 capacity=3, challenge_ids=[elsewhere.id])
    with pytest.raises(DomainError):
        services.create_workshop(cast.owner, cast.space, data)
    with pytest.raises(PermissionDenied):
        services.create_workshop(cast.member, cast.space, data)


def test_the_outcome_is_written_at_decide_and_shows_on_space_and_challenge(cast, client):
    challenge = make_challenge(cast.space, author=cast.member, title="Phone orders")
    cast.workshop.challenges = [challenge]
    db.session.commit()
    with pytest.raises(DomainError):
        services.write_outcome(cast.owner, cast.workshop, "Too early")
    services.change_phase(cast.owner, cast.workshop, Phase.DECIDE)
    services.write_outcome(cast.owner, cast.workshop, "We build a **parts shop**.")
    expected = "We build a <strong>parts shop</strong>."
    assert expected in client.get(f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}").get_data(as_text=True)
    assert expected in client.get(f"/spaces/{cast.space.slug}/challenges/{challenge.id}").get_data(as_text=True)
    services.change_phase(cast.owner, cast.workshop, Phase.CLOSED)
    assert expected in client.get(f"/spaces/{cast.space.slug}").get_data(as_text=True)


def test_upcoming_workshops_show_on_home_and_space_pages_but_not_from_hidden_spaces(cast, client):
    secret = make_space(owner=cast.owner, visibility="members", join_policy="invitation")
    make_workshop(secret, title="Secret session")
    make_workshop(cast.space, title="Past session", starts_in_days=-10)
    home = client.get("/").get_data(as_text=True)
    assert "Spare parts online" in home and "Secret session" not in home
    space_page = client.get(f"/spaces/{cast.space.slug}").get_data(as_text=True)
    assert "Spare parts online" in space_page and "Past session" in space_page


def test_workshop_list_as_page_and_fragment(cast, client):
    page = client.get(f"/spaces/{cast.space.slug}/workshops/")
    assert page.status_code == 200 and "Spare parts online" in page.get_data(as_text=True)
    fragment = client.get(f"/spaces/{cast.space.slug}/workshops/", headers={"HX-Request": "true"})
    assert 'id="workshop-results"' in fragment.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)


def test_a_workshop_of_another_space_is_not_found(cast, client):
    other = make_space(owner=make_user())
    assert client.get(f"/spaces/{other.slug}/workshops/{cast.workshop.id}").status_code == 404
    post = make_post(cast.workshop, cast.member)
    other_workshop = make_workshop(cast.space)
    assert client.get(f"/spaces/{cast.space.slug}/workshops/{other_workshop.id}?reply_to={post.id}").status_code == 404
