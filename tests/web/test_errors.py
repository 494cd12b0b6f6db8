import pytest
from flask import abort

from cocreate import create_app
from cocreate.extensions import db


@pytest.fixture
def error_app(database_url):
    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "SHOW_ERROR_PAGES": True})

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.route("/status/<int:code>")
    def status(code):
        abort(code)

    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


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
