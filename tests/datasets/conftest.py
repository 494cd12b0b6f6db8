import pytest
from flask import g


def forget_last_user():
    # As tests/conftest.py does: requests share the fixture's app context, and so ``g``.
    g.pop("_login_user", None)


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(UPLOAD_FOLDER=str(tmp_path / "uploads"))
    app.before_request(forget_last_user)
    with app.app_context():
        yield app


def download(client, url):
    """GET a file and close it (send_file keeps the file open until the response is closed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response
