"""A hidden post's text reaches only its author and the space's moderators, and is never quoted."""
import html5lib
import pytest

from ..test_route_matrix import VISITORS, _sign_in, build_world

SEES_HIDDEN = {"space_member", "space_facilitator", "admin"}  # the author, the space's facilitator, the platform admin


@pytest.fixture
def world(app):
    return build_world()


def _textareas(html):
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return " ".join(area.text or "" for area in tree.iter("textarea"))


@pytest.mark.parametrize("key", ["public", "private"])
def test_hidden_text_is_shown_only_to_author_and_moderators_and_never_quoted(app, world, key):
    post, workshop, space = world.hidden_posts[key], world.workshops[key], world.spaces[key]
    base = f"/spaces/{space.slug}/workshops/{workshop.id}"
    wrong = []
    for visitor in VISITORS:
        client = app.test_client()
        if visitor != "anonymous":
            _sign_in(client, world.users[visitor])
        thread = client.get(base)
        quoted = client.get(f"{base}?reply_to={post.id}&quote=1")
        if thread.status_code != 200:
            assert key == "private" and thread.status_code == 404  # outsiders don't see the space at all
            continue
        shown = "Hidden matrix text" in thread.get_data(as_text=True)
        if shown != (visitor in SEES_HIDDEN):
            wrong.append(f"{visitor} {'sees' if shown else 'does not see'} the hidden text")
        if "Hidden matrix text" in _textareas(quoted.get_data(as_text=True)):
            wrong.append(f"{visitor} got the hidden text in the quote form")
    assert not wrong, "\n".join(wrong)
