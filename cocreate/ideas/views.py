"""Ideas of a challenge. Every URL lives under the challenge: /spaces/<slug>/challenges/<id>/...

The idea list itself is shown on the challenge page (the spaces area's template calls
``idea_board`` in its ``ideas`` block); ``ideas.board`` answers htmx filter changes with the
list alone. A vote answers htmx with the button, and out of band the count and the votes left;
without JavaScript it sends the reader back to the same place in the list.
"""
from functools import wraps

import click
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import db
from ..permissions import can
from ..spaces.queries import membership_of, space_for_member_or_404
from ..web.forms import attach_error, form_status
from ..web.htmx import redirect_to, render_macro, render_page, wants_fragment
from . import queries, services
from .forms import CommentForm, IdeaForm, IdeaStatusForm, MergeForm, VotingRulesForm
from .models import IdeaStatus, VotingMode

# cli_group=None: the area's commands sit at the top level (``flask check-integrity``).
bp = Blueprint("ideas", __name__, cli_group=None)


@bp.cli.command("check-integrity")
def check_integrity_command():
    """Recount every idea's votes and every member's used votes; exit 1 if a stored count drifted."""
    drift = queries.count_drift()
    for row in drift:
        click.echo(f"{row.what} {'/'.join(map(str, row.key))}: stored {row.stored}, counted {row.actual}")
    if drift:
        click.echo(f"{len(drift)} stored counts differ from the votes.")
        raise SystemExit(1)
    click.echo("Vote counts match the votes.")


@bp.app_template_global()
def idea_board(space, challenge):
    """The idea list of a challenge page, for the spaces area's ``ideas`` block."""
    return queries.idea_board(current_user, space, challenge, request.args)


@bp.app_template_global()
def idea_summaries(challenges):
    """Idea count and top idea per challenge, for the space page's challenge cards."""
    return queries.idea_summaries(challenges)


@bp.app_context_processor
def _labels():
    return {"idea_status_labels": IdeaStatus.LABELS, "voting_mode_labels": VotingMode.LABELS}


def _context(slug, challenge_id):
    space = space_for_member_or_404(slug, current_user)
    # Held for the request: the permission rules look the membership up in the session's identity
    # map, which keeps only objects someone references (else each check queries again).
    g.space_membership = membership_of(current_user, space)
    return space, queries.challenge_in_space_or_404(space, challenge_id)


def board_url(space, challenge, args, anchor="ideas"):
    """The challenge page with the list's own query arguments (defaults left out)."""
    return url_for("spaces.challenge", slug=space.slug, challenge_id=challenge.id, _anchor=anchor, **args)


def _idea_url(space, challenge, idea, anchor=None):
    return url_for("ideas.show", slug=space.slug, challenge_id=challenge.id, idea_id=idea.id, _anchor=anchor)


# --- the list -------------------------------------------------------------------------------

@bp.route("/ideas")
def board(slug, challenge_id):
    space, challenge = _context(slug, challenge_id)
    args = queries.list_args(request.args)
    if not wants_fragment():
        return redirect(board_url(space, challenge, args))
    board = queries.idea_board(current_user, space, challenge, request.args)
    return (
        render_template("ideas/_board.html", board=board),
        200,
        {"HX-Push-Url": board_url(space, challenge, args, anchor=None)},
    )


@bp.route("/ideas/new", methods=["GET", "POST"])
@login_required
def new(slug, challenge_id):
    space, challenge = _context(slug, challenge_id)
    if not can(current_user, "ideas.propose", challenge):
        abort(403)
    form = IdeaForm()
    if form.validate_on_submit():
        try:
            idea = services.propose_idea(
                current_user, challenge, services.IdeaData(title=form.title.data, body=form.body.data or "")
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your idea is posted."), "success")
            return redirect_to(_idea_url(space, challenge, idea))
    return render_template("ideas/form.html", form=form, space=space, challenge=challenge), form_status(form)


# --- one idea -------------------------------------------------------------------------------

def _render_idea(space, challenge, idea, status_form=None, merge_form=None, comment_form=None, status=200):
    manager = can(current_user, "ideas.manage", challenge)
    if manager and merge_form is None:
        merge_form = MergeForm(formdata=None)
    if merge_form is not None:
        merge_form.target_id.choices = [(0, _("Choose an idea"))] + [
            (other.id, other.title) for other in queries.merge_targets(idea)
        ]
    rules = queries.rules_of(challenge)
    can_vote = can(current_user, "ideas.vote", challenge)
    return render_template(
        "ideas/show.html", space=space, challenge=challenge, idea=idea, rules=rules, can_vote=can_vote,
        has_voted=can_vote and queries.has_voted(current_user, idea),
        votes_used=queries.votes_used(current_user, challenge) if can_vote else 0,
        threads=queries.comment_threads(idea), manager=manager,
        status_form=status_form or (IdeaStatusForm(formdata=None, status=idea.status) if manager else None),
        merge_form=merge_form, comment_form=comment_form or CommentForm(formdata=None),
    ), status


@bp.route("/ideas/<int:idea_id>")
def show(slug, challenge_id, idea_id):
    space, challenge = _context(slug, challenge_id)
    return _render_idea(space, challenge, queries.idea_detail(idea_id, challenge))


@bp.route("/ideas/<int:idea_id>/status", methods=["POST"])
@login_required
def change_status(slug, challenge_id, idea_id):
    space, challenge = _context(slug, challenge_id)
    idea = queries.idea_in_challenge_or_404(challenge, idea_id)
    if not can(current_user, "ideas.manage", challenge):
        abort(403)
    form = IdeaStatusForm()
    if form.validate_on_submit():
        try:
            services.change_idea_status(current_user, idea, form.status.data, form.reason.data or "")
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("The idea is now “%(status)s”.", status=IdeaStatus.LABELS[idea.status]), "success")
            return redirect_to(_idea_url(space, challenge, idea))
    return _render_idea(space, challenge, queries.idea_detail(idea_id, challenge), status_form=form, status=422)


@bp.route("/ideas/<int:idea_id>/merge", methods=["POST"])
@login_required
def merge(slug, challenge_id, idea_id):
    space, challenge = _context(slug, challenge_id)
    idea = queries.idea_in_challenge_or_404(challenge, idea_id)
    if not can(current_user, "ideas.manage", challenge):
        abort(403)
    form = MergeForm()
    target = queries.find_idea(challenge, form.target_id.data) if form.validate_on_submit() else None
    if target is not None:
        try:
            outcome = services.merge_ideas(current_user, idea, target)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Merged. %(votes)d votes and %(comments)d comments moved; %(returned)d duplicate votes "
                    "went back to their voters.", votes=outcome.moved_votes, comments=outcome.moved_comments,
                    returned=outcome.returned_votes), "success")
            return redirect_to(_idea_url(space, challenge, target))
    elif not form.errors:
        form.target_id.errors = [_("Choose the idea to merge into.")]
    return _render_idea(space, challenge, queries.idea_detail(idea_id, challenge), merge_form=form, status=422)


# --- votes ----------------------------------------------------------------------------------

def _voter_with_context(view):
    """Load the voter with the vote's context in one query, before ``login_required`` asks for them."""
    @wraps(view)
    def wrapped(slug, challenge_id, idea_id):
        queries.prefetch_vote(slug, challenge_id, idea_id)
        return view(slug, challenge_id, idea_id)
    return wrapped


@bp.route("/ideas/<int:idea_id>/vote", methods=["POST"])
@_voter_with_context
@login_required
def vote(slug, challenge_id, idea_id):
    return _cast(slug, challenge_id, idea_id, services.vote_idea)


@bp.route("/ideas/<int:idea_id>/unvote", methods=["POST"])
@_voter_with_context
@login_required
def unvote(slug, challenge_id, idea_id):
    return _cast(slug, challenge_id, idea_id, services.unvote_idea)


def _cast(slug, challenge_id, idea_id, service):
    context = queries.vote_context_or_404(slug, challenge_id, idea_id, current_user)
    space, challenge = context.space, context.challenge
    g.space_membership = context.membership  # held for the permission rules, as in ``_context``
    if not can(current_user, "ideas.vote", challenge):
        abort(403)
    args = queries.list_args(request.args)
    voter_id = current_user.id  # read before a refusal's rollback expires the person
    try:
        outcome = service(current_user, challenge, idea_id, locked_rules=context.rules)
    except DomainError as error:
        db.session.rollback()
        if error.status_code == 404:
            abort(404)
        flash(str(error.message), "error")
        outcome = None
    if not wants_fragment():
        if request.args.get("from") == "idea":
            return redirect_to(url_for("ideas.show", slug=slug, challenge_id=challenge_id, idea_id=idea_id))
        return redirect_to(board_url(space, challenge, args, anchor=f"idea-{idea_id}"))
    if outcome is None:
        # Refused: show the state as it is now, with the reason in the flash area.
        context, has_voted, votes_used = queries.refused_vote_state(slug, challenge_id, idea_id, voter_id)
        space, challenge = context.space, context.challenge
        outcome = services.VoteOutcome(context.idea, context.rules, has_voted, votes_used)
    return render_macro("ideas/_vote.html", "vote_response", space, challenge, outcome, args,
                        from_idea=request.args.get("from") == "idea")


# --- voting rules, results, notices ---------------------------------------------------------

@bp.route("/voting", methods=["GET", "POST"])
@login_required
def voting_rules(slug, challenge_id):
    space, challenge = _context(slug, challenge_id)
    if not can(current_user, "ideas.manage", challenge):
        abort(403)
    rules = queries.rules_of(challenge)
    if request.method == "GET":
        form = VotingRulesForm(formdata=None, obj=rules)
    else:
        form = VotingRulesForm()
    if form.validate_on_submit():
        data = services.RulesData(
            is_open=form.is_open.data, mode=form.mode.data, budget=form.budget.data or rules.budget,
            voters_visible=form.voters_visible.data,
        )
        try:
            services.set_voting_rules(current_user, challenge, data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("The voting rules are saved."), "success")
            return redirect_to(board_url(space, challenge, {}))
    return render_template(
        "ideas/voting.html", form=form, space=space, challenge=challenge
    ), form_status(form)


@bp.route("/results")
@login_required
def results(slug, challenge_id):
    space, challenge = _context(slug, challenge_id)
    if not can(current_user, "ideas.manage", challenge):
        abort(403)
    rules = queries.rules_of(challenge)
    with_voters = can(current_user, "ideas.see_voters", rules)
    return render_template(
        "ideas/results.html", space=space, challenge=challenge, rules=rules, with_voters=with_voters,
        rows=queries.results(challenge, with_voters=with_voters),
    )


@bp.route("/notices/dismiss", methods=["POST"])
@login_required
def dismiss_notices(slug, challenge_id):
    space, challenge = _context(slug, challenge_id)
    services.dismiss_notices(current_user, challenge)
    if wants_fragment():
        return ""
    return redirect_to(board_url(space, challenge, {}))


# --- comments -------------------------------------------------------------------------------

@bp.route("/ideas/<int:idea_id>/comments", methods=["POST"])
@login_required
def comment(slug, challenge_id, idea_id):
    space, challenge = _context(slug, challenge_id)
    idea = queries.idea_in_challenge_or_404(challenge, idea_id)
    if not can(current_user, "ideas.comment", idea):
        abort(403)
    form = CommentForm()
    if form.validate_on_submit():
        parent_id = int(form.parent_id.data) if (form.parent_id.data or "").isdigit() else None
        try:
            comment = services.add_comment(current_user, idea, form.body.data, parent_id)
        except DomainError as error:
            attach_error(form, error)
        else:
            return redirect_to(_idea_url(space, challenge, idea, anchor=f"comment-{comment.id}"))
    return _render_idea(space, challenge, queries.idea_detail(idea_id, challenge), comment_form=form, status=422)


@bp.route("/ideas/<int:idea_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(slug, challenge_id, idea_id, comment_id):
    space, challenge = _context(slug, challenge_id)
    idea = queries.idea_in_challenge_or_404(challenge, idea_id)
    comment = queries.comment_in_idea_or_404(idea, comment_id)
    if not can(current_user, "ideas.edit_comment", comment):
        abort(403)
    form = CommentForm(formdata=None, body=comment.body_md) if request.method == "GET" else CommentForm()
    if form.validate_on_submit():
        try:
            services.edit_comment(current_user, comment, form.body.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            return redirect_to(_idea_url(space, challenge, idea, anchor=f"comment-{comment.id}"))
    return render_template(
        "ideas/comment_form.html", form=form, space=space, challenge=challenge, idea=idea, comment=comment
    ), form_status(form)
