import pytest

from ..factories import add_member, make_challenge, make_organisation, make_space, make_user


class IdeaWorld:
    """A public space with a facilitator, two members of one company, one of a supplier, and an outsider."""

    def __init__(self):
        self.company = make_organisation(name="Big Company A/S")
        self.supplier = make_organisation(name="Small Supplier ApS", kind="supplier")
        self.owner = make_user(name="Owner")
        self.facilitator = make_user(name="Facilitator")
        self.member = make_user(name="Member One", organisation=self.company)
        self.colleague = make_user(name="Member Two", organisation=self.company)
        self.supplier_member = make_user(name="Supplier Member", organisation=self.supplier)
        self.outsider = make_user(name="Outsider")
        self.space = make_space(title="Idea Space", slug="idea-space", owner=self.owner)
        add_member(self.space, self.facilitator, role="facilitator")
        for user in (self.member, self.colleague, self.supplier_member):
            add_member(self.space, user)
        self.challenge = make_challenge(self.space, author=self.member, title="How do we sell spare parts online?")

    def url(self, suffix=""):
        return f"/spaces/{self.space.slug}/challenges/{self.challenge.id}{suffix}"


@pytest.fixture
def world(app):
    return IdeaWorld()
