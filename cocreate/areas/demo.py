"""Demo proposals: one under discussion, one accepted as a working area, one declined.

They go through the use cases, so the demo has the status history, endorsements and audit
entries a real proposal would have.
"""
from ..extensions import db
from ..spaces.barriers import ensure_barriers
from . import services
from .models import WorkingAreaProposal

# author, title, description, rationale, barriers, endorsers, comments [(author, text)], decision
PROPOSALS = [
    ("ole@example.org", "Shared product data between suppliers and dealers",
     "A common way to describe products, so a supplier's data flows into every dealer's webshop "
     "without re-typing.\n\n- one product data template for the region\n- a pilot with three suppliers "
     "and two dealers",
     "Dealers tell us they re-type catalogues by hand, and complex products are where it goes wrong most.",
     ["product-complexity", "too-busy"], ["lsg@example.org", "birgitte@example.org"],
     [("birgitte@example.org", "UCN could run a course on product data as part of the pilot."),
      ("lsg@example.org", "NordLog members ask for exactly this. Count us in.")],
     None),
    ("birgitte@example.org", "Apprentices as digital ambassadors",
     "Let e-commerce apprentices spend one day a week helping a small company with its digital sales.",
     "Small companies lack the hands and the skills; apprentices need real cases. Both sides gain.",
     ["competences", "too-busy"], ["ole@example.org", "lsg@example.org", "kasper@example.org"],
     [("kasper@example.org", "The region can fund a first round of twenty placements.")],
     ("accept", "Lærlinge som digitale ambassadører")),
    ("lsg@example.org", "A regional marketplace for all B2B sellers",
     "One shared webshop where every North Jutland manufacturer sells to business customers.",
     "It would save each company building its own shop.",
     ["management-motivation"], ["ole@example.org"], [],
     ("decline", "Several national marketplaces exist already; the programme helps companies use them "
                 "instead (see the competences barrier).")),
]


def seed_working_areas(ctx):
    barriers = ensure_barriers()
    for author, title, description, rationale, slugs, endorsers, comments, decision in PROPOSALS:
        if db.session.scalar(db.select(WorkingAreaProposal).where(WorkingAreaProposal.title == title)):
            continue
        proposal = services.propose_working_area(ctx.users[author], services.ProposalData(
            title=title, description=description, rationale=rationale,
            barrier_ids=[barriers[slug].id for slug in slugs],
        ))
        for email in endorsers:
            services.endorse(ctx.users[email], proposal)
        for email, text in comments:
            services.add_comment(ctx.users[email], proposal, text)
        if decision and decision[0] == "accept":
            services.accept_proposal(ctx.users["facilitator@example.org"], proposal, name_da=decision[1])
        elif decision:
            services.decline_proposal(ctx.users["kasper@example.org"], proposal, decision[1])
        ctx.count("working-area proposals")
