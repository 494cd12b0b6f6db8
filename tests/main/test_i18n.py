from cocreate.i18n import missing_translations

from ..factories import make_user


def test_accept_language_picks_danish(client):
    html = client.get("/", headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="da"' in html
    assert "Log ind" in html


def test_english_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in html and "Log in" in html


def test_switch_beats_accept_language(client):
    response = client.post("/language", data={"lang": "da", "next": "/organisations/"})
    assert response.headers["Location"] == "/organisations/"
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="da"' in html


def test_switch_ignores_outside_next(client):
    response = client.post("/language", data={"lang": "da", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_user_setting_beats_the_switch(client, auth):
    user = make_user(email="sprog@example.com")
    user.preferred_language = "da"
    auth.login(user)
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert '<html lang="da"' in client.get("/").get_data(as_text=True)


def test_every_string_has_a_danish_translation():
    missing = missing_translations("da")
    listing = "\n".join(f"{where[0]}: {msgid!r}" for msgid, where in sorted(missing.items()))
    assert not missing, f"{len(missing)} strings lack Danish (run `flask i18n-missing`):\n{listing}"
