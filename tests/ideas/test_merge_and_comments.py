"""Merging duplicates (votes move, nobody counts twice, budgets hold) and comments."""
from datetime import timedelta

import pytest

from cocreate.errors import DomainError, PermissionDenied
from cocreate.extensions import db
from cocreate.ideas import queries, services
from cocreate.ideas.models import Ballot, Idea, IdeaComment, IdeaVote, VoteNotice

from ..factories import make_idea, set_rules


def _votes(idea):
    return set(db.session.scalars(db.select(IdeaVote.voter_id).where(IdeaVote.idea_id == idea.id)))


def test_merging_moves_votes_and_comments_without_double_counting(world):
    target = make_idea(world.challenge, world.member, title="Webshop for spare parts")
    duplicate = make_idea(world.challenge, world.colleague, title="Sell spare parts online")
    services.vote_idea(world.member, world.challenge, target.id)
    services.vote_idea(world.member, world.challenge, duplicate.id)  # voted for both: must not count twice
    services.vote_idea(world.colleague, world.challenge, duplicate.id)
    services.add_comment(world.supplier_member, duplicate, "We could supply the photos.")

    outcome = services.merge_ideas(world.facilitator, duplicate, target)

    assert (outcome.moved_votes, outcome.returned_votes, outcome.moved_comments) == (1, 1, 1)
    db.session.expire_all()
    target, duplicate = db.session.get(Idea, target.id), db.session.get(Idea, duplicate.id)
    assert _votes(target) == {world.member.id, world.colleague.id} and target.vote_count == 2
    assert _votes(duplicate) == set() and duplicate.vote_count == 0
    assert duplicate.status == "merged" and duplicate.merged_into_id == target.id
    assert db.session.scalar(db.select(IdeaComment.idea_id)) == target.id
    assert db.session.get(Ballot, (world.challenge.id, world.member.id)).votes_used == 1
    notice = db.session.scalar(db.select(VoteNotice))
    assert (notice.user_id, notice.kind, notice.from_title) == (world.member.id, "duplicate", "Sell spare parts online")
    assert queries.count_drift() == []


def test_a_moved_vote_that_would_break_a_lowered_budget_is_returned(world):
    target = make_idea(world.challenge, world.member)
    duplicate = make_idea(world.challenge, world.member)
    other = make_idea(world.challenge, world.member)
    set_rules(world.challenge, mode="budget", budget=3)
    for idea in (duplicate, other):
        services.vote_idea(world.colleague, world.challenge, idea.id)
    services.vote_idea(world.supplier_member, world.challenge, duplicate.id)
    set_rules(world.challenge, mode="budget", budget=1)  # the colleague now holds 2 votes of a budget of 1

    outcome = services.merge_ideas(world.facilitator, duplicate, target)

    assert (outcome.moved_votes, outcome.returned_votes) == (1, 1)
    assert _votes(db.session.get(Idea, target.id)) == {world.supplier_member.id}
    assert db.session.get(Ballot, (world.challenge.id, world.colleague.id)).votes_used == 1
    assert db.session.scalar(db.select(VoteNotice.kind).where(VoteNotice.user_id == world.colleague.id)) == "over_budget"
    assert queries.count_drift() == []


def test_the_voter_is_told_on_the_challenge_page_until_they_dismiss_it(client, auth, world):
    target = make_idea(world.challenge, world.member, title="Keep me")
    duplicate = make_idea(world.challenge, world.member, title="Merge me")
    services.vote_idea(world.colleague, world.challenge, target.id)
    services.vote_idea(world.colleague, world.challenge, duplicate.id)
    services.merge_ideas(world.facilitator, duplicate, target)
    auth.login(world.colleague)
    page = client.get(world.url()).get_data(as_text=True)
    assert "Your votes changed" in page and "“Merge me” was merged into “Keep me”" in page
    response = client.post(world.url("/notices/dismiss"), headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.get_data() == b""
    assert "Your votes changed" not in client.get(world.url()).get_data(as_text=True)


def test_the_merged_idea_links_to_its_target(client, auth, world):
    target = make_idea(world.challenge, world.member, title="The original")
    duplicate = make_idea(world.challenge, world.member, title="The copy")
    auth.login(world.facilitator)
    response = client.post(world.url(f"/ideas/{duplicate.id}/merge"), data={"target_id": str(target.id)})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/ideas/{target.id}")
    page = client.get(world.url(f"/ideas/{duplicate.id}")).get_data(as_text=True)
    assert "This idea was merged into" in page and f'/ideas/{target.id}">The original</a>' in page
    assert "The copy" not in client.get(world.url()).get_data(as_text=True)
    assert "The copy" in client.get(world.url("?status=merged")).get_data(as_text=True)
    response = client.post(world.url(f"/ideas/{target.id}/merge"), data={"target_id": str(duplicate.id)})
    assert response.status_code == 409


def test_merge_needs_a_facilitator_and_another_idea(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    with pytest.raises(PermissionDenied):
        services.merge_ideas(world.member, idea, make_idea(world.challenge, world.member))
    with pytest.raises(DomainError):
        services.merge_ideas(world.facilitator, idea, idea)
    auth.login(world.facilitator)
    assert client.post(world.url(f"/ideas/{idea.id}/merge"), data={"target_id": "999999"}).status_code == 422


def test_replies_stay_one_level_deep(world):
    idea = make_idea(world.challenge, world.member)
    top = services.add_comment(world.member, idea, "Top")
    reply = services.add_comment(world.colleague, idea, "Reply", parent_id=top.id)
    reply_to_reply = services.add_comment(world.member, idea, "Reply to the reply", parent_id=reply.id)
    assert reply.parent_id == top.id and reply_to_reply.parent_id == top.id
    [(thread, replies)] = queries.comment_threads(idea)
    assert thread.id == top.id and [r.body_md for r in replies] == ["Reply", "Reply to the reply"]


def test_the_comment_shows_organisation_side_and_edited_mark(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.supplier_member)
    response = client.post(world.url(f"/ideas/{idea.id}/comments"), data={"body": "We can *help*"})
    comment = db.session.scalar(db.select(IdeaComment))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#comment-{comment.id}")
    edit_url = world.url(f"/ideas/{idea.id}/comments/{comment.id}/edit")
    assert client.get(edit_url).status_code == 200
    assert client.post(edit_url, data={"body": "We can help next month"}).status_code == 303
    page = client.get(world.url(f"/ideas/{idea.id}")).get_data(as_text=True)
    assert "Small Supplier ApS" in page and "Supplier side" in page
    assert "We can help next month" in page and "· edited" in page


def test_comments_can_be_edited_only_by_their_author_within_fifteen_minutes(world):
    idea = make_idea(world.challenge, world.member)
    comment = services.add_comment(world.member, idea, "First words")
    with pytest.raises(PermissionDenied):
        services.edit_comment(world.colleague, comment, "Not mine")
    comment.created_at = comment.created_at - timedelta(minutes=16)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        services.edit_comment(world.member, comment, "Too late")


def test_an_empty_comment_is_shown_again_with_an_error(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.member)
    response = client.post(world.url(f"/ideas/{idea.id}/comments"), data={"body": ""})
    assert response.status_code == 422 and "Write something first." in response.get_data(as_text=True)
