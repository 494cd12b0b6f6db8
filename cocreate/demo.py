"""Demo data for development: North Jutland SMEs, their customers and suppliers, and demo log-ins.

Every seeder looks records up by a natural key before creating them, so
running ``flask seed-demo`` twice changes nothing. Areas add their own seeder
to ``SEEDERS``; each receives the ``DemoContext`` built by the ones before it.
"""
from dataclasses import dataclass, field

from .accounts.models import Role, User, UserRole, user_by_email
from .extensions import db
from .markdown import render_markdown
from .maturity.demo import seed_maturity
from .orgs.models import MembershipStatus, Organisation, OrganisationMembership

DEMO_PASSWORD = "cocreate-demo"

# (name, kind, sector, size band, municipality, description)
ORGANISATIONS = [
    ("Limfjord Stålmøbler A/S", "company", "smart", "50-249", "Aalborg",
     "Steel furniture for offices and schools, sold through dealers in Scandinavia."),
    ("Vendsyssel Bådeværft ApS", "company", "blue", "10-49", "Frederikshavn",
     "Builds and services fishing and leisure boats; spare parts by phone today."),
    ("Nordkyst Fiskeeksport A/S", "company", "blue", "50-249", "Hjørring",
     "Exports fresh and frozen fish from Hirtshals to wholesalers in Europe."),
    ("Himmerland Energiteknik ApS", "company", "green", "10-49", "Vesthimmerland",
     "Heat pumps and energy renovation for farms and small industry."),
    ("Skagen Oplevelser ApS", "company", "attractive", "1-9", "Frederikshavn",
     "Guided tours, seal safaris and group events on the Skaw."),
    ("Thy Smedie & Maskiner A/S", "company", "smart", "50-249", "Thisted",
     "Machined parts and welded frames for agricultural machinery makers."),
    ("Rebild Naturkost ApS", "company", "green", "10-49", "Rebild",
     "Organic food products sold to shops and restaurants."),
    ("Hansen Kontorinventar A/S", "customer", "other", "10-49", "Aarhus",
     "Dealer of office furniture; a long-standing customer of Limfjord Stålmøbler."),
    ("Jammerbugt Fiskegrossist ApS", "customer", "blue", "10-49", "Jammerbugt",
     "Wholesaler buying from local fish exporters."),
    ("Nordic Steel Supply A/S", "supplier", "smart", "250+", "Aalborg",
     "Supplies steel sheet and tubes to manufacturers in North Jutland."),
    ("Mariager Pakkeri ApS", "supplier", "green", "10-49", "Mariagerfjord",
     "Packaging and pallets for food and industry."),
    ("NordLog Klynge", "cluster", "smart", "1-9", "Aalborg",
     "The logistics cluster of North Denmark."),
    ("Erhvervshus Nordjylland", "bdc", "other", "50-249", "Aalborg",
     "The business development centre of North Denmark."),
    ("Aalborg Universitet", "university", "other", "250+", "Aalborg",
     "University with research in digital business and logistics."),
    ("UCN Professionshøjskole", "college", "other", "250+", "Aalborg",
     "University college educating e-commerce and technology professionals."),
    ("Region Nordjylland", "region", "other", "250+", "Aalborg",
     "The regional authority behind the Future Ecom action plan."),
]

# (email, display name, organisation name, org admin, roles)
PEOPLE = [
    ("admin@example.org", "Anne Admin", "Erhvervshus Nordjylland", False, [Role.ADMIN]),
    ("facilitator@example.org", "Frederik Facilitator", "Erhvervshus Nordjylland", True, [Role.FACILITATOR]),
    ("lsg@example.org", "Lise Sørensen", "NordLog Klynge", True, [Role.LSG]),
    ("participant@example.org", "Peter Pedersen", "Limfjord Stålmøbler A/S", True, []),
    ("mette@example.org", "Mette Kristensen", "Limfjord Stålmøbler A/S", False, []),
    ("jens@example.org", "Jens Nielsen", "Vendsyssel Bådeværft ApS", True, []),
    ("sofie@example.org", "Sofie Larsen", "Nordkyst Fiskeeksport A/S", True, []),
    ("rasmus@example.org", "Rasmus Andersen", "Himmerland Energiteknik ApS", True, []),
    ("camilla@example.org", "Camilla Holm", "Skagen Oplevelser ApS", True, []),
    ("niels@example.org", "Niels Thomsen", "Thy Smedie & Maskiner A/S", True, []),
    ("ida@example.org", "Ida Mortensen", "Rebild Naturkost ApS", True, []),
    ("henrik@example.org", "Henrik Hansen", "Hansen Kontorinventar A/S", True, []),
    ("karen@example.org", "Karen Jensen", "Jammerbugt Fiskegrossist ApS", True, []),
    ("morten@example.org", "Morten Poulsen", "Nordic Steel Supply A/S", True, []),
    ("louise@example.org", "Louise Christensen", "Mariager Pakkeri ApS", True, []),
    ("ole@example.org", "Ole Madsen", "Aalborg Universitet", True, [Role.LSG]),
    ("birgitte@example.org", "Birgitte Møller", "UCN Professionshøjskole", True, [Role.LSG]),
    ("kasper@example.org", "Kasper Friis", "Region Nordjylland", True, [Role.LSG, Role.FACILITATOR]),
]

DEMO_LOGINS = ("admin@example.org", "facilitator@example.org", "lsg@example.org", "participant@example.org")


@dataclass
class DemoContext:
    organisations: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    created: dict = field(default_factory=dict)

    def count(self, what):
        self.created[what] = self.created.get(what, 0) + 1


def database_is_empty():
    return db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def seed_organisations(ctx):
    for name, kind, sector, size_band, municipality, description in ORGANISATIONS:
        key = " ".join(name.split()).lower()
        organisation = db.session.scalar(db.select(Organisation).where(Organisation.name_key == key))
        if organisation is None:
            organisation = Organisation(
                name=name, name_key=key, kind=kind, sector=sector, size_band=size_band,
                municipality=municipality, description_md=description,
                description_html=render_markdown(description),
            )
            db.session.add(organisation)
            ctx.count("organisations")
        ctx.organisations[name] = organisation
    db.session.flush()


def seed_people(ctx):
    for email, name, organisation_name, org_admin, roles in PEOPLE:
        user = user_by_email(email)
        if user is None:
            user = User(email=email, display_name=name, preferred_language=None)
            user.set_password(DEMO_PASSWORD)
            user.role_rows = [UserRole(role=role) for role in roles]
            db.session.add(user)
            db.session.flush()
            db.session.add(
                OrganisationMembership(
                    user_id=user.id,
                    organisation_id=ctx.organisations[organisation_name].id,
                    status=MembershipStatus.ACTIVE,
                    is_admin=org_admin,
                )
            )
            ctx.count("people")
        ctx.users[email] = user
    db.session.flush()


def _seed_spaces(ctx):
    from .spaces.demo import seed_spaces

    seed_spaces(ctx)


def _seed_ideas(ctx):
    from .ideas.demo import seed_ideas

    seed_ideas(ctx)


def _seed_workshops(ctx):
    from .workshops.demo import seed_workshops

    seed_workshops(ctx)


def _seed_notifications(ctx):
    from .notifications.demo import seed_notifications

    seed_notifications(ctx)


def _seed_datasets(ctx):
    from .datasets.demo import seed_datasets

    seed_datasets(ctx)


def _seed_insights(ctx):
    from .insights.demo import seed_insights

    seed_insights(ctx)


def _seed_working_areas(ctx):
    from .areas.demo import seed_working_areas

    seed_working_areas(ctx)


SEEDERS = [seed_organisations, seed_people, _seed_spaces, _seed_ideas, _seed_workshops, seed_maturity,
           _seed_datasets, _seed_notifications, _seed_insights, _seed_working_areas]


def seed_demo():
    ctx = DemoContext()
    for seeder in SEEDERS:
        seeder(ctx)
    db.session.commit()
    created = ", ".join(f"{n} {what}" for what, n in ctx.created.items()) or "nothing new"
    return f"Demo data: {created}."


def describe_logins():
    logins = "\n".join(f"  {email} / {DEMO_PASSWORD}" for email in DEMO_LOGINS)
    return f"Demo log-ins (e-mail / password):\n{logins}"
