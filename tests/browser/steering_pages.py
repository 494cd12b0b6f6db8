"""The maturity and workshop pages that the accessibility and screenshot tests visit on the demo data."""
from cocreate.accounts.models import user_by_email
from cocreate.extensions import db
from cocreate.maturity.models import Assessment
from cocreate.maturity.services import start_assessment
from cocreate.workshops.demo import THREAD_WORKSHOP
from cocreate.workshops.models import Workshop

# name: path with {placeholders} filled by ``steering_ids``
PAGES = {
    "assessment-step": "/maturity/assessments/{draft_id}/steps/2",
    "assessment-results": "/maturity/assessments/{results_id}",
    "cohort-builder": "/maturity/cohorts/builder?instrument=company&pool=mapped&dimension=&min_size=2&target_size=3"
                      "&max_size=6&max_spread=25",
    "workshop-thread": "/spaces/{space_slug}/workshops/{workshop_id}",
    "moderation-queue": "/spaces/{space_slug}/moderation",
}


def steering_ids(server, drafter_email):
    """Ids for PAGES; ``drafter_email`` gets a company assessment draft to show (their own, as the page requires)."""
    with server.data():
        workshop = db.session.scalar(db.select(Workshop).where(Workshop.title == THREAD_WORKSHOP))
        results = db.session.scalar(
            db.select(Assessment).where(Assessment.completed_at.is_not(None), Assessment.instrument_key == "company")
            .order_by(Assessment.id)
        )
        draft = start_assessment(user_by_email(drafter_email), "company")
        return {"draft_id": draft.id, "results_id": results.id, "space_slug": workshop.space.slug,
                "workshop_id": workshop.id}
