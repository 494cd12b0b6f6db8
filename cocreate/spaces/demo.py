"""Demo spaces: a manufacturer with its dealers and suppliers, a logistics network, a tourism cluster."""
from datetime import timedelta

from ..extensions import db
from ..markdown import render_markdown
from ..models import utcnow
from .barriers import ensure_barriers
from .models import Challenge, ChallengeStatusChange, Side, Space, SpaceMembership, SpaceRole

# slug, title, purpose, description, visibility, join policy, sector, owner, [(member e-mail, role)]
SPACES = [
    ("limfjord-value-chain", "Limfjord Stålmøbler, dealers and suppliers",
     "Make ordering steel furniture as easy for dealers as calling Peter used to be.",
     "Limfjord Stålmøbler works here with its dealer **Hansen Kontorinventar** and its steel supplier "
     "**Nordic Steel Supply** on a B2B portal, shared product data and forecasts.",
     "public", "request", "smart", "participant@example.org",
     [("mette@example.org", "member"), ("henrik@example.org", "member"), ("morten@example.org", "member"),
      ("facilitator@example.org", "facilitator")]),
    ("nordlog-network", "NordLog Klynge: the logistics network",
     "Share data between shippers, carriers and warehouses so goods move with fewer phone calls.",
     "The logistics cluster of North Denmark gathers exporters, carriers and packaging suppliers around "
     "shared track-and-trace, e-invoicing and booking.",
     "public", "open", "smart", "lsg@example.org",
     [("sofie@example.org", "member"), ("karen@example.org", "member"), ("louise@example.org", "member"),
      ("niels@example.org", "member"), ("kasper@example.org", "facilitator")]),
    ("skagen-tourism", "Skagen Oplevelser and the tourism cluster",
     "Sell experiences on the Skaw online to tour operators and event planners.",
     "A members-only space where Skagen Oplevelser, its business customers and partners work on online "
     "booking for groups.",
     "members", "invitation", "attractive", "camilla@example.org",
     [("ida@example.org", "member"), ("rasmus@example.org", "member"), ("facilitator@example.org", "facilitator")]),
]

# space slug, author e-mail, title, body, barriers, status, tags
CHALLENGES = [
    ("limfjord-value-chain", "participant@example.org", "Our board does not see the B2B portal as a priority",
     "The board asks for a business case before any budget, but we cannot build one without trying.\n\n"
     "How did others get management on board for a first step?",
     ["management-motivation"], "open", "board, business case"),
    ("limfjord-value-chain", "henrik@example.org", "Dealers want to keep calling their contact person",
     "Our buyers like to call Peter at Limfjord. A portal must not remove that relation; could it show who "
     "their contact person is and let them call from the order?",
     ["personal-contact"], "in_workshop", "dealers, portal"),
    ("limfjord-value-chain", "mette@example.org", "Configuring a school desk online is too complex",
     "Our desks come in 40 heights, 12 colours and 3 table tops. Dealers fear they will order the wrong one.",
     ["product-complexity"], "open", "configurator, pim"),
    ("limfjord-value-chain", "morten@example.org", "Steel price forecasts shared with customers",
     "We could share our price forecasts for sheet and tube each month, if Limfjord shares its production plan.",
     ["power-of-imagination", "management-motivation"], "solved", "data sharing, forecasts"),
    ("nordlog-network", "sofie@example.org", "No time to set up EDI with every wholesaler",
     "Each wholesaler asks for a different format. We ship fish every night and nobody has time for IT projects.",
     ["too-busy"], "open", "edi, peppol"),
    ("nordlog-network", "karen@example.org", "Who can teach our staff to read the booking data?",
     "We receive booking data from three carriers but nobody knows how to turn it into a plan.",
     ["competences"], "in_workshop", "skills, data"),
    ("nordlog-network", "louise@example.org", "Pallet tracking across the whole chain",
     "Imagine every pallet reporting where it is. What would shippers and carriers do with that?",
     ["power-of-imagination"], "open", "tracking"),
    ("nordlog-network", "niels@example.org", "Spare parts ordered by phone and e-mail",
     "Machine makers order parts from us by phone. An old process, but it works; should we change it?",
     ["personal-contact", "too-busy"], "archived", ""),
    ("skagen-tourism", "camilla@example.org", "Group bookings for seal safaris online",
     "Tour operators book by e-mail, and we answer each one by hand in the high season.",
     ["too-busy", "product-complexity"], "open", "booking"),
    ("skagen-tourism", "ida@example.org", "What would a digital Skagen package look like?",
     "Food, tours and stays sold together online to event planners: can we imagine it together?",
     ["power-of-imagination", "competences"], "open", "packages"),
]


def seed_spaces(ctx):
    themes = ensure_barriers()
    spaces = {}
    for slug, title, purpose, description, visibility, join_policy, sector, owner_email, members in SPACES:
        space = db.session.scalar(db.select(Space).where(Space.slug == slug))
        if space is None:
            owner = ctx.users[owner_email]
            space = Space(
                slug=slug, title=title, purpose=purpose, description_md=description,
                description_html=render_markdown(description), visibility=visibility, join_policy=join_policy,
                sector=sector, created_by_id=owner.id, last_activity_at=utcnow(),
            )
            db.session.add(space)
            db.session.flush()
            for email, role in [(owner_email, SpaceRole.OWNER), *members]:
                user = ctx.users[email]
                db.session.add(SpaceMembership(space_id=space.id, user_id=user.id, role=role, side=Side.of(user)))
            ctx.count("spaces")
        spaces[slug] = space
    db.session.flush()
    for age, (slug, email, title, body, barrier_slugs, status, tags) in enumerate(reversed(CHALLENGES)):
        space = spaces[slug]
        if db.session.scalar(db.select(Challenge.id).where(Challenge.space_id == space.id, Challenge.title == title)):
            continue
        author = ctx.users[email]
        when = utcnow() - timedelta(days=age * 3)
        challenge = Challenge(
            space_id=space.id, author_id=author.id, author_side=Side.of(author), title=title, body_md=body,
            body_html=render_markdown(body), tags=tags, status=status, themes=[themes[s] for s in barrier_slugs],
            created_at=when, last_activity_at=when,
        )
        challenge.status_changes.append(ChallengeStatusChange(actor_id=author.id, to_status="open", created_at=when))
        if status != "open":
            challenge.status_changes.append(
                ChallengeStatusChange(actor_id=author.id, from_status="open", to_status=status,
                                      created_at=when + timedelta(days=1))
            )
        db.session.add(challenge)
        ctx.count("challenges")
    db.session.flush()
