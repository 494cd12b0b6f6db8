"""The indexed kinds of the site. A new area adds its own ``register(IndexedKind(...))`` here."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from ..areas.models import WorkingAreaProposal, proposal_barriers
from ..datasets.models import Dataset, DatasetVisibility, dataset_challenges
from ..extensions import db
from ..ideas.models import Idea
from ..spaces.models import Challenge, Space, challenge_themes
from ..workshops.models import Post, workshop_challenges
from .models import SearchDocument as D
from .registry import Document, IndexedKind, register


def plain(html):
    """The text of rendered Markdown, without tags or entities."""
    return Markup(html or "").striptags()


def _themed_challenges(theme_id):
    return db.select(challenge_themes.c.challenge_id).where(challenge_themes.c.theme_id == theme_id)


def _space_document(space):
    return Document(space.title, f"{space.purpose}\n{plain(space.description_html)}", space.id, space.created_at)


def _challenge_document(challenge):
    return Document(challenge.title, f"{plain(challenge.body_html)}\n{challenge.tags}", challenge.space_id,
                    challenge.created_at)


def _idea_document(idea):
    challenge = idea.challenge
    return Document(idea.title, plain(idea.body_html), challenge.space_id, idea.created_at, challenge.id,
                    challenge.title)


def _post_document(post):
    # Hidden text is never indexed, so no snippet, count or rank can reveal it.
    if post.is_hidden:
        return None
    workshop = post.workshop
    return Document("", plain(post.body_html), workshop.space_id, post.created_at, workshop.id, workshop.title)


register(IndexedKind(
    key="space", model=Space, label=_l("Space"), to_document=_space_document,
    watched=("title", "purpose", "description_html"),
    url=lambda doc, slug: url_for("spaces.show", slug=slug),
    in_theme=lambda theme_id: D.space_id.in_(
        db.select(Challenge.space_id).where(Challenge.id.in_(_themed_challenges(theme_id)))),
    load_all=lambda: db.select(Space),
))
register(IndexedKind(
    key="challenge", model=Challenge, label=_l("Challenge"), to_document=_challenge_document,
    watched=("title", "body_html", "tags", "space_id"),
    url=lambda doc, slug: url_for("spaces.challenge", slug=slug, challenge_id=doc.object_id),
    in_theme=lambda theme_id: D.object_id.in_(_themed_challenges(theme_id)),
    load_all=lambda: db.select(Challenge),
))
register(IndexedKind(
    key="idea", model=Idea, label=_l("Idea"), to_document=_idea_document,
    watched=("title", "body_html", "challenge_id"),
    url=lambda doc, slug: url_for("ideas.show", slug=slug, challenge_id=doc.container_id, idea_id=doc.object_id),
    in_theme=lambda theme_id: D.container_id.in_(_themed_challenges(theme_id)),
    load_all=lambda: db.select(Idea).options(joinedload(Idea.challenge)),
))
register(IndexedKind(
    key="post", model=Post, label=_l("Workshop post"), to_document=_post_document,
    watched=("body_html", "hidden_at"),
    url=lambda doc, slug: url_for("workshops.show", slug=slug, workshop_id=doc.container_id,
                                  _anchor=f"post-{doc.object_id}"),
    in_theme=lambda theme_id: D.container_id.in_(
        db.select(workshop_challenges.c.workshop_id).where(
            workshop_challenges.c.challenge_id.in_(_themed_challenges(theme_id)))),
    load_all=lambda: db.select(Post).options(joinedload(Post.workshop)),
))


def _dataset_document(dataset):
    return Document(dataset.title, plain(dataset.description_html), dataset.space_id, dataset.created_at,
                    members_only=dataset.visibility != DatasetVisibility.PUBLIC)


def _working_area_document(proposal):
    # Proposals have no space: the LSG's list is open to everyone, so is their search.
    return Document(proposal.title, f"{plain(proposal.description_html)}\n{proposal.rationale}", None,
                    proposal.created_at)


register(IndexedKind(
    key="dataset", model=Dataset, label=_l("Data set"), to_document=_dataset_document,
    watched=("title", "description_html", "visibility"),
    url=lambda doc, slug: url_for("datasets.show", slug=slug, dataset_id=doc.object_id),
    in_theme=lambda theme_id: D.object_id.in_(
        db.select(dataset_challenges.c.dataset_id).where(
            dataset_challenges.c.challenge_id.in_(_themed_challenges(theme_id)))),
    load_all=lambda: db.select(Dataset),
))
register(IndexedKind(
    key="working_area", model=WorkingAreaProposal, label=_l("Working area"), to_document=_working_area_document,
    watched=("title", "description_html", "rationale"),
    url=lambda doc, slug: url_for("areas.show", proposal_id=doc.object_id),
    in_theme=lambda theme_id: D.object_id.in_(
        db.select(proposal_barriers.c.proposal_id).where(proposal_barriers.c.theme_id == theme_id)),
    load_all=lambda: db.select(WorkingAreaProposal),
))
