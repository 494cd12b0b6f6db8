"""The proposal use cases without HTTP: who may do what, and what each decision leaves behind."""
import pytest

from cocreate.areas import services
from cocreate.areas.models import Endorsement, ProposalStatus
from cocreate.audit.models import AuditEntry
from cocreate.errors import DomainError, PermissionDenied
from cocreate.extensions import db
from cocreate.spaces.models import Theme, ThemeKind

from ..factories import barrier, make_proposal


def _data(**overrides):
    fields = dict(title="  Shared   product data  ", description="Suppliers and dealers **share** data.",
                  rationale="Dealers re-type catalogues.", barrier_ids=[barrier("product-complexity").id])
    fields.update(overrides)
    return services.ProposalData(**fields)


def _actions():
    return [entry.action for entry in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_an_lsg_member_proposes_with_markdown_rendered_at_write_time(world):
    proposal = services.propose_working_area(world.proposer, _data())
    assert proposal.title == "Shared product data"
    assert proposal.description_html == "<p>Suppliers and dealers <strong>share</strong> data.</p>"
    assert [theme.slug for theme in proposal.barriers] == ["product-complexity"]
    assert proposal.status == ProposalStatus.PROPOSED
    assert [(c.from_status, c.to_status, c.actor_id) for c in proposal.status_changes] == [
        (None, "proposed", world.proposer.id)]
    assert _actions() == ["working_area.propose"]


@pytest.mark.parametrize("who", ["participant", "facilitator", "admin"])
def test_only_lsg_members_propose(world, who):
    with pytest.raises(PermissionDenied):
        services.propose_working_area(getattr(world, who), _data())


@pytest.mark.parametrize("overrides, field", [
    (dict(title=" "), "title"), (dict(title="x" * 161), "title"), (dict(description="  "), "description"),
    (dict(rationale=""), "rationale"), (dict(barrier_ids=[]), "barrier_ids"), (dict(barrier_ids=[999999]), "barrier_ids"),
])
def test_bad_proposals_are_refused_on_their_field(world, overrides, field):
    with pytest.raises(DomainError) as caught:
        services.propose_working_area(world.proposer, _data(**overrides))
    assert caught.value.field == field


def test_a_working_area_is_not_a_related_barrier(world):
    area = Theme(kind=ThemeKind.WORKING_AREA, slug="data", name_en="Data", name_da="Data")
    db.session.add(area)
    db.session.commit()
    with pytest.raises(DomainError):
        services.propose_working_area(world.proposer, _data(barrier_ids=[area.id]))


def test_each_lsg_member_endorses_once_and_not_their_own(world):
    proposal = make_proposal(world.proposer)
    services.endorse(world.peer, proposal)
    with pytest.raises(DomainError, match="already"):
        services.endorse(world.peer, proposal)
    with pytest.raises(DomainError, match="own"):
        services.endorse(world.proposer, proposal)
    services.endorse(world.other_peer, proposal)
    assert db.session.scalar(db.select(db.func.count()).select_from(Endorsement)) == 2
    assert _actions() == ["working_area.endorse", "working_area.endorse"]


@pytest.mark.parametrize("who", ["participant", "facilitator", "admin"])
def test_only_lsg_members_endorse(world, who):
    proposal = make_proposal(world.proposer)
    with pytest.raises(PermissionDenied):
        services.endorse(getattr(world, who), proposal)


def test_an_endorsement_can_be_withdrawn_while_under_discussion(world):
    proposal = make_proposal(world.proposer, endorsed_by=[world.peer])
    services.withdraw_endorsement(world.peer, proposal)
    assert not services.has_endorsed(world.peer, proposal)
    with pytest.raises(DomainError):
        services.withdraw_endorsement(world.peer, proposal)


def test_a_decided_proposal_takes_no_endorsements(world):
    proposal = make_proposal(world.proposer, endorsed_by=[world.peer])
    services.decline_proposal(world.facilitator, proposal, "Covered by the competences barrier.")
    with pytest.raises(DomainError, match="decided"):
        services.endorse(world.other_peer, proposal)
    with pytest.raises(DomainError, match="decided"):
        services.withdraw_endorsement(world.peer, proposal)


@pytest.mark.parametrize("who", ["facilitator", "admin"])
def test_accepting_makes_a_working_area_theme(world, who):
    proposal = make_proposal(world.proposer, title="Shared product data")
    actor = getattr(world, who)
    theme = services.accept_proposal(actor, proposal, name_da="Delte produktdata")
    assert (theme.kind, theme.slug, theme.name_en, theme.name_da) == (
        ThemeKind.WORKING_AREA, "shared-product-data", "Shared product data", "Delte produktdata")
    assert proposal.theme_id == theme.id and proposal.status == ProposalStatus.ACCEPTED
    assert proposal.decided_at is not None
    assert [(c.from_status, c.to_status, c.actor_id) for c in proposal.status_changes][-1] == (
        "proposed", "accepted", actor.id)
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "working_area.accept")).one()
    assert entry.details == {"theme_id": theme.id} and entry.actor_id == actor.id


def test_a_second_area_with_the_same_title_gets_its_own_address(world):
    first = services.accept_proposal(world.facilitator, make_proposal(world.proposer, title="Data"))
    second = services.accept_proposal(world.facilitator, make_proposal(world.peer, title="Data"))
    assert (first.slug, second.slug) == ("data", "data-2")
    assert second.name_da == "Data"


def test_declining_needs_a_reason_and_keeps_it_in_the_history(world):
    proposal = make_proposal(world.proposer)
    with pytest.raises(DomainError) as caught:
        services.decline_proposal(world.facilitator, proposal, "   ")
    assert caught.value.field == "reason"
    services.decline_proposal(world.admin, proposal, "Too close to barrier 5.")
    assert proposal.decline_reason == "Too close to barrier 5."
    change = proposal.status_changes[-1]
    assert (change.to_status, change.reason, change.actor_id) == ("declined", "Too close to barrier 5.", world.admin.id)
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "working_area.decline")).one()
    assert entry.reason == "Too close to barrier 5."


@pytest.mark.parametrize("who", ["proposer", "peer", "participant"])
def test_only_facilitators_and_admins_decide(world, who):
    proposal = make_proposal(world.proposer)
    with pytest.raises(PermissionDenied):
        services.accept_proposal(getattr(world, who), proposal)
    with pytest.raises(PermissionDenied):
        services.decline_proposal(getattr(world, who), proposal, "No.")


def test_a_decision_is_final(world):
    proposal = make_proposal(world.proposer)
    services.accept_proposal(world.facilitator, proposal)
    with pytest.raises(DomainError, match="already"):
        services.decline_proposal(world.admin, proposal, "Changed my mind.")
    with pytest.raises(DomainError, match="already"):
        services.accept_proposal(world.admin, proposal)
    assert db.session.scalar(
        db.select(db.func.count()).select_from(Theme).where(Theme.kind == ThemeKind.WORKING_AREA)) == 1


def test_comments_by_lsg_members_and_facilitators_only(world):
    proposal = make_proposal(world.proposer)
    comment = services.add_comment(world.peer, proposal, "Yes, *please*.")
    assert comment.body_html == "<p>Yes, <em>please</em>.</p>"
    services.add_comment(world.facilitator, proposal, "We could start in spring.")
    with pytest.raises(PermissionDenied):
        services.add_comment(world.participant, proposal, "Me too")
    with pytest.raises(DomainError):
        services.add_comment(world.peer, proposal, "   ")
