from cocreate.accounts.models import User, user_by_email
from cocreate.extensions import db

from ..factories import DEFAULT_PASSWORD, make_user

GOOD_PASSWORD = "fjord breeze lighthouse"


def signup(client, **overrides):
    data = {"email": "ny@example.com", "display_name": "Nina Nygaard", "password": GOOD_PASSWORD,
            "confirm": GOOD_PASSWORD, **overrides}
    return client.post("/signup", data=data)


def test_signup_creates_account_and_logs_in(client):
    response = signup(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/organisations/choose")
    user = user_by_email("ny@example.com")
    assert user.display_name == "Nina Nygaard"
    assert user.password_hash.startswith("pbkdf2:") and GOOD_PASSWORD not in user.password_hash
    assert client.get("/profile").status_code == 200


def test_duplicate_email_in_other_case_is_refused_and_keeps_input(client):
    make_user(email="taken@example.com")
    response = signup(client, email="TAKEN@Example.com", display_name="Kept Name")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already exists" in html
    assert 'value="Kept Name"' in html
    assert GOOD_PASSWORD not in html
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_weak_password_gets_a_clear_message(client):
    response = signup(client, password="short", confirm="short")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "at least 10 characters" in html
    assert 'value="ny@example.com"' in html
    assert user_by_email("ny@example.com") is None


def test_password_made_of_own_name_is_refused(client):
    response = signup(client, password="ninanygaard2024", confirm="ninanygaard2024")
    assert response.status_code == 422
    assert "name or e-mail" in response.get_data(as_text=True)


def test_common_password_is_refused(client):
    response = signup(client, password="password123", confirm="password123")
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)


def test_mismatched_confirmation(client):
    response = signup(client, confirm="something else entirely")
    assert response.status_code == 422
    assert "do not match" in response.get_data(as_text=True)


def test_login_and_logout(client, auth):
    user = make_user(email="login@example.com")
    response = auth.login("LOGIN@example.com")
    assert response.status_code == 303
    assert client.get("/profile").status_code == 200
    assert auth.logout().status_code == 303
    assert client.get("/profile").status_code == 302
    assert user.id


def test_logout_needs_post(client):
    assert client.get("/logout").status_code == 405


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth):
    make_user(email="known@example.com")
    wrong = auth.login("known@example.com", "not the password at all")
    unknown = auth.login("nobody@example.com", "not the password at all")
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "e-mail or password is not right" in response.get_data(as_text=True)
    assert 'value="known@example.com"' in wrong.get_data(as_text=True)
    assert "not the password at all" not in wrong.get_data(as_text=True)


def test_login_regenerates_the_session(client, auth):
    make_user(email="fix@example.com")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("fix@example.com")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


def test_remember_me_sets_a_remember_cookie(client, auth):
    make_user(email="remember@example.com")
    auth.login("remember@example.com", remember="y")
    assert client.get_cookie("remember_token") is not None


def test_next_only_goes_to_this_site(client):
    make_user(email="next@example.com")
    data = {"email": "next@example.com", "password": DEFAULT_PASSWORD}
    response = client.post("/login?next=https://evil.example/steal", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=//evil.example", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/organisations/", data=data)
    assert response.headers["Location"] == "/organisations/"


def test_inactive_account_cannot_log_in(client, auth):
    user = make_user(email="gone@example.com")
    user.is_active = False
    db.session.commit()
    assert auth.login("gone@example.com").status_code == 422
