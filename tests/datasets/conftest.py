import pytest


@pytest.fixture
def app(make_app, tmp_path):
    from flask import g

    app = make_app(UPLOAD_FOLDER=str(tmp_path / "uploads"))
    app.before_request(lambda: g.pop("_login_user", None))
    with app.app_context():
        yield app
