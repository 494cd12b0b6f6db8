"""Voting rules through the services: members only, open only, one per idea, the budget, privacy."""
import pytest

from cocreate.errors import Conflict, DomainError, PermissionDenied
from cocreate.extensions import db
from cocreate.ideas import queries, services
from cocreate.ideas.models import Ballot, IdeaVote

from ..factories import make_idea, set_rules


def test_a_member_votes_and_takes_the_vote_back(world):
    idea = make_idea(world.challenge, world.member)
    outcome = services.vote_idea(world.colleague, world.challenge, idea.id)
    assert outcome.has_voted and outcome.idea.vote_count == 1 and outcome.votes_used == 1
    outcome = services.unvote_idea(world.colleague, world.challenge, idea.id)
    assert not outcome.has_voted and outcome.idea.vote_count == 0 and outcome.votes_used == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(IdeaVote)) == 0


def test_one_vote_per_member_per_idea(world):
    idea = make_idea(world.challenge, world.member)
    services.vote_idea(world.colleague, world.challenge, idea.id)
    with pytest.raises(Conflict):
        services.vote_idea(world.colleague, world.challenge, idea.id)
    db.session.rollback()
    assert db.session.get(type(idea), idea.id).vote_count == 1


def test_a_second_vote_changes_neither_ballot_nor_count(world):
    set_rules(world.challenge, mode="budget", budget=3)
    idea = make_idea(world.challenge, world.member)
    services.vote_idea(world.colleague, world.challenge, idea.id)
    with pytest.raises(Conflict):
        services.vote_idea(world.colleague, world.challenge, idea.id)
    db.session.rollback()
    assert db.session.get(Ballot, (world.challenge.id, world.colleague.id)).votes_used == 1
    assert db.session.get(type(idea), idea.id).vote_count == 1


def test_taking_back_a_vote_never_cast_changes_nothing(world):
    idea = make_idea(world.challenge, world.member, votes=4)
    for ballot_before in (None, 0):  # no ballot yet, then a ballot whose vote was taken back already
        with pytest.raises(Conflict, match="not voted"):
            services.unvote_idea(world.colleague, world.challenge, idea.id)
        db.session.rollback()
        ballot = db.session.get(Ballot, (world.challenge.id, world.colleague.id))
        assert (ballot and ballot.votes_used) == ballot_before
        assert db.session.get(type(idea), idea.id).vote_count == 4
        services.vote_idea(world.colleague, world.challenge, idea.id)
        services.unvote_idea(world.colleague, world.challenge, idea.id)


def test_a_refused_vote_leaves_no_row_behind(world):
    set_rules(world.challenge, mode="budget", budget=1)
    first, second = make_idea(world.challenge, world.member), make_idea(world.challenge, world.member)
    services.vote_idea(world.colleague, world.challenge, first.id)
    with pytest.raises(DomainError, match="no votes left"):
        services.vote_idea(world.colleague, world.challenge, second.id)
    db.session.rollback()
    assert db.session.get(Ballot, (world.challenge.id, world.colleague.id)).votes_used == 1
    assert db.session.get(type(second), second.id).vote_count == 0
    assert db.session.get(IdeaVote, (second.id, world.colleague.id)) is None
    assert queries.count_drift() == []


def test_the_outcome_shows_the_stored_rows_after_the_commit(world):
    """The answer is rendered from the rows read back by the writes, so it must match the database."""
    set_rules(world.challenge, mode="budget", budget=3)
    idea = make_idea(world.challenge, world.member, votes=0)
    services.vote_idea(world.member, world.challenge, idea.id)
    outcome = services.vote_idea(world.colleague, world.challenge, idea.id)
    assert outcome.idea.vote_count == 2 and outcome.votes_used == 1
    db.session.expire_all()
    assert db.session.get(type(idea), idea.id).vote_count == 2


def test_only_members_vote(world):
    idea = make_idea(world.challenge, world.member)
    with pytest.raises(PermissionDenied):
        services.vote_idea(world.outsider, world.challenge, idea.id)


def test_closed_voting_refuses_votes_and_take_backs(world):
    idea = make_idea(world.challenge, world.member)
    services.vote_idea(world.member, world.challenge, idea.id)
    set_rules(world.challenge, is_open=False)
    with pytest.raises(DomainError, match="closed"):
        services.vote_idea(world.colleague, world.challenge, idea.id)
    db.session.rollback()
    with pytest.raises(DomainError, match="closed"):
        services.unvote_idea(world.member, world.challenge, idea.id)


def test_the_budget_is_never_exceeded(world):
    set_rules(world.challenge, mode="budget", budget=2)
    ideas = [make_idea(world.challenge, world.member) for _ in range(3)]
    services.vote_idea(world.colleague, world.challenge, ideas[0].id)
    outcome = services.vote_idea(world.colleague, world.challenge, ideas[1].id)
    assert outcome.rules.votes_left(outcome.votes_used) == 0
    with pytest.raises(DomainError, match="no votes left"):
        services.vote_idea(world.colleague, world.challenge, ideas[2].id)
    db.session.rollback()
    services.unvote_idea(world.colleague, world.challenge, ideas[0].id)
    services.vote_idea(world.colleague, world.challenge, ideas[2].id)
    assert db.session.get(Ballot, (world.challenge.id, world.colleague.id)).votes_used == 2


def test_declined_ideas_take_no_new_votes_but_give_votes_back(world):
    idea = make_idea(world.challenge, world.member)
    services.vote_idea(world.member, world.challenge, idea.id)
    services.change_idea_status(world.facilitator, idea, "declined", "Out of scope for this programme.")
    with pytest.raises(DomainError, match="no more votes"):
        services.vote_idea(world.colleague, world.challenge, idea.id)
    db.session.rollback()
    assert services.unvote_idea(world.member, world.challenge, idea.id).idea.vote_count == 0


def test_a_vote_goes_by_the_status_the_locked_row_has_not_the_one_loaded(world):
    """Declined by someone else after this request loaded the idea: the vote is still refused."""
    idea = make_idea(world.challenge, world.member)
    assert idea.status == "proposed"  # loaded in this session
    db.session.execute(db.update(type(idea)).where(type(idea).id == idea.id).values(status="declined")
                       .execution_options(synchronize_session=False))
    with pytest.raises(DomainError, match="no more votes"):
        services.vote_idea(world.colleague, world.challenge, idea.id)
    db.session.rollback()
    assert db.session.get(IdeaVote, (idea.id, world.colleague.id)) is None


def test_an_unknown_or_foreign_idea_is_not_found(world):
    from cocreate.errors import NotFound

    make_idea(world.challenge, world.member)
    with pytest.raises(NotFound):
        services.vote_idea(world.member, world.challenge, 999999)


def test_voters_can_be_shown_only_if_said_before_anyone_voted(world):
    idea = make_idea(world.challenge, world.member)
    visible = services.RulesData(is_open=True, mode="one_per_idea", budget=3, voters_visible=True)
    services.vote_idea(world.member, world.challenge, idea.id)
    with pytest.raises(DomainError, match="private"):
        services.set_voting_rules(world.facilitator, world.challenge, visible)
    db.session.rollback()
    services.unvote_idea(world.member, world.challenge, idea.id)
    rules = services.set_voting_rules(world.facilitator, world.challenge, visible)
    assert rules.voters_visible


def test_only_facilitators_of_the_space_set_the_rules(world):
    data = services.RulesData(is_open=False, mode="budget", budget=5, voters_visible=False)
    with pytest.raises(PermissionDenied):
        services.set_voting_rules(world.member, world.challenge, data)
    rules = services.set_voting_rules(world.facilitator, world.challenge, data)
    assert (rules.is_open, rules.mode, rules.budget) == (False, "budget", 5)


def test_results_weigh_each_organisation_once(world):
    popular = make_idea(world.challenge, world.member, title="Popular in one company")
    broad = make_idea(world.challenge, world.member, title="Liked across organisations")
    services.vote_idea(world.member, world.challenge, popular.id)
    services.vote_idea(world.colleague, world.challenge, popular.id)
    services.vote_idea(world.facilitator, world.challenge, popular.id)
    services.vote_idea(world.member, world.challenge, broad.id)
    services.vote_idea(world.supplier_member, world.challenge, broad.id)
    rows = {row.idea.title: row for row in queries.results(world.challenge)}
    # The facilitator has no organisation and counts alone.
    assert (rows["Popular in one company"].votes, rows["Popular in one company"].organisations) == (3, 2)
    assert (rows["Liked across organisations"].votes, rows["Liked across organisations"].organisations) == (2, 2)
    assert rows["Popular in one company"].voters == []


def test_integrity_check_finds_drift(world, runner):
    idea = make_idea(world.challenge, world.member)
    services.vote_idea(world.member, world.challenge, idea.id)
    result = runner.invoke(args=["check-integrity"])
    assert result.exit_code == 0, result.output
    db.session.execute(db.update(type(idea)).where(type(idea).id == idea.id).values(vote_count=5))
    db.session.commit()
    result = runner.invoke(args=["check-integrity"])
    assert result.exit_code == 1
    assert f"idea {idea.id}: stored 5, counted 1" in result.output
