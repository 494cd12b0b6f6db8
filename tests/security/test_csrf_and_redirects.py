"""Every state-changing route refuses a request without a valid CSRF token; ``next=`` stays on this site."""
import re

import pytest
from werkzeug.routing import IntegerConverter

from cocreate.web.forms import safe_next
from cocreate.web.htmx import hx_location_path

from ..factories import DEFAULT_PASSWORD, make_user
from ..test_route_matrix import _sign_in

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# The only routes exempt from CSRF, each with its reason and its own test.
CSRF_EXEMPT = {
    # One-click unsubscribe (RFC 8058): mail clients POST without a page or a session; the signed
    # token in the URL is what authorises it (tests/notifications/test_web.py checks forged tokens).
    "notifications.unsubscribe",
}


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def _sample_url(rule):
    """A URL the rule matches: integers for int parts, a word for the rest."""
    values = {name: 1 if isinstance(converter, IntegerConverter) else "x"
              for name, converter in rule._converters.items()}
    return rule.build(values)[1]


def _state_changing_routes(app):
    return [(rule, method) for rule in app.url_map.iter_rules() if rule.endpoint not in CSRF_EXEMPT
            for method in sorted(rule.methods & STATE_CHANGING)]


def test_every_state_changing_route_refuses_a_missing_or_forged_token(csrf_app):
    routes = _state_changing_routes(csrf_app)
    assert len(routes) > 40  # the walk really covers the site
    admin = make_user(roles=["admin"])
    accepted = []
    for rule, method in routes:
        for signed_in in (False, True):
            for token in (None, "forged-token"):
                client = csrf_app.test_client()
                if signed_in:
                    _sign_in(client, admin)
                data = {"csrf_token": token} if token else {}
                headers = {"X-CSRFToken": token} if token else {}
                response = client.open(_sample_url(rule), method=method, data=data, headers=headers)
                body = response.get_data(as_text=True)
                if response.status_code != 400 or "Your form expired" not in body or "<html" not in body:
                    accepted.append(f"{method} {rule.rule} signed_in={signed_in} token={token}: {response.status_code}")
    assert not accepted, "Accepted without a valid CSRF token:\n" + "\n".join(accepted)


def test_an_htmx_request_without_a_token_gets_the_error_as_a_fragment(csrf_app):
    response = csrf_app.test_client().post("/language", data={"lang": "da"}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and "Your form expired" in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)


def _token(client, path="/login"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_a_valid_token_is_accepted(csrf_app):
    client = csrf_app.test_client()
    token = _token(client)
    assert client.post("/language", data={"lang": "da", "csrf_token": token}).status_code == 303
    assert client.post("/language", data={"lang": "en"}, headers={"X-CSRFToken": token}).status_code == 303


def test_a_token_from_another_session_is_refused(csrf_app):
    token = _token(csrf_app.test_client())
    response = csrf_app.test_client().post("/language", data={"lang": "da", "csrf_token": token})
    assert response.status_code == 400


# --- open redirects ------------------------------------------------------------------------------
OFFSITE = [
    "//evil.example.com", "https://evil.example.com", "http://evil.example.com/", "/\\evil.example.com",
    "\\\\evil.example.com", "/\\/evil.example.com", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "%2F%2Fevil.example.com",
    "//%65vil.example.com", "https:evil.example.com", "/\t/evil.example.com", "/\n/evil.example.com",
    " //evil.example.com", "\x00//evil.example.com", "///evil.example.com", "https://localhost@evil.example.com",
    "//evil.example.com/%2e%2e", "/ /evil.example.com", "／/evil.example.com",
]


@pytest.mark.parametrize("target", OFFSITE)
def test_safe_next_refuses_offsite_targets(target):
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", ["/", "/spaces/open", "/spaces/open?tab=ideas#top", "/people/3"])
def test_safe_next_keeps_paths_on_this_site(target):
    assert safe_next(target, "/fallback") == target


def _stays_here(response):
    location = response.headers.get("Location") or hx_location_path(response)
    return location.startswith("/") and not location.startswith("//") and "\\" not in location and "evil" not in location


@pytest.mark.parametrize("target", OFFSITE)
def test_log_in_sign_up_and_language_never_send_people_offsite(client, target):
    make_user(email="next@example.com")
    login = client.post("/login", query_string={"next": target},
                        data={"email": "next@example.com", "password": DEFAULT_PASSWORD})
    assert login.status_code == 303 and _stays_here(login), login.headers.get("Location")
    client.post("/logout")
    signup = client.post("/signup", query_string={"next": target}, data={
        "email": "next.new@example.com", "display_name": "Next Person", "password": DEFAULT_PASSWORD + "!",
        "confirm": DEFAULT_PASSWORD + "!"})
    assert signup.status_code == 303 and _stays_here(signup), signup.headers.get("Location")
    language = client.post("/language", data={"lang": "da", "next": target})
    assert language.status_code == 303 and _stays_here(language)


def test_maturity_position_never_sends_people_offsite(client, auth):
    from ..factories import make_organisation

    member = make_user(email="position@example.com", organisation=make_organisation())
    auth.login(member)
    response = client.post("/maturity/position", data={"position": "executive", "next": "//evil.example.com"})
    assert response.status_code == 303 and _stays_here(response)


def test_only_the_listed_routes_are_exempt_from_csrf(csrf_app):
    from cocreate.extensions import csrf

    exempt = {endpoint for endpoint, view in csrf_app.view_functions.items()
              if f"{view.__module__}.{view.__name__}" in csrf._exempt_views}
    assert exempt == CSRF_EXEMPT
