"""Helpers that make test data through the models, like CTFd's ``gen_*``."""
import itertools

from cocreate.accounts.models import User, UserRole
from cocreate.extensions import db
from cocreate.markdown import render_markdown
from cocreate.orgs.models import MembershipStatus, Organisation, OrganisationMembership

DEFAULT_PASSWORD = "a long enough test password"
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
