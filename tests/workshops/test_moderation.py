import pytest

from cocreate.audit.models import AuditEntry
from cocreate.errors import DomainError, PermissionDenied
from cocreate.extensions import db
from cocreate.workshops import services
from cocreate.workshops.models import ReportStatus

from ..factories import make_post


def actions(space):
    return db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.space_id == space.id)
                              .order_by(AuditEntry.id)).all()


def test_members_report_posts_into_the_queue_and_facilitators_hide_them(cast, client, auth):
    post = make_post(cast.workshop, cast.other_member, body="Buy my product!")
    with pytest.raises(PermissionDenied):
        services.report_post(cast.other_member, post, "Reporting myself")
    with pytest.raises(PermissionDenied):
        services.report_post(cast.outsider, post, "Not a member")
    with pytest.raises(DomainError):
        services.report_post(cast.member, post, "   ")

    auth.login(cast.member)
    response = client.post(f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}/posts/{post.id}/report",
                           data={"reason": "Advertising"})
    assert response.status_code == 303
    auth.logout()

    auth.login(cast.facilitator)
    thread = client.get(f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}").get_data(as_text=True)
    assert 'class="count"' in thread  # the badge on the moderation link
    queue = client.get(f"/spaces/{cast.space.slug}/moderation")
    assert queue.status_code == 200 and "Advertising" in queue.get_data(as_text=True)
    fragment = client.get(f"/spaces/{cast.space.slug}/moderation", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and "Advertising" in fragment.get_data(as_text=True)

    report = db.session.scalars(db.select(services.PostReport)).one()
    assert client.post(f"/spaces/{cast.space.slug}/moderation/reports/{report.id}/hidden").status_code == 303
    db.session.refresh(post)
    db.session.refresh(report)
    assert post.is_hidden and post.hidden_reason == "Advertising" and report.status == ReportStatus.HIDDEN
    assert "Nothing to moderate" in client.get(f"/spaces/{cast.space.slug}/moderation").get_data(as_text=True)
    assert actions(cast.space)[-2:] == ["post.report", "report.hidden"]


def test_dismissing_a_report_leaves_the_post_and_a_report_is_handled_once(cast):
    post = make_post(cast.workshop, cast.other_member)
    report = services.report_post(cast.member, post, "Not sure")
    services.resolve_report(cast.facilitator, report, ReportStatus.DISMISSED)
    assert not post.is_hidden and report.status == ReportStatus.DISMISSED
    with pytest.raises(DomainError):
        services.resolve_report(cast.facilitator, report, ReportStatus.HIDDEN)
    with pytest.raises(PermissionDenied):
        services.resolve_report(cast.member, services.report_post(cast.owner, post, "Again"), ReportStatus.HIDDEN)


def test_only_facilitators_moderate(cast):
    post = make_post(cast.workshop, cast.other_member)
    for act in (lambda u: services.hide_post(u, post, "x"), lambda u: services.restore_post(u, post),
                lambda u: services.set_pinned(u, post, True), lambda u: services.set_locked(u, cast.workshop, True),
                lambda u: services.change_phase(u, cast.workshop, "converge")):
        with pytest.raises(PermissionDenied):
            act(cast.member)
    with pytest.raises(DomainError):
        services.hide_post(cast.facilitator, post, "")


def test_every_moderation_act_is_in_the_audit_log_with_the_space(cast):
    post = make_post(cast.workshop, cast.other_member)
    services.set_pinned(cast.facilitator, post, True)
    services.set_pinned(cast.facilitator, post, False)
    services.hide_post(cast.facilitator, post, "Off topic")
    services.restore_post(cast.facilitator, post)
    services.set_locked(cast.facilitator, cast.workshop, True)
    services.set_locked(cast.facilitator, cast.workshop, False)
    services.mute_member(cast.facilitator, cast.space, cast.member.id, 24, "Cool off")
    services.unmute_member(cast.facilitator, cast.space, cast.member.id)
    services.change_phase(cast.facilitator, cast.workshop, "converge")
    assert actions(cast.space) == [
        "post.pin", "post.unpin", "post.hide", "post.restore", "thread.lock", "thread.unlock",
        "member.mute", "member.unmute", "workshop.phase",
    ]
    hide = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "post.hide"))
    assert hide.reason == "Off topic" and hide.actor_id == cast.facilitator.id and hide.target_id == post.id


def test_the_audit_log_page_filters_by_action_and_is_for_facilitators(cast, client, auth):
    post = make_post(cast.workshop, cast.other_member)
    services.hide_post(cast.facilitator, post, "Shouting")
    services.set_locked(cast.facilitator, cast.workshop, True)
    page_url = f"/spaces/{cast.space.slug}/audit"
    auth.login(cast.member)
    assert client.get(page_url).status_code == 403
    auth.logout()
    auth.login(cast.facilitator)
    everything = client.get(page_url).get_data(as_text=True)
    assert "Post hidden" in everything and "Thread locked" in everything
    filtered = client.get(f"{page_url}?action=post.hide", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Shouting" in filtered and "Thread locked" not in filtered and "<html" not in filtered


def test_mute_and_lift_through_the_pages(cast, client, auth):
    auth.login(cast.facilitator)
    base = f"/spaces/{cast.space.slug}/moderation/mutes/{cast.member.id}"
    assert client.get(base).status_code == 200
    assert client.post(base, data={"hours": "24", "reason": ""}).status_code == 422
    assert client.post(base, data={"hours": "24", "reason": "Too loud"}).status_code == 303
    assert "Too loud" in client.get(f"/spaces/{cast.space.slug}/moderation").get_data(as_text=True)
    assert client.post(f"{base}/lift").status_code == 303
    assert services.active_mute(cast.member, cast.space) is None
