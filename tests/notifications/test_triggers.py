"""Every trigger, called through the areas' own services, and the rules on who is told what."""
from datetime import timedelta

import pytest

from cocreate.ideas import services as ideas
from cocreate.mail import outbox
from cocreate.models import utcnow
from cocreate.notifications import notify
from cocreate.notifications.models import EmailMode, Follow
from cocreate.notifications.services import follow, set_email_mode
from cocreate.orgs import services as orgs
from cocreate.spaces import services as spaces
from cocreate.workshops import services as workshops
from cocreate.workshops.models import Registration

from ..factories import (
    add_member, make_idea, make_organisation, make_post, make_space, make_user, make_workshop,
)
from .conftest import all_notes, notes

LINK = "https://cocreate.example/w"


def _following(user, kind, target_id):
    from cocreate.extensions import db

    return db.session.get(Follow, (user.id, kind, target_id)) is not None


def test_a_reply_in_a_workshop_thread_tells_the_parent_author_with_an_excerpt(cast):
    workshop = make_workshop(cast.space, title="Parts day")
    parent = make_post(workshop, cast.member, body="First thought")
    workshops.create_post(cast.other, workshop, "I   agree with this", parent_id=parent.id)
    [note] = notes(cast.member)
    assert note.kind == "reply" and note.excerpt == "I agree with this" and note.actor_id == cast.other.id
    assert f"#post-" in note.url and notes(cast.other) == []


def test_mentions_tell_members_only_and_never_the_author(cast):
    workshop = make_workshop(cast.space)
    workshops.create_post(cast.other, workshop, "Ask @mia member and @Uma Outsider, and me @Otto Other")
    assert [n.kind for n in notes(cast.member)] == ["mention"]
    assert notes(cast.outsider) == [] and notes(cast.other) == []


def test_a_quoted_mention_notifies_no_one(cast):
    workshop = make_workshop(cast.space)
    workshops.create_post(cast.other, workshop, "> **Someone:**\n> hello @Mia Member\n\nquoting")
    assert notes(cast.member) == []


def test_an_edit_that_adds_a_mention_tells_only_the_newly_mentioned_member(cast):
    workshop = make_workshop(cast.space)
    post = workshops.create_post(cast.other, workshop, "Who knows the supplier portal?")
    workshops.edit_post(cast.other, post, "Who knows the supplier portal? @Mia Member, @Uma Outsider?")
    assert [n.kind for n in notes(cast.member)] == ["mention"]
    assert notes(cast.outsider) == []
    workshops.edit_post(cast.other, post, "Who knows the supplier portal? @Mia Member? (typo fixed)")
    assert len(notes(cast.member)) == 1  # still mentioned, not mentioned again


def test_an_edited_comment_tells_the_newly_mentioned_member(cast):
    idea = make_idea(cast.challenge, author=cast.member)
    comment = ideas.add_comment(cast.other, idea, "Good start")
    ideas.edit_comment(cast.other, comment, "Good start, what does @Olga Owner think?")
    assert [n.kind for n in notes(cast.owner)] == ["mention"]
    assert [n.kind for n in notes(cast.member)] == ["comment"]  # the idea's author heard of the comment once


def test_comments_and_replies_on_ideas(cast):
    idea = make_idea(cast.challenge, author=cast.member, title="Price list bot")
    comment = ideas.add_comment(cast.other, idea, "Nice idea")
    assert [n.kind for n in notes(cast.member)] == ["comment"]
    ideas.add_comment(cast.member, idea, "Thanks @Olga Owner", parent_id=comment.id)
    assert [n.kind for n in notes(cast.other)] == ["reply"]
    assert [n.kind for n in notes(cast.owner)] == ["mention"]


def test_new_challenges_and_workshops_reach_the_followers_of_the_space(cast):
    follow(cast.other, "space", cast.space.id)
    spaces.post_challenge(cast.member, cast.space, spaces.ChallengeData(
        title="Catalogue chaos", body="Too many files", theme_ids=[cast.challenge.themes[0].id]))
    start = utcnow() + timedelta(days=3)
    workshops.create_workshop(cast.owner, cast.space, workshops.WorkshopData(
        title="Catalogue sprint", starts_at=start, ends_at=start + timedelta(hours=2), capacity=5))
    assert [n.kind for n in notes(cast.other)] == ["new_challenge", "new_workshop"]
    assert notes(cast.outsider) == []


def test_followers_who_cannot_see_a_members_only_space_hear_nothing(app):
    owner, member, former = make_user(), make_user(), make_user()
    space = make_space(owner=owner, visibility="members")
    add_member(space, member)
    add_member(space, former)
    follow(member, "space", space.id)
    follow(former, "space", space.id)
    spaces.leave_space(former, space)
    from ..factories import barrier

    spaces.post_challenge(owner, space, spaces.ChallengeData(title="Secret", body="Hush", theme_ids=[barrier().id]))
    assert [n.kind for n in notes(member)] == ["new_challenge"]
    assert notes(former) == []


def test_status_changes_tell_the_author_and_followers(cast):
    idea = make_idea(cast.challenge, author=cast.other)
    follow(cast.outsider, "idea", idea.id)
    ideas.change_idea_status(cast.owner, idea, "shortlisted")
    spaces.change_challenge_status(cast.owner, cast.challenge, "solved")
    assert [(n.kind, n.params["status"]) for n in notes(cast.other)] == [("idea_status", "shortlisted")]
    assert [n.kind for n in notes(cast.outsider)] == ["idea_status"]
    assert [n.kind for n in notes(cast.member)] == ["challenge_status"]
    assert notes(cast.owner) == []


def test_authors_and_joiners_follow_automatically(cast):
    assert not _following(cast.member, "challenge", cast.challenge.id)  # made by the factory, not the service
    challenge = spaces.post_challenge(cast.member, cast.space, spaces.ChallengeData(
        title="Auto", body="x", theme_ids=[cast.challenge.themes[0].id]))
    idea = ideas.propose_idea(cast.other, challenge, ideas.IdeaData(title="An idea"))
    newcomer = make_user()
    spaces.join_space(newcomer, cast.space)
    workshop = make_workshop(cast.space)
    workshops.register(newcomer, workshop)
    assert _following(cast.member, "challenge", challenge.id) and _following(cast.other, "idea", idea.id)
    assert _following(newcomer, "space", cast.space.id) and _following(newcomer, "workshop", workshop.id)
    assert [n.kind for n in notes(cast.member)] == ["new_idea"]


def test_workshop_reminders_are_sent_once(cast, runner):
    soon = make_workshop(cast.space, title="Tomorrow", starts_in_days=0.5)
    later = make_workshop(cast.space, title="Next week", starts_in_days=7)
    for workshop in (soon, later):
        workshops.register(cast.member, workshop)
    assert "1 reminders" in runner.invoke(args=["send-reminders"]).output
    assert "0 reminders" in runner.invoke(args=["send-reminders"]).output
    [note] = notes(cast.member, "reminder")
    assert note.target_id == soon.id
    assert len([m for m in outbox if "Tomorrow" in m["Subject"]]) == 1


def test_waitlist_promotion_is_told_in_the_app(cast):
    workshop = make_workshop(cast.space, capacity=1)
    workshops.register(cast.member, workshop)
    workshops.register(cast.other, workshop)
    workshops.cancel_registration(cast.member, workshop)
    assert [n.kind for n in notes(cast.other)] == ["promoted"]
    [mail] = outbox  # one e-mail, from the notification (the person's choice is "immediately")
    assert mail["To"] == cast.other.email and workshop.title in mail["Subject"]


def test_waitlist_promotion_mails_only_as_the_person_chose(cast):
    workshop = make_workshop(cast.space, capacity=1)
    workshops.register(cast.member, workshop)
    workshops.register(cast.other, workshop)
    set_email_mode(cast.other, cast.other, EmailMode.NEVER)
    workshops.cancel_registration(cast.member, workshop)
    assert [n.kind for n in notes(cast.other)] == ["promoted"]
    assert outbox == []


def test_join_request_decisions_for_spaces_and_organisations(app):
    owner, asker, declined = make_user(), make_user(), make_user()
    space = make_space(owner=owner, join_policy="request", visibility="members")
    for person in (asker, declined):
        add_member(space, person, requested=True)
    spaces.approve_request(owner, space, asker.id)
    spaces.decline_request(owner, space, declined.id)
    assert [n.kind for n in notes(asker)] == ["space_approved"]
    assert [n.kind for n in notes(declined)] == ["space_declined"] and notes(declined)[0].url == ""
    organisation = make_organisation()
    admin = make_user(organisation=organisation, org_admin=True)
    applicant, refused = make_user(), make_user()
    for person in (applicant, refused):
        orgs.request_to_join(person, organisation)
    orgs.approve_request(admin, organisation, applicant.id)
    orgs.decline_request(admin, organisation, refused.id)
    assert [n.kind for n in notes(applicant)] == ["org_approved"]
    assert [n.kind for n in notes(refused)] == ["org_declined"]


def test_hiding_a_post_tells_its_author_and_removes_its_text_everywhere(cast):
    workshop = make_workshop(cast.space)
    post = workshops.create_post(cast.other, workshop, "Rude words about @Mia Member")
    assert notes(cast.member)[0].excerpt
    workshops.hide_post(cast.owner, post, "Keep it civil")
    [hidden] = notes(cast.other)
    assert hidden.kind == "post_hidden" and hidden.params["reason"] == "Keep it civil"
    assert all("Rude" not in n.excerpt for n in all_notes())
    workshops.restore_post(cast.owner, post)
    assert [n.kind for n in notes(cast.other)] == ["post_hidden", "post_restored"]
    assert all("Rude" not in m.get_content() for m in outbox if m["To"] == cast.other.email)


def test_a_reported_post_hidden_on_resolution_tells_the_author(cast):
    workshop = make_workshop(cast.space)
    post = make_post(workshop, cast.other, body="Spam")
    report = workshops.report_post(cast.member, post, "spam")
    workshops.resolve_report(cast.owner, report, "hidden")
    assert [n.kind for n in notes(cast.other)] == ["post_hidden"]


def test_a_failing_notification_never_breaks_the_action(cast, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(notify, "audience", broken)
    workshop = make_workshop(cast.space)
    post = workshops.create_post(cast.other, workshop, "Still posted @Mia Member")
    assert post.id and post.body_md == "Still posted @Mia Member"
    assert all_notes() == [] and "notifications are down" in caplog.text


def test_each_person_is_told_once_per_event(cast):
    workshop = make_workshop(cast.space)
    follow(cast.member, "workshop", workshop.id)
    parent = make_post(workshop, cast.member)
    workshops.create_post(cast.other, workshop, "@Mia Member see this", parent_id=parent.id)
    assert [n.kind for n in notes(cast.member)] == ["reply"]


@pytest.mark.parametrize("mode, mailed", [("immediate", 1), ("daily", 0), ("never", 0)])
def test_the_email_choice_decides_what_is_mailed_at_once(cast, mode, mailed):
    from cocreate.notifications.services import set_email_mode

    set_email_mode(cast.member, cast.member, mode)
    idea = make_idea(cast.challenge, author=cast.member)
    ideas.add_comment(cast.other, idea, "Hello")
    assert len([m for m in outbox if m["To"] == cast.member.email]) == mailed
    assert len(notes(cast.member)) == 1


def test_working_area_proposals_tell_their_author_and_followers(app):
    from cocreate.areas import services as areas
    from cocreate.notifications.messages import sentence

    from ..factories import barrier

    author = make_user(name="Lise Board", roles=["lsg"])
    endorser = make_user(name="Erik Board", roles=["lsg"])
    facilitator = make_user(name="Fie Facilitator", roles=["facilitator"])
    bystander = make_user(name="Bo Bystander")
    proposal = areas.propose_working_area(author, areas.ProposalData(
        title="Circular packaging", description="Reuse crates.", rationale="Customers ask.",
        barrier_ids=[barrier("too-busy").id]))
    assert _following(author, "working_area", proposal.id)
    areas.endorse(endorser, proposal)
    assert _following(endorser, "working_area", proposal.id)
    areas.add_comment(endorser, proposal, "Count me in")
    assert [n.kind for n in notes(author)] == ["working_area_comment"] and notes(endorser) == []
    areas.accept_proposal(facilitator, proposal)
    [decided] = [n for n in notes(endorser) if n.kind == "working_area_status"]
    assert sentence(decided) == "The working-area proposal “Circular packaging” is now: Accepted"
    assert [n.kind for n in notes(author)].count("working_area_status") == 1
    assert notes(bystander) == [] and notes(facilitator) == []
    # Proposals belong to no space: anyone signed in may follow one.
    from cocreate.notifications.services import followable_or_404

    assert followable_or_404(bystander, "working_area", proposal.id)[1] is proposal
