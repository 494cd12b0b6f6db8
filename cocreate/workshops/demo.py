"""Demo workshops in the demo spaces, one in each phase, and a lively thread with a hidden post and a report."""
from datetime import timedelta

from ..audit.models import record
from ..extensions import db
from ..markdown import render_markdown
from ..models import utcnow
from ..spaces.models import Challenge, Side, Space
from .dates import to_local, to_utc
from .models import Phase, Post, PostReport, Registration, RegistrationStatus, Workshop

# space slug, title, phase, days from now, hours, capacity, location, linked challenge titles, maturity band, agenda,
# outcome, registered e-mails (in order; those beyond the capacity wait)
WORKSHOPS = [
    ("limfjord-value-chain", "Dealer portal: keeping the personal contact", Phase.CONVERGE, 2, 3, 6,
     "https://meet.example.com/limfjord-portal", ["Dealers want to keep calling their contact person"],
     ("company", "basic", "average"),
     "1. What dealers value in the phone call today\n2. Ideas: the contact person inside the portal\n"
     "3. Vote on the ideas worth a pilot", "",
     ["participant@example.org", "mette@example.org", "henrik@example.org", "morten@example.org"]),
    ("limfjord-value-chain", "Kick-off: a business case the board will read", Phase.CLOSED, -20, 2, 10,
     "Limfjord Stålmøbler, Aalborg", ["Our board does not see the B2B portal as a priority"],
     ("management", "here_and_now", "near_sighted"),
     "A short session on what the board needs to see before the first step.",
     "The board gets a **one-page business case** with three numbers: order handling time, error rate and "
     "dealer satisfaction. Mette drafts it; Morten adds the steel price forecast.",
     ["participant@example.org", "mette@example.org"]),
    ("nordlog-network", "Reading booking data together", Phase.DIVERGE, 5, 2, 3,
     "NordLog Klynge, Aalborg Havn", ["Who can teach our staff to read the booking data?"], None,
     "Bring one week of booking data from your carrier. We look at it together and collect questions.", "",
     ["karen@example.org", "sofie@example.org", "louise@example.org", "niels@example.org"]),
    ("nordlog-network", "EDI without an IT project", Phase.PREPARING, 14, 3, 12,
     "https://meet.example.com/nordlog-edi", ["No time to set up EDI with every wholesaler"],
     ("company", "average", "moderately_advanced"),
     "Agenda to follow: the facilitators are collecting examples from wholesalers.", "", []),
    ("skagen-tourism", "Seal safari bookings for tour operators", Phase.DECIDE, -1, 3, 8,
     "Skagen Oplevelser, Skagen", ["Group bookings for seal safaris online"], None,
     "Walk through a tour operator's booking and decide what to try this season.",
     "We try a **booking form for groups** with fixed departure times this season, and review it in September.",
     ["camilla@example.org", "ida@example.org", "rasmus@example.org"]),
]

# Only for organisations in its band: the others are steered to a workshop at their level.
BAND_RESTRICTED = {"EDI without an IT project"}
THREAD_WORKSHOP = "Dealer portal: keeping the personal contact"
# author e-mail, text; a text starting with "↳ " replies to the latest top-level post
THREAD = [
    ("facilitator@example.org", "Welcome! This thread is open for input until Thursday. **What does the phone call "
                                "give you that a web shop would not?**"),
    ("henrik@example.org", "Speed. Peter knows our customers and tells me right away if a desk can be delivered by "
                           "the start of the school year."),
    ("↳ participant@example.org", "And I like those calls too. But half of them are about delivery dates I could "
                                  "show on a page."),
    ("mette@example.org", "From the order desk: 30% of our calls are \"where is my order?\". The rest are real "
                          "advice."),
    ("↳ henrik@example.org", "Then show the delivery date, and keep Peter for the advice."),
    ("morten@example.org", "As a supplier I see the same: our steel forecast could feed those delivery dates."),
    ("facilitator@example.org", "Good. Let us collect *what the portal must never remove*."),
    ("henrik@example.org", "The name and phone number of our contact person, on every order."),
    ("mette@example.org", "The option to leave a note: \"call me before you ship\"."),
    ("↳ participant@example.org", "That note field is cheap to build. Adding it to the list."),
    ("henrik@example.org", "Special prices for schools we agreed by phone must show in the portal."),
    ("morten@example.org", "Buy cheap steel tubes from us, best prices in Jutland, call 70 70 70 70!"),
    ("mette@example.org", "Could the portal suggest the right desk height from the pupils' age?"),
    ("↳ henrik@example.org", "Yes please, our buyers get that wrong every year."),
    ("participant@example.org", "We could also show which dealer sold what, so Peter sees it before he calls."),
    ("facilitator@example.org", "We move to **converge** now: which of these ideas deserve a pilot?"),
    ("henrik@example.org", "Delivery dates on every order line. That alone saves us many calls."),
    ("mette@example.org", "The contact person box with name, photo and phone."),
    ("↳ morten@example.org", "Agreed, and an e-mail to the contact person when a big order arrives."),
    ("participant@example.org", "Agreed prices per school. Without them dealers will keep calling."),
    ("henrik@example.org", "Can we test with three schools before the summer?"),
    ("↳ participant@example.org", "I think so; the IT partner said six weeks for a first version."),
    ("morten@example.org", "If the forecast feed is in scope, we can deliver the data weekly."),
    ("mette@example.org", "Order desk is ready to answer the portal questions during the pilot."),
    ("facilitator@example.org", "Summary so far: delivery dates, contact box, agreed prices. Anything missing?"),
    ("henrik@example.org", "A way to reorder last year's desks in one click."),
    ("↳ mette@example.org", "That one is easy, we have the order history."),
    ("participant@example.org", "Then let us vote on Thursday and bring the result to the board."),
    ("morten@example.org", "Thanks all, looking forward to the pilot."),
    ("facilitator@example.org", "Thank you! I pinned the summary above."),
]
HIDDEN_TEXT = "Buy cheap steel tubes from us"
REPORTED_TEXT = "Special prices for schools"


def seed_workshops(ctx):
    facilitator = ctx.users["facilitator@example.org"]
    for (slug, title, phase, days, hours, capacity, location, challenge_titles, band, agenda, outcome,
         registrants) in WORKSHOPS:
        space = db.session.scalar(db.select(Space).where(Space.slug == slug))
        if space is None or db.session.scalar(
            db.select(Workshop.id).where(Workshop.space_id == space.id, Workshop.title == title)
        ):
            continue
        # Workshops start at 9:00 Danish time, as the facilitators plan them.
        starts_at = to_utc(to_local(utcnow() + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0))
        challenges = db.session.scalars(
            db.select(Challenge).where(Challenge.space_id == space.id, Challenge.title.in_(challenge_titles))
        ).all()
        instrument, level_from, level_to = band or (None, None, None)
        workshop = Workshop(
            space_id=space.id, title=title, phase=phase, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
            capacity=capacity, location=location, challenges=challenges, agenda_md=agenda,
            agenda_html=render_markdown(agenda), outcome_md=outcome, outcome_html=render_markdown(outcome),
            outcome_at=utcnow() if outcome else None, maturity_instrument=instrument,
            maturity_level_from=level_from, maturity_level_to=level_to, band_restricted=title in BAND_RESTRICTED,
            created_by_id=space.created_by_id,
        )
        db.session.add(workshop)
        db.session.flush()
        for position, email in enumerate(registrants):
            db.session.add(Registration(
                workshop_id=workshop.id, user_id=ctx.users[email].id,
                status=RegistrationStatus.REGISTERED if position < capacity else RegistrationStatus.WAITLISTED,
            ))
        if title == THREAD_WORKSHOP:
            _seed_thread(ctx, workshop, facilitator)
        ctx.count("workshops")
    db.session.flush()


def _seed_thread(ctx, workshop, facilitator):
    when = utcnow() - timedelta(days=3)
    top = None
    for number, (who, text) in enumerate(THREAD):
        is_reply = who.startswith("↳ ")
        author = ctx.users[who.removeprefix("↳ ")]
        post = Post(
            workshop_id=workshop.id, author_id=author.id, author_side=Side.of(author), body_md=text,
            body_html=render_markdown(text), created_at=when + timedelta(minutes=47 * number),
            parent_id=top.id if is_reply and top else None,
        )
        db.session.add(post)
        db.session.flush()
        if not is_reply:
            top = post
        if text.startswith(HIDDEN_TEXT):
            post.hidden_at, post.hidden_by_id, post.hidden_reason = utcnow(), facilitator.id, "Advertising is not allowed"
            record(facilitator, "post.hide", "workshop_post", post.id, reason=post.hidden_reason,
                   space_id=workshop.space_id, workshop_id=workshop.id)
        if text.startswith(REPORTED_TEXT):
            reporter = ctx.users["morten@example.org"]
            db.session.add(PostReport(space_id=workshop.space_id, post_id=post.id, reporter_id=reporter.id,
                                      reason="Prices for named schools should not be discussed in the open"))
            record(reporter, "post.report", "workshop_post", post.id, space_id=workshop.space_id,
                   reason="Prices for named schools should not be discussed in the open")
        if text.startswith("Summary so far"):
            post.is_pinned = True
