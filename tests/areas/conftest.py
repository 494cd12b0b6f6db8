import pytest

from ..factories import make_organisation, make_user


class AreaWorld:
    """Three LSG members, a facilitator, an admin and a plain participant."""

    def __init__(self):
        cluster = make_organisation(name="NordLog Klynge", kind="cluster")
        self.proposer = make_user(name="Lise LSG", roles=["lsg"], organisation=cluster)
        self.peer = make_user(name="Ole LSG", roles=["lsg"])
        self.other_peer = make_user(name="Birgitte LSG", roles=["lsg"])
        self.facilitator = make_user(name="Frederik Facilitator", roles=["facilitator"])
        self.admin = make_user(name="Anne Admin", roles=["admin"])
        self.participant = make_user(name="Peter Participant")


@pytest.fixture
def world(app):
    return AreaWorld()
