import threading

import pytest

from cocreate.errors import DomainError, PermissionDenied
from cocreate.extensions import db
from cocreate.mail import outbox
from cocreate.workshops import services
from cocreate.workshops.calendar import escape_text, fold
from cocreate.workshops.models import Phase, Registration, RegistrationStatus

from ..conftest import TEST_DATABASE_URL
from ..factories import add_member, make_user

LINK = "https://cocreate.example/workshop"


def test_members_register_until_full_then_join_the_waitlist(cast):
    cast.workshop.capacity = 1
    db.session.commit()
    assert services.register(cast.member, cast.workshop).status == RegistrationStatus.REGISTERED
    assert services.register(cast.other_member, cast.workshop).status == RegistrationStatus.WAITLISTED
    assert services.register(cast.member, cast.workshop).status == RegistrationStatus.REGISTERED  # twice: no change
    with pytest.raises(PermissionDenied):
        services.register(cast.outsider, cast.workshop)


def test_a_freed_place_goes_to_the_first_in_the_waitlist_who_is_told(cast, client, auth):
    cast.workshop.capacity = 1
    db.session.commit()
    services.register(cast.member, cast.workshop)
    services.register(cast.other_member, cast.workshop)
    third = make_user(name="Third")
    add_member(cast.space, third)
    services.register(third, cast.workshop)

    promoted = services.cancel_registration(cast.member, cast.workshop)
    assert [r.user_id for r in promoted] == [cast.other_member.id]
    statuses = dict(db.session.execute(db.select(Registration.user_id, Registration.status)).all())
    assert statuses == {cast.other_member.id: "registered", third.id: "waitlisted"}
    assert [message["To"] for message in outbox] == [cast.other_member.email]
    assert cast.workshop.title in outbox[0]["Subject"]
    assert f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}" in outbox[0].get_content()

    auth.login(cast.other_member)
    page = client.get(f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}").get_data(as_text=True)
    assert "you moved up from the waitlist" in page


def test_cancelling_without_a_registration_is_refused(cast):
    with pytest.raises(DomainError):
        services.cancel_registration(cast.member, cast.workshop)


def test_raising_the_capacity_promotes_the_waitlist(cast):
    cast.workshop.capacity = 1
    db.session.commit()
    services.register(cast.member, cast.workshop)
    services.register(cast.other_member, cast.workshop)
    cast.workshop.capacity = 2
    db.session.commit()
    data = services.WorkshopData(title=cast.workshop.title, starts_at=cast.workshop.starts_at,
                                 ends_at=cast.workshop.ends_at, capacity=2)
    services.update_workshop(cast.owner, cast.workshop, data)
    assert services.registered_count(cast.workshop) == 2


def test_closed_workshops_take_no_registrations(cast):
    services.change_phase(cast.owner, cast.workshop, Phase.CLOSED)
    with pytest.raises(PermissionDenied):
        services.register(cast.member, cast.workshop)


def test_register_and_cancel_through_the_pages(cast, client, auth):
    auth.login(cast.member)
    base = f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}"
    assert client.post(f"{base}/register").status_code == 303
    assert "Registered" in client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/cancel").status_code == 303
    assert services.registered_count(cast.workshop) == 0


@pytest.mark.skipif(not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgresql"),
                    reason="row locks need PostgreSQL")
def test_capacity_holds_under_60_concurrent_registrations(cast, app):
    capacity, people = 7, 60
    cast.workshop.capacity = capacity
    users = [make_user(name=f"Rush {n}", commit=False) for n in range(people)]
    db.session.flush()
    for user in users:
        add_member(cast.space, user, commit=False)
    db.session.commit()
    user_ids, workshop_id = [user.id for user in users], cast.workshop.id
    db.session.commit()  # end the test's own read transaction before the rush
    barrier = threading.Barrier(people)
    errors = []

    def rush(user_id):
        with app.app_context():
            try:
                from cocreate.accounts.models import User
                from cocreate.workshops.models import Workshop

                # Wait for each other before touching the database: the pool lends 15 connections at a time.
                barrier.wait()
                user, workshop = db.session.get(User, user_id), db.session.get(Workshop, workshop_id)
                services.register(user, workshop)
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=rush, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    counts = dict(db.session.execute(
        db.select(Registration.status, db.func.count()).where(Registration.workshop_id == workshop_id)
        .group_by(Registration.status)
    ).all())
    assert counts == {"registered": capacity, "waitlisted": people - capacity}


def test_the_calendar_file_is_a_valid_vevent(cast, client):
    cast.workshop.title = "Spare parts; online, now"
    cast.workshop.agenda_md = "Line one\nLine two with a back\\slash"
    db.session.commit()
    response = client.get(f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    unfolded = body.replace("\r\n ", "")
    start = cast.workshop.starts_at.strftime("%Y%m%dT%H%M%SZ")
    assert f"UID:workshop-{cast.workshop.id}@cocreate\r\n" in unfolded
    assert f"DTSTART:{start}\r\n" in unfolded and "DTEND:" in unfolded
    assert "SUMMARY:Spare parts\\; online\\, now\r\n" in unfolded
    assert "DESCRIPTION:Line one\\nLine two with a back\\\\slash\r\n" in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_long_lines_fold_without_splitting_characters():
    line = "DESCRIPTION:" + escape_text("Æbleskiver, ål og ø " * 10)
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
