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
