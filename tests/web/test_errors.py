import pytest
from flask import abort



@pytest.fixture
def error_app(make_app):
    app = make_app(SHOW_ERROR_PAGES=True)

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.route("/status/<int:code>", methods=["GET", "POST"])
    def status(code):
        abort(code)

    with app.app_context():
        yield app


@pytest.mark.parametrize("code", [400, 403, 404, 413, 429, 500, 503])
def test_error_pages_have_the_site_look(error_app, code):
    response = error_app.test_client().get(f"/status/{code}")
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert "<nav" in html and 'id="main"' in html
    assert str(code) in html


def test_unexpected_error_gives_the_500_page(error_app):
    response = error_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "kaboom" not in response.get_data(as_text=True)


def test_htmx_errors_are_a_small_fragment(error_app):
    response = error_app.test_client().get("/status/403", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert "<html" not in response.get_data(as_text=True)


def test_boosted_errors_replace_the_page(error_app):
    response = error_app.test_client().post("/status/403", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "body"
    assert response.headers["HX-Push-Url"] == "false"
    assert "<nav" in response.get_data(as_text=True)
