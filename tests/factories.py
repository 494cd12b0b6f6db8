"""Helpers that make test data through the models, like CTFd's ``gen_*``."""
import itertools

from cocreate.accounts.models import User, UserRole
from cocreate.extensions import db
from cocreate.markdown import render_markdown
from cocreate.orgs.models import MembershipStatus, Organisation, OrganisationMembership

DEFAULT_PASSWORD = "a long enough test password"


def reset_database():
    """Empty every table (DELETE beats TRUNCATE on the handful of rows a test leaves behind)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()
_sequence = itertools.count(1)


def make_user(email=None, name=None, password=DEFAULT_PASSWORD, roles=(), organisation=None, org_admin=False,
              pending=False, commit=True):
    n = next(_sequence)
    user = User(email=(email or f"person{n}@example.com").lower(), display_name=name or f"Person {n}")
    user.set_password(password)
    user.role_rows = [UserRole(role=role) for role in roles]
    db.session.add(user)
    db.session.flush()
    if organisation is not None:
        db.session.add(
            OrganisationMembership(
                user_id=user.id,
                organisation_id=organisation.id,
                status=MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE,
                is_admin=org_admin,
            )
        )
    if commit:
        db.session.commit()
    return user


def make_organisation(name=None, kind="company", sector="smart", size_band="10-49", municipality="Aalborg",
                      description="", commit=True):
    n = next(_sequence)
    name = name or f"Organisation {n} ApS"
    organisation = Organisation(
        name=name, name_key=name.lower(), kind=kind, sector=sector, size_band=size_band,
        municipality=municipality, description_md=description, description_html=render_markdown(description),
    )
    db.session.add(organisation)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return organisation


def make_space(title=None, slug=None, owner=None, visibility="public", join_policy="open", sector="smart",
               purpose="", description="", commit=True):
    """A space; ``owner`` (if given) becomes its owner member."""
    from cocreate.spaces.barriers import ensure_barriers
    from cocreate.spaces.models import Space, SpaceMembership, SpaceRole, Side

    ensure_barriers()
    n = next(_sequence)
    title = title or f"Space {n}"
    space = Space(
        title=title, slug=slug or f"space-{n}", purpose=purpose, description_md=description,
        description_html=render_markdown(description), visibility=visibility, join_policy=join_policy,
        sector=sector, created_by_id=owner.id if owner else None,
    )
    db.session.add(space)
    db.session.flush()
    if owner is not None:
        db.session.add(SpaceMembership(space_id=space.id, user_id=owner.id, role=SpaceRole.OWNER, side=Side.of(owner)))
    if commit:
        db.session.commit()
    return space


def add_member(space, user, role="member", side=None, requested=False, commit=True):
    from cocreate.spaces.models import MemberStatus, Side, SpaceMembership

    membership = SpaceMembership(
        space_id=space.id, user_id=user.id, role=role, side=side or Side.of(user),
        status=MemberStatus.REQUESTED if requested else MemberStatus.ACTIVE,
    )
    db.session.add(membership)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return membership


def barrier(slug="too-busy"):
    from cocreate.spaces.barriers import ensure_barriers

    return ensure_barriers()[slug]


def make_challenge(space, author=None, title=None, body="We need help with this.", barriers=("too-busy",),
                   status="open", side="company", tags="", commit=True):
    from cocreate.spaces.barriers import ensure_barriers
    from cocreate.spaces.models import Challenge, ChallengeStatusChange

    themes = ensure_barriers()
    n = next(_sequence)
    challenge = Challenge(
        space_id=space.id, author_id=author.id if author else None, author_side=side, title=title or f"Challenge {n}",
        body_md=body, body_html=render_markdown(body), status=status, tags=tags,
        themes=[themes[slug] for slug in barriers],
    )
    challenge.status_changes.append(ChallengeStatusChange(actor_id=author.id if author else None, to_status=status))
    db.session.add(challenge)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return challenge
def make_assessment(instrument_key="company", typical=2, organisation=None, user=None, taken_by=None,
                    answers=None, complete=True, completed_at=None):
    """A stored assessment; ``answers`` default to every item answered ``typical``."""
    from cocreate.maturity.models import Assessment
    from cocreate.maturity.scoring import score_answers
    from cocreate.maturity.setup import instruments
    from cocreate.models import utcnow

    instrument = instruments().latest(instrument_key)
    answers = answers if answers is not None else {item.id: typical for item in instrument.items}
    assessment = Assessment(
        instrument_key=instrument.key, instrument_version=instrument.version, answers=answers,
        organisation_id=organisation.id if organisation is not None else None,
        subject_user_id=user.id if user is not None else None,
        taken_by_id=(taken_by or user).id if (taken_by or user) is not None else None,
    )
    if complete:
        profile = score_answers(instrument, answers)
        assessment.overall, assessment.level_key = profile.overall, profile.level.key
        assessment.completed_at = completed_at or utcnow()
    db.session.add(assessment)
    db.session.commit()
    return assessment


def make_cohort(organisations, name="Cohort A", level_key="average", score=40.0):
    """A saved company cohort of ``organisations``, each stored at ``score`` and ``level_key``."""
    from cocreate.maturity.models import Cohort, CohortMember

    cohort = Cohort(name=name, instrument_key="company", instrument_version=1, pool="mapped", parameters={})
    cohort.members = [CohortMember(organisation_id=o.id, score=score, level_key=level_key) for o in organisations]
    db.session.add(cohort)
    db.session.commit()
    return cohort


def make_idea(challenge, author=None, title=None, body="Let us try this.", status="proposed", votes=0, commit=True):
    """An idea; ``votes`` > 0 only sets the stored count (for list tests that need no voters)."""
    from cocreate.ideas.models import Idea, IdeaStatusChange
    from cocreate.ideas.services import ensure_rules

    ensure_rules(challenge)
    n = next(_sequence)
    idea = Idea(
        challenge_id=challenge.id, author_id=author.id if author else None, author_side="company",
        title=title or f"Idea {n}", body_md=body, body_html=render_markdown(body), status=status, vote_count=votes,
    )
    idea.status_changes.append(IdeaStatusChange(actor_id=author.id if author else None, to_status=status))
    db.session.add(idea)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return idea


def set_rules(challenge, mode="one_per_idea", budget=3, is_open=True, voters_visible=False):
    from cocreate.ideas.services import ensure_rules

    rules = ensure_rules(challenge)
    rules.mode, rules.budget, rules.is_open, rules.voters_visible = mode, budget, is_open, voters_visible
    db.session.commit()
    return rules


def make_workshop(space, title=None, phase="diverge", capacity=10, starts_in_days=7, hours=3, agenda="",
                  location="https://meet.example.com/room", challenges=(), creator=None, commit=True):
    from datetime import timedelta

    from cocreate.models import utcnow
    from cocreate.workshops.models import Workshop

    n = next(_sequence)
    starts_at = (utcnow() + timedelta(days=starts_in_days)).replace(microsecond=0)
    workshop = Workshop(
        space_id=space.id, title=title or f"Workshop {n}", agenda_md=agenda, agenda_html=render_markdown(agenda),
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), location=location, capacity=capacity,
        phase=phase, challenges=list(challenges), created_by_id=creator.id if creator else None,
    )
    db.session.add(workshop)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return workshop


def make_post(workshop, author, body="A thought for the workshop.", parent=None, hidden_reason=None, side="company",
              commit=True):
    from cocreate.models import utcnow
    from cocreate.workshops.models import Post

    post = Post(
        workshop_id=workshop.id, author_id=author.id if author else None, author_side=side,
        parent_id=parent.id if parent else None, body_md=body, body_html=render_markdown(body),
    )
    if hidden_reason:
        post.hidden_at, post.hidden_reason = utcnow(), hidden_reason
    db.session.add(post)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return post


def set_band(workshop, instrument="company", lowest="basic", highest="average", restricted=False):
    """Give ``workshop`` a target maturity band (level keys of ``instrument``), optionally restricted to it."""
    workshop.maturity_instrument, workshop.maturity_level_from, workshop.maturity_level_to = instrument, lowest, highest
    workshop.band_restricted = restricted
    db.session.commit()
    return workshop
def make_dataset(space, uploader, title=None, content=b"name,count\nAalborg,3\nHjorring,5\n", filename="data.csv",
                 licence="cc-by-4.0", visibility="members", challenges=(), description=""):
    """A data set uploaded through the service, so its file and preview are real."""
    import io

    from cocreate.datasets.services import DatasetData, Upload, upload_dataset

    n = next(_sequence)
    data = DatasetData(title=title or f"Data set {n}", description=description, licence=licence,
                       visibility=visibility, challenge_ids=[challenge.id for challenge in challenges])
    return upload_dataset(uploader, space, data, Upload(filename, io.BytesIO(content)))
# --- insights ------------------------------------------------------------------------------------

def days_ago(days):
    from datetime import timedelta

    from cocreate.models import utcnow

    return utcnow() - timedelta(days=days)


def make_coaching(organisation, days=10, person=None, facilitator=None, note="Worked on the webshop plan."):
    """A recorded 1:1 coaching session held ``days`` ago."""
    from cocreate.insights.models import CoachingSession

    session = CoachingSession(organisation_id=organisation.id, person_id=person.id if person else None,
                              held_on=days_ago(days).date(), facilitator_id=facilitator.id if facilitator else None,
                              note=note)
    db.session.add(session)
    db.session.commit()
    return session


def make_registration(workshop, user, status="registered"):
    from cocreate.workshops.models import Registration

    registration = Registration(workshop_id=workshop.id, user_id=user.id, status=status)
    db.session.add(registration)
    db.session.commit()
    return registration


def make_vote(idea, voter):
    """A vote row with the idea's stored count kept in step."""
    from cocreate.ideas.models import IdeaVote

    db.session.add(IdeaVote(idea_id=idea.id, voter_id=voter.id, challenge_id=idea.challenge_id))
    idea.vote_count += 1
    db.session.commit()
def make_proposal(author, title=None, description="We should work on this.", rationale="Companies ask for it.",
                  barriers=("too-busy",), status="proposed", endorsed_by=(), commit=True):
    """A working-area proposal by ``author`` (an LSG member), endorsed by each of ``endorsed_by``."""
    from cocreate.areas.models import Endorsement, ProposalStatusChange, WorkingAreaProposal
    from cocreate.models import utcnow
    from cocreate.spaces.barriers import ensure_barriers

    themes = ensure_barriers()
    n = next(_sequence)
    proposal = WorkingAreaProposal(
        author_id=author.id if author else None, title=title or f"Working area {n}", description_md=description,
        description_html=render_markdown(description), rationale=rationale, status=status,
        barriers=[themes[slug] for slug in barriers], decided_at=None if status == "proposed" else utcnow(),
    )
    proposal.status_changes.append(ProposalStatusChange(actor_id=author.id if author else None, to_status="proposed"))
    db.session.add(proposal)
    db.session.flush()
    for user in endorsed_by:
        db.session.add(Endorsement(proposal_id=proposal.id, user_id=user.id))
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return proposal
