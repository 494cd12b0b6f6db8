"""Demo follows and a few notifications for the demo participant, so the badge and the list show something."""
from datetime import timedelta

from flask import url_for

from ..extensions import db
from ..models import utcnow
from .models import Follow, Notification


def seed_notifications(ctx):
    from ..ideas.models import Idea
    from ..spaces.models import Challenge, Space
    from ..workshops.models import Workshop

    person = ctx.users.get("participant@example.org")
    space = db.session.scalar(db.select(Space).where(Space.slug == "limfjord-value-chain"))
    if person is None or space is None or db.session.scalar(
        db.select(Notification.id).where(Notification.user_id == person.id).limit(1)
    ):
        return
    actor = ctx.users.get("mette@example.org")
    challenge = db.session.scalar(db.select(Challenge).where(Challenge.space_id == space.id).order_by(Challenge.id))
    idea = db.session.scalar(db.select(Idea).where(Idea.challenge_id == challenge.id).order_by(Idea.id)) if challenge else None
    workshop = db.session.scalar(db.select(Workshop).where(Workshop.space_id == space.id).order_by(Workshop.starts_at.desc()))
    db.session.add(Follow(user_id=person.id, target_kind="space", target_id=space.id))
    now = utcnow()
    with _links():
        rows = [
            ("new_challenge", {"space": space.title, "title": challenge.title}, challenge.body_md[:200],
             url_for("spaces.challenge", slug=space.slug, challenge_id=challenge.id), 3) if challenge else None,
            ("comment", {"actor": actor.display_name if actor else "", "title": idea.title},
             "Could the contact person's photo sit next to the order button?",
             url_for("ideas.show", slug=space.slug, challenge_id=challenge.id, idea_id=idea.id), 2) if idea else None,
            ("mention", {"actor": actor.display_name if actor else "", "title": workshop.title},
             "Bring the dealer list, @participant, and we go through it together.",
             url_for("workshops.show", slug=space.slug, workshop_id=workshop.id), 1) if workshop else None,
        ]
    for row in filter(None, rows):
        kind, params, excerpt, url, hours_ago = row
        db.session.add(Notification(
            user_id=person.id, kind=kind, actor_id=actor.id if actor and kind != "new_challenge" else None,
            space_id=space.id, params=params, excerpt=excerpt, url=url,
            created_at=now - timedelta(hours=hours_ago), emailed_at=now,
            read_at=now if kind == "new_challenge" else None,
        ))
        ctx.count("notifications")
    db.session.flush()


def _links():
    from flask import current_app, has_request_context
    import contextlib

    return contextlib.nullcontext() if has_request_context() else current_app.test_request_context()
