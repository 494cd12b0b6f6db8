"""The one definition of "developed": mapped, then a workshop or 1:1 coaching, then re-assessed."""
from datetime import datetime, timedelta, timezone

import pytest

from cocreate.errors import DomainError, PermissionDenied
from cocreate.extensions import db
from cocreate.insights.development import is_developed
from cocreate.insights.models import CoachingSession
from cocreate.insights.services import CoachingData, record_coaching_session
from cocreate.maturity.queries import organisation_progress
from cocreate.orgs.models import OrganisationMembership

from ..factories import (
    days_ago, make_assessment, make_coaching, make_organisation, make_registration, make_space, make_user,
    make_workshop,
)


def at(day):
    return datetime(2026, 1, 1, 12, tzinfo=timezone.utc) + timedelta(days=day)


@pytest.mark.parametrize("assessments, participations, expected", [
    ([], [], False),
    ([at(1)], [], False),  # mapped only
    ([at(1)], [at(5)], False),  # took part but never re-assessed
    ([at(1), at(3)], [], False),  # re-assessed without taking part
    ([at(1), at(3)], [at(5)], False),  # took part only after the re-assessment
    ([at(5), at(9)], [at(1)], False),  # took part before being mapped
    ([at(1), at(9)], [at(5)], True),
    ([at(1), at(3), at(9)], [at(5)], True),  # any later assessment counts
    ([at(1), at(9)], [at(0), at(5)], True),  # an earlier participation does not spoil a later one
    ([at(1), at(5)], [at(5)], False),  # same moment is not "after"
])
def test_is_developed(assessments, participations, expected):
    assert is_developed(assessments, participations) is expected


def _row(organisation):
    return next(row for row in organisation_progress() if row.organisation.id == organisation.id)


def _executive(organisation, position="executive"):
    person = make_user(organisation=organisation)
    db.session.get(OrganisationMembership, person.id).position = position
    db.session.commit()
    return person


def _ended_workshop(days):
    space = make_space()
    return make_workshop(space, phase="closed", starts_in_days=-days, hours=2)


def test_workshop_then_reassessment_develops_the_organisation(app):
    organisation = make_organisation()
    staff = make_user(organisation=organisation)
    make_assessment(organisation=organisation, taken_by=staff, completed_at=days_ago(60))
    make_registration(_ended_workshop(30), staff)
    assert not _row(organisation).developed
    make_assessment(organisation=organisation, taken_by=staff, completed_at=days_ago(5))
    row = _row(organisation)
    assert row.mapped and row.reassessed and row.developed
    assert not row.team_developed  # a staff member's workshop does not develop the management team


def test_waitlisted_or_future_workshops_do_not_count(app):
    organisation = make_organisation()
    staff = make_user(organisation=organisation)
    make_assessment(organisation=organisation, taken_by=staff, completed_at=days_ago(60))
    make_registration(_ended_workshop(30), staff, status="waitlisted")
    make_registration(make_workshop(make_space(), starts_in_days=3), staff)
    make_assessment(organisation=organisation, taken_by=staff, completed_at=days_ago(1))
    assert not _row(organisation).developed


def test_coaching_before_mapping_does_not_count(app):
    organisation = make_organisation()
    make_coaching(organisation, days=90)
    make_assessment(organisation=organisation, completed_at=days_ago(60))
    make_assessment(organisation=organisation, completed_at=days_ago(5))
    assert not _row(organisation).developed
    make_coaching(organisation, days=30)
    assert _row(organisation).developed


def test_management_team_develops_through_its_executives(app):
    organisation = make_organisation()
    executive = _executive(organisation)
    staff = make_user(organisation=organisation)
    make_assessment("management", user=executive, completed_at=days_ago(60))
    make_coaching(organisation, days=30, person=staff)  # coaching a staff member: not the team
    make_assessment("management", user=executive, completed_at=days_ago(5))
    row = _row(organisation)
    assert row.team_mapped and not row.team_developed
    make_coaching(organisation, days=20)  # the organisation as a whole: counts for the team
    assert _row(organisation).team_developed


def test_an_executive_in_an_ended_workshop_develops_the_team(app):
    organisation = make_organisation()
    executive = _executive(organisation, position="board")
    make_assessment("management", user=executive, completed_at=days_ago(60))
    make_registration(_ended_workshop(30), executive)
    make_assessment("management", user=executive, completed_at=days_ago(5))
    row = _row(organisation)
    assert row.team_developed and not row.developed  # no company assessment: the organisation is not mapped


def test_progress_page_shows_developed(client, auth):
    organisation = make_organisation(name="Developed Org ApS")
    make_assessment(organisation=organisation, completed_at=days_ago(60))
    make_coaching(organisation, days=30)
    make_assessment(organisation=organisation, completed_at=days_ago(5))
    auth.login(make_user(roles=["facilitator"]))
    page = client.get("/maturity/progress").get_data(as_text=True)
    row = page[page.index("Developed Org ApS"):].split("</tr>")[0]
    assert row.count(">yes<") == 3  # mapped, re-assessed, developed
    assert "Management team developed" in page


# --- recording coaching sessions ---------------------------------------------------------------

def test_facilitator_records_a_session(app):
    organisation = make_organisation()
    person = make_user(organisation=organisation)
    facilitator = make_user(roles=["facilitator"])
    session = record_coaching_session(facilitator, CoachingData(organisation.id, person.id, days_ago(1).date(), " Plan "))
    assert (session.facilitator_id, session.person_id, session.note) == (facilitator.id, person.id, "Plan")


@pytest.mark.parametrize("problem", ["future", "stranger", "no organisation"])
def test_bad_sessions_are_refused_with_a_message(app, problem):
    organisation = make_organisation()
    facilitator = make_user(roles=["facilitator"])
    data = CoachingData(organisation.id, None, days_ago(1).date())
    if problem == "future":
        data.held_on = days_ago(-2).date()
    elif problem == "stranger":
        data.person_id = make_user(organisation=make_organisation()).id
    else:
        data.organisation_id = 999999
    with pytest.raises(DomainError) as refused:
        record_coaching_session(facilitator, data)
    assert refused.value.status_code == 422 and refused.value.field


def test_participants_and_lsg_may_not_record_sessions(app):
    organisation = make_organisation()
    for person in (make_user(organisation=organisation, org_admin=True), make_user(roles=["lsg"])):
        with pytest.raises(PermissionDenied):
            record_coaching_session(person, CoachingData(organisation.id, None, days_ago(1).date()))


def test_coaching_page_records_and_lists(client, auth):
    organisation = make_organisation(name="Coached Org ApS")
    facilitator = make_user(roles=["facilitator"], name="Fie Facilitator")
    auth.login(facilitator)
    response = client.post("/programme/coaching", data={
        "organisation_id": organisation.id, "person_id": "", "held_on": days_ago(3).date().isoformat(),
        "note": "Mapped the order flow."})
    assert response.status_code == 303
    assert db.session.query(CoachingSession).count() == 1
    page = client.get("/programme/coaching").get_data(as_text=True)
    assert "Coached Org ApS" in page and "Mapped the order flow." in page and "Fie Facilitator" in page


def test_coaching_form_keeps_what_was_typed_on_error(client, auth):
    organisation = make_organisation()
    auth.login(make_user(roles=["facilitator"]))
    data = {"organisation_id": organisation.id, "held_on": days_ago(-5).date().isoformat(), "note": "Kept note"}
    full = client.post("/programme/coaching", data=data)
    assert full.status_code == 422
    text = full.get_data(as_text=True)
    assert "the date is in the future" in text and "Kept note" in text and "<html" in text
    fragment = client.post("/programme/coaching", data=data, headers={"HX-Request": "true"})
    assert fragment.status_code == 422
    assert "<html" not in fragment.get_data(as_text=True) and 'id="coaching-form"' in fragment.get_data(as_text=True)
    assert db.session.query(CoachingSession).count() == 0
