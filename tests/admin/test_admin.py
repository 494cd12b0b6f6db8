from cocreate.accounts.models import user_by_email
from cocreate.audit.models import AuditEntry
from cocreate.extensions import db

from ..factories import make_user


def test_admin_grants_and_revokes_roles_and_it_is_recorded(client, auth):
    admin = make_user(roles=["admin"])
    person = make_user(name="Role Person")
    auth.login(admin)
    assert client.post(f"/admin/users/{person.id}/roles/lsg", data={"grant": "1"}).status_code == 303
    assert person.has_role("lsg")
    client.post(f"/admin/users/{person.id}/roles/lsg", data={"grant": "0"})
    db.session.expire_all()
    assert not person.has_role("lsg")
    entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id, e.details["role"]) for e in entries] == [
        ("role.grant", admin.id, "lsg"), ("role.revoke", admin.id, "lsg")]


def test_admin_cannot_drop_own_admin_role(client, auth):
    admin = make_user(roles=["admin"])
    auth.login(admin)
    response = client.post(f"/admin/users/{admin.id}/roles/admin", data={"grant": "0"})
    assert response.status_code == 422
    assert admin.has_role("admin")


def test_user_list_searches_and_pages(client, auth, count_queries):
    auth.login(make_user(roles=["admin"]))
    for n in range(30):
        make_user(name=f"Searchable {n:02d}", commit=False)
    db.session.commit()
    with count_queries() as queries:
        html = client.get("/admin/users?q=searchable").get_data(as_text=True)
    assert "Searchable 00" in html and "Searchable 29" not in html
    assert len(queries) <= 6
    assert "Searchable 29" in client.get("/admin/users?q=searchable&page=2").get_data(as_text=True)


def test_non_admin_gets_403(client, auth):
    auth.login(make_user(roles=["facilitator"]))
    assert client.get("/admin/users").status_code == 403


def test_unknown_role_is_404(client, auth):
    auth.login(make_user(roles=["admin"]))
    person = make_user()
    assert client.post(f"/admin/users/{person.id}/roles/emperor", data={"grant": "1"}).status_code == 404


def test_create_admin_command(runner):
    result = runner.invoke(args=["create-admin", "Boss@Example.com", "--password", "a fine admin password"])
    assert result.exit_code == 0, result.output
    assert user_by_email("boss@example.com").is_admin
    again = runner.invoke(args=["create-admin", "boss@example.com"])
    assert again.exit_code == 0


def test_create_admin_refuses_a_weak_password(runner):
    result = runner.invoke(args=["create-admin", "weak@example.com", "--password", "123"])
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
