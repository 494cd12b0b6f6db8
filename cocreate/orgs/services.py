"""Organisation use cases: create, edit, join, approve, decline, leave, remove."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..audit.models import record
from ..errors import DomainError
from ..extensions import db
from ..markdown import render_markdown
from ..notifications import notify
from ..permissions import require, rule
from .models import MembershipStatus, Organisation, OrganisationMembership


def _is_org_admin(user, organisation):
    membership = user.membership
    return (
        membership is not None
        and membership.organisation_id == organisation.id
        and membership.is_active
        and membership.is_admin
    )


@rule("orgs.manage")
def _can_manage(user, organisation):
    return user is not None and (user.is_facilitator or _is_org_admin(user, organisation))


@rule("orgs.create")
def _can_create(user, _obj):
    return user is not None and user.membership is None


@rule("orgs.join")
def _can_join(user, organisation):
    return user is not None and user.membership is None


@dataclass
class OrganisationData:
    name: str
    kind: str
    sector: str
    size_band: str
    municipality: str
    description: str = ""


def _name_key(name):
    return " ".join(name.split()).lower()


def _check_name_free(name, organisation=None):
    query = db.select(Organisation.id).where(Organisation.name_key == _name_key(name))
    existing = db.session.scalar(query)
    if existing is not None and (organisation is None or existing != organisation.id):
        raise DomainError(_l("An organisation with this name exists already. Ask to join it instead."), field="name")


def _apply(organisation, data):
    organisation.name = " ".join(data.name.split())
    organisation.name_key = _name_key(data.name)
    organisation.kind = data.kind
    organisation.sector = data.sector
    organisation.size_band = data.size_band
    organisation.municipality = data.municipality
    organisation.description_md = data.description or ""
    organisation.description_html = render_markdown(organisation.description_md)


def create_organisation(actor, data):
    require(actor, "orgs.create", message=_l("You already belong to an organisation or have asked to join one."))
    _check_name_free(data.name)
    organisation = Organisation()
    _apply(organisation, data)
    db.session.add(organisation)
    db.session.flush()
    db.session.add(
        OrganisationMembership(
            user_id=actor.id, organisation_id=organisation.id, status=MembershipStatus.ACTIVE, is_admin=True
        )
    )
    db.session.commit()
    return organisation


def update_organisation(actor, organisation, data):
    require(actor, "orgs.manage", organisation)
    _check_name_free(data.name, organisation)
    _apply(organisation, data)
    if actor.is_admin and not _is_org_admin(actor, organisation):
        record(actor, "organisation.edit", "organisation", organisation.id)
    db.session.commit()
    return organisation


ALREADY_JOINED = _l("You already belong to an organisation or have asked to join one.")


def request_to_join(actor, organisation):
    require(actor, "orgs.join", organisation, message=ALREADY_JOINED)
    db.session.add(OrganisationMembership(user_id=actor.id, organisation_id=organisation.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same request sent twice at once: the first one counts
        db.session.rollback()
        raise DomainError(ALREADY_JOINED)


def _membership(organisation, user_id, status=None):
    """The membership, its row held so that two decisions on one request can't both pass."""
    membership = db.session.get(OrganisationMembership, user_id, with_for_update={"of": OrganisationMembership})
    if membership is None or membership.organisation_id != organisation.id:
        raise DomainError(_l("That person is not a member or applicant of this organisation."))
    if status and membership.status != status:
        raise DomainError(_l("That request has already been handled."))
    return membership


def approve_request(actor, organisation, user_id):
    require(actor, "orgs.manage", organisation)
    membership = _membership(organisation, user_id, MembershipStatus.PENDING)
    membership.status = MembershipStatus.ACTIVE
    record(actor, "organisation.approve", "organisation", organisation.id, user_id=user_id)
    db.session.commit()
    notify.organisation_request_decided(organisation, user_id, approved=True)
    return membership


def decline_request(actor, organisation, user_id):
    require(actor, "orgs.manage", organisation)
    membership = _membership(organisation, user_id, MembershipStatus.PENDING)
    db.session.delete(membership)
    record(actor, "organisation.decline", "organisation", organisation.id, user_id=user_id)
    db.session.commit()
    notify.organisation_request_decided(organisation, user_id, approved=False)


def set_admin(actor, organisation, user_id, is_admin):
    require(actor, "orgs.manage", organisation)
    membership = _membership(organisation, user_id, MembershipStatus.ACTIVE)
    if not is_admin and _last_admin(organisation, membership):
        raise DomainError(_l("An organisation needs at least one admin."))
    membership.is_admin = is_admin
    record(actor, "organisation.admin" if is_admin else "organisation.unadmin", "organisation", organisation.id, user_id=user_id)
    db.session.commit()


def _last_admin(organisation, membership):
    if not membership.is_admin:
        return False
    admins = db.session.scalar(
        db.select(db.func.count())
        .select_from(OrganisationMembership)
        .where(
            OrganisationMembership.organisation_id == organisation.id,
            OrganisationMembership.is_admin.is_(True),
            OrganisationMembership.status == MembershipStatus.ACTIVE,
        )
    )
    return admins <= 1


def remove_member(actor, organisation, user_id):
    """An admin removes someone, or a person leaves (``user_id`` is their own)."""
    if actor.id != user_id:
        require(actor, "orgs.manage", organisation)
    membership = _membership(organisation, user_id)
    if membership.is_active and _last_admin(organisation, membership):
        others = db.session.scalar(
            db.select(db.func.count())
            .select_from(OrganisationMembership)
            .where(
                OrganisationMembership.organisation_id == organisation.id,
                OrganisationMembership.status == MembershipStatus.ACTIVE,
                OrganisationMembership.user_id != user_id,
            )
        )
        if others:
            raise DomainError(_l("Make another member an admin before the last admin leaves."))
    db.session.delete(membership)
    if actor.id != user_id:
        record(actor, "organisation.remove", "organisation", organisation.id, user_id=user_id)
    db.session.commit()

