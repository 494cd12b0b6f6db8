from ..factories import make_organisation, make_user


def test_profile_shows_name_organisation_roles_and_bio(client):
    organisation = make_organisation(name="Limfjord Test A/S")
    user = make_user(name="Pia Profile", roles=["facilitator"], organisation=organisation)
    user.bio_html = "<p>Hello</p>"
    html = client.get(f"/people/{user.id}").get_data(as_text=True)
    assert "Pia Profile" in html
    assert "Limfjord Test A/S" in html
    assert "Facilitator" in html


def test_unknown_profile_is_404(client):
    assert client.get("/people/999999").status_code == 404


def test_edit_profile_renders_markdown_safely(client, auth):
    user = make_user(email="edit@example.com")
    auth.login(user)
    response = client.post(
        "/profile",
        data={"display_name": "Edited Name", "bio": "**bold** <script>alert(1)</script>", "preferred_language": "da"},
    )
    assert response.status_code == 303
    assert user.bio_html.startswith("<p><strong>bold</strong>")
    assert "<script" not in user.bio_html
    assert user.preferred_language == "da"
    assert 'lang="da"' in client.get(f"/people/{user.id}").get_data(as_text=True)


def test_edit_profile_errors_keep_input(client, auth):
    auth.login(make_user())
    response = client.post("/profile", data={"display_name": "", "bio": "my kept bio"})
    assert response.status_code == 422
    assert "my kept bio" in response.get_data(as_text=True)
