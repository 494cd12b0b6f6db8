import re

from itsdangerous import URLSafeTimedSerializer

from cocreate.accounts.services import RESET_SALT
from cocreate.mail import outbox

from ..factories import make_user

NEW_PASSWORD = "northern lights over skagen"


def reset_link_from_mail():
    assert len(outbox) == 1
    body = outbox[0].get_content()
    return re.search(r"http://localhost(/password/reset/\S+)", body).group(1)


def test_reset_flow_is_single_use(client, auth):
    make_user(email="reset@example.com")
    response = client.post("/password/forgot", data={"email": "Reset@example.com"})
    assert response.status_code == 303
    link = reset_link_from_mail()
    assert outbox[0]["To"] == "reset@example.com"

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert auth.login("reset@example.com", NEW_PASSWORD).status_code == 303
    auth.logout()

    again = client.get(link, follow_redirects=True)
    assert "already been used" in again.get_data(as_text=True)


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert "If an account uses that address" in response.get_data(as_text=True)
    assert outbox == []


def test_expired_token_is_refused(app, client):
    user = make_user(email="late@example.com")
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=RESET_SALT).dumps(
        {"uid": user.id, "h": user.password_hash[-16:]}
    )
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.get(f"/password/reset/{token}", follow_redirects=True)
    assert "expired" in response.get_data(as_text=True)


def test_forged_token_is_refused(client):
    response = client.get("/password/reset/not-a-real-token", follow_redirects=True)
    assert "not valid" in response.get_data(as_text=True)


def test_weak_new_password_keeps_the_form(client):
    make_user(email="weak@example.com")
    client.post("/password/forgot", data={"email": "weak@example.com"})
    link = reset_link_from_mail()
    response = client.post(link, data={"password": "abc", "confirm": "abc"})
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
