"""A person's data: download it, delete the account; the whole database: export and import."""
import json

import pytest

from cocreate.accounts.models import User, user_by_email
from cocreate.errors import PermissionDenied
from cocreate.extensions import db
from cocreate.ideas.services import add_comment, merge_ideas, vote_idea
from cocreate.maturity.services import message_cohort
from cocreate.privacy import services
from cocreate.privacy.services import DELETED_NAME
from cocreate.workshops.models import Registration
from cocreate.workshops.services import mute_member, register

from ..factories import (
    DEFAULT_PASSWORD, add_member, make_assessment, make_challenge, make_idea, make_organisation, make_post,
    make_space, make_user, make_workshop, reset_database,
)
from ..test_route_matrix import build_world


def _person_with_content():
    organisation = make_organisation(name="Privacy ApS")
    person = make_user(email="private.person@example.com", name="Private Person", organisation=organisation)
    person.bio_md = person.bio_html = "I like spreadsheets."
    other = make_user(name="Other Person")
    space = make_space(owner=other)
    add_member(space, person)
    challenge = make_challenge(space, author=person, title="Person's challenge")
    idea = make_idea(challenge, person, title="Person's idea")
    comment = add_comment(person, idea, "Person's comment")
    vote_idea(person, challenge, idea.id)
    workshop = make_workshop(space, capacity=1)
    register(person, workshop)
    make_post(workshop, person, body="Person's post")
    make_assessment(organisation=organisation, taken_by=person)
    db.session.commit()
    return person, other, space, challenge, idea, comment, workshop


def test_the_download_holds_everything_about_the_person_and_no_password(app, client, auth):
    person, other, *_ = _person_with_content()
    auth.login(person)
    response = client.get("/profile/data")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == "private.person@example.com" and data["profile"]["bio_md"]
    assert "password_hash" not in data["profile"] and "pbkdf2" not in response.get_data(as_text=True)
    assert [m["organisation_id"] for m in data["organisation_memberships"]]
    assert len(data["space_memberships"]) == 1
    assert [c["title"] for c in data["challenges"]] == ["Person's challenge"]
    assert [i["title"] for i in data["ideas"]] == ["Person's idea"]
    assert [c["body_md"] for c in data["idea_comments"]] == ["Person's comment"]
    assert len(data["idea_votes"]) == 1
    assert [p["body_md"] for p in data["workshop_posts"]] == ["Person's post"]
    assert len(data["maturity_assessments"]) == 1 and len(data["workshop_registrations"]) == 1
    assert other.email not in response.get_data(as_text=True)


def test_the_download_needs_log_in(client):
    assert client.get("/profile/data").status_code == 302


def test_deleting_the_account_keeps_content_under_deleted_user(app, client, auth):
    person, other, space, challenge, idea, comment, workshop = _person_with_content()
    waiting = make_user(name="Waiting Person", email="waiting@example.com")
    add_member(space, waiting)
    assert register(waiting, workshop).status == "waitlisted"
    person_id, idea_id = person.id, idea.id
    auth.login(person)
    assert client.get("/profile/delete").status_code == 200
    refused = client.post("/profile/delete", data={"password": "not my password at all", "confirm": "y"})
    assert refused.status_code == 422 and "That is not your password." in refused.get_data(as_text=True)
    unconfirmed = client.post("/profile/delete", data={"password": DEFAULT_PASSWORD})
    assert unconfirmed.status_code == 422
    response = client.post("/profile/delete", data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 303

    db.session.expire_all()
    user = db.session.get(User, person_id)
    assert user.display_name == DELETED_NAME and not user.is_active
    assert user.email.endswith("@deleted.invalid") and user.bio_md == user.bio_html == ""
    assert not user.check_password(DEFAULT_PASSWORD) and user_by_email("private.person@example.com") is None
    assert user.membership is None and user.roles == set()
    # What they wrote stays, with the deleted user's name on it
    page = client.get(f"/spaces/{space.slug}/challenges/{challenge.id}/ideas/{idea_id}").get_data(as_text=True)
    assert "Person's comment" in page and DELETED_NAME in page and "Private Person" not in page
    assert db.session.get(type(idea), idea_id).vote_count == 1
    # Their workshop place went to the waitlist
    assert db.session.scalar(db.select(Registration.status).where(Registration.user_id == waiting.id)) == "registered"
    # The session is over and the old password opens nothing
    assert client.get("/profile").status_code == 302
    assert auth.login("private.person@example.com").status_code == 422
    assert client.get(f"/people/{person_id}").status_code == 404


def test_a_session_elsewhere_ends_when_the_account_is_deleted(app, auth, client):
    person = make_user(email="two.devices@example.com")
    other_device = app.test_client()
    other_device.post("/login", data={"email": person.email, "password": DEFAULT_PASSWORD, "remember": "y"})
    assert other_device.get("/profile").status_code == 200
    services.delete_account(person, person, DEFAULT_PASSWORD)
    assert other_device.get("/profile").status_code == 302


def test_nobody_else_downloads_or_deletes_an_account(app):
    person, admin = make_user(), make_user(roles=["admin"])
    with pytest.raises(PermissionDenied):
        services.export_personal_data(admin, person)
    with pytest.raises(PermissionDenied):
        services.delete_account(admin, person, DEFAULT_PASSWORD)


# --- the whole database ------------------------------------------------------------------------

def _every_row():
    """{table: [row tuples in primary-key order]} for every table."""
    return {
        table.name: [tuple(row) for row in db.session.execute(db.select(table).order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables
    }


def _normalised(rows):
    """SQLite hands back naive datetimes for aware ones written; compare the same instants."""
    from datetime import datetime, timezone

    def plain(value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    return [tuple(plain(value) for value in row) for row in rows]


def _rich_database():
    world = build_world()
    _person_with_content()
    # an idea merged into a later one, and a reply to a post: rows that point into their own table
    facilitator, member = world.users["space_facilitator"], world.users["space_member"]
    challenge = world.challenges["public"]
    first, later = make_idea(challenge, member), make_idea(challenge, member)
    vote_idea(member, challenge, first.id)
    vote_idea(member, challenge, later.id)  # a vote on both: merging hands one back, with a notice
    world.workshops["public"].challenges.append(challenge)
    merge_ideas(facilitator, first, later)
    make_post(world.workshops["public"], facilitator, body="A reply", parent=world.posts["public"])
    mute_member(facilitator, world.spaces["public"], member.id, 24, "Too loud")
    message_cohort(world.users["admin"], world.cohort, "Hello", "See you on Monday")
    _rows_of_the_later_areas(world, member, challenge)
    return world


def _rows_of_the_later_areas(world, member, challenge):
    """Rows the matrix world leaves empty: an e-mail choice, a proposal's endorsement and comment,
    a data set linked to a challenge."""
    from cocreate.areas.services import add_comment as comment_on_proposal, endorse
    from cocreate.notifications.services import set_email_mode

    from ..factories import make_dataset

    set_email_mode(member, member, "daily")
    endorse(world.users["lsg"], world.proposal)
    comment_on_proposal(world.users["lsg"], world.proposal, "Worth doing")
    make_dataset(world.spaces["public"], member, title="Linked data", challenges=[challenge])


def test_export_and_import_round_trip_every_row(app, runner, tmp_path):
    _rich_database()
    before = _every_row()
    assert sum(len(rows) for rows in before.values()) > 80
    empty_tables = [name for name, rows in before.items() if not rows]
    assert not empty_tables, f"every table should hold a row, so the round trip tests it: {empty_tables}"
    path = tmp_path / "export.jsonl"
    result = runner.invoke(args=["export", str(path)])
    assert result.exit_code == 0, result.output
    refused = runner.invoke(args=["import", str(path)])
    assert refused.exit_code != 0 and "not empty" in refused.output

    reset_database()
    assert all(not rows for rows in _every_row().values())
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    after = _every_row()
    for name in before:
        assert _normalised(after[name]) == _normalised(before[name]), f"table {name} changed in the round trip"
    # new rows get fresh ids after the import
    make_user(email="after.import@example.com")


def test_import_refuses_a_file_that_is_not_an_export(runner, tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text('{"hello": "world"}\n')
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0 and "not a Cocreate database export" in result.output
