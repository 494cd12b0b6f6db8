import pytest

from cocreate import create_app
from cocreate.web.htmx import hx_location_path

from ..factories import make_user


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_pages_have_no_inline_script(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and "onclick" not in html


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def test_post_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "a@example.com", "password": "whatever it is"})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)


def test_htmx_header_token_is_accepted(csrf_app):
    client = csrf_app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = html.split('"X-CSRFToken": "')[1].split('"')[0]
    response = client.post(
        "/login", data={"email": "a@example.com", "password": "whatever it is"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 422  # past CSRF, into validation


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"CONFIG_NAME": "production", "SECRET_KEY": "dev-only-insecure-secret-key"})


def test_production_sets_hsts_and_secure_cookies(make_app):
    app = make_app(CONFIG_NAME="production", SECRET_KEY="x" * 40)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.app_context():
        response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.fixture
def limited_app(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_AUTH="3 per minute")
    with app.app_context():
        yield app


@pytest.mark.parametrize("path", ["/login", "/signup", "/password/forgot"])
def test_auth_forms_are_rate_limited_with_a_friendly_page(limited_app, path):
    client = limited_app.test_client()
    statuses = [client.post(path, data={"email": "x@example.com"}).status_code for _ in range(4)]
    assert statuses[:3] != [429] * 3 and statuses[3] == 429
    response = client.post(path, data={})
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200  # reading the form is not limited


def test_fragment_requests_get_flashes_out_of_band(client, auth):
    make_user(email="oob@example.com")
    auth.login("oob@example.com")
    response = client.get("/organisations/?q=x", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert 'id="flashes"' in html and 'hx-swap-oob="true"' in html
    assert "You are logged in." in html
    assert response.headers["Vary"] and "HX-Request" in response.headers["Vary"]


def test_htmx_redirect_uses_hx_location(client):
    make_user(email="hx@example.com")
    response = client.post("/login", data={"email": "hx@example.com", "password": "a long enough test password"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert hx_location_path(response) == "/"
