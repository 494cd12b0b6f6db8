"""The sentence of each kind of notification, filled in the reader's language when shown or mailed."""
from datetime import datetime

from flask_babel import format_datetime, gettext as _, lazy_gettext as _l

SENTENCES = {
    "reply": _l("%(actor)s replied to you in “%(title)s”"),
    "comment": _l("%(actor)s commented on your idea “%(title)s”"),
    "mention": _l("%(actor)s mentioned you in “%(title)s”"),
    "followed_post": _l("%(actor)s posted in the workshop “%(title)s”"),
    "followed_comment": _l("%(actor)s commented on the idea “%(title)s”"),
    "new_idea": _l("New idea on “%(challenge)s”: “%(title)s”"),
    "new_challenge": _l("New challenge in %(space)s: “%(title)s”"),
    "new_workshop": _l("New workshop in %(space)s: “%(title)s”"),
    "idea_status": _l("The idea “%(title)s” is now: %(status)s"),
    "challenge_status": _l("The challenge “%(title)s” is now: %(status)s"),
    "reminder": _l("Reminder: the workshop “%(title)s” starts %(when)s"),
    "promoted": _l("You moved up from the waitlist and have a place at “%(title)s”"),
    "space_approved": _l("Your request to join the space %(title)s was approved"),
    "space_declined": _l("Your request to join the space %(title)s was declined"),
    "org_approved": _l("Your request to join the organisation %(title)s was approved"),
    "org_declined": _l("Your request to join the organisation %(title)s was declined"),
    "post_hidden": _l("A moderator hid your post in “%(title)s”. Reason: %(reason)s"),
    "post_restored": _l("A moderator restored your post in “%(title)s”"),
    "working_area_comment": _l("%(actor)s commented on the working-area proposal “%(title)s”"),
    "working_area_status": _l("The working-area proposal “%(title)s” is now: %(status)s"),
}

# The digest groups a space's notifications under these headings.
GROUPS = {
    "reply": _l("Replies and comments"),
    "comment": _l("Replies and comments"),
    "mention": _l("Mentions"),
    "followed_post": _l("In what you follow"),
    "followed_comment": _l("In what you follow"),
    "new_idea": _l("In what you follow"),
    "new_challenge": _l("New challenges and workshops"),
    "new_workshop": _l("New challenges and workshops"),
    "idea_status": _l("Status changes"),
    "challenge_status": _l("Status changes"),
    "reminder": _l("Workshops"),
    "promoted": _l("Workshops"),
    "space_approved": _l("Membership"),
    "space_declined": _l("Membership"),
    "org_approved": _l("Membership"),
    "org_declined": _l("Membership"),
    "post_hidden": _l("Moderation"),
    "post_restored": _l("Moderation"),
    "working_area_comment": _l("Working areas"),
    "working_area_status": _l("Working areas"),
}


def _status_label(kind, status):
    if kind == "working_area_status":
        from ..areas.models import ProposalStatus

        return ProposalStatus.LABELS.get(status, status)
    if kind == "idea_status":
        from ..ideas.models import IdeaStatus

        return IdeaStatus.LABELS.get(status, status)
    from ..spaces.models import ChallengeStatus

    return ChallengeStatus.LABELS.get(status, status)


def sentence(notification):
    """The notification as one sentence in the current locale."""
    params = dict(notification.params or {})
    params.setdefault("actor", _("Someone"))
    if "status" in params:
        params["status"] = str(_status_label(notification.kind, params["status"]))
    if "starts_at" in params:
        params["when"] = format_datetime(datetime.fromisoformat(params["starts_at"]), "short")
    template = SENTENCES.get(notification.kind)
    if template is None:
        return _("Something happened")
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return _("Something happened")


def group_label(kind):
    return str(GROUPS.get(kind, _l("Other")))
