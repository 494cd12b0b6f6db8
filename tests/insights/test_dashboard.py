"""The programme dashboard's figures against a hand-computed world, its filters, permissions and query count."""
import re

import pytest

from cocreate.extensions import db
from cocreate.insights.queries import Segment, dashboard
from cocreate.orgs.models import OrganisationMembership

from ..factories import (
    add_member, days_ago, make_assessment, make_challenge, make_coaching, make_idea, make_organisation, make_post,
    make_space, make_user, make_vote, make_workshop,
)


def _world():
    """Two companies and one executive:

    - Alpha (smart, 10-49): mapped 100 days ago at "basic" (all 1s = 20), coached 50 days ago, re-assessed
      10 days ago at "moderately advanced" (all 3s = 60): mapped and developed. Its executive answered the
      management assessment 100 and 5 days ago: the team is mapped and developed (the coaching named nobody).
    - Beta (blue, 1-9): mapped once at "average" (all 2s = 40): mapped, not developed.
    """
    alpha = make_organisation(name="Alpha ApS", sector="smart", size_band="10-49")
    beta = make_organisation(name="Beta ApS", sector="blue", size_band="1-9")
    executive = make_user(name="Alma Executive", organisation=alpha)
    db.session.get(OrganisationMembership, executive.id).position = "executive"
    db.session.commit()
    beta_person = make_user(name="Bo Beta", organisation=beta)
    make_assessment(typical=1, organisation=alpha, completed_at=days_ago(100))
    make_coaching(alpha, days=50)
    make_assessment(typical=3, organisation=alpha, completed_at=days_ago(10))
    make_assessment(typical=2, organisation=beta, completed_at=days_ago(30))
    make_assessment("management", typical=1, user=executive, completed_at=days_ago(100))
    make_assessment("management", typical=4, user=executive, completed_at=days_ago(5))
    return alpha, beta, executive, beta_person


def _figures(user, **segment):
    return dashboard(user, Segment(**segment))


def test_targets_and_distribution(app):
    _world()
    figures = _figures(make_user(roles=["facilitator"]))
    companies, teams = figures.targets
    assert (companies.mapped, companies.developed, companies.target) == (2, 1, 30)
    assert (teams.mapped, teams.developed) == (1, 1)
    company, management = figures.distributions
    assert {level.key: n for level, n in company.counts} == {
        "basic": 0, "average": 1, "moderately_advanced": 1, "advanced": 0}
    assert company.total == 2
    # all 4s = 80: "far-sighted" (>75-90)
    assert {level.key: n for level, n in management.counts if n} == {"far_sighted": 1}


def test_filters_narrow_every_figure_to_the_segment(app):
    _world()
    figures = _figures(make_user(roles=["lsg"]), sector="blue")
    companies, teams = figures.targets
    assert (companies.mapped, companies.developed, teams.mapped, teams.developed) == (1, 0, 0, 0)
    assert figures.distributions[1].total == 0
    assert (_figures(make_user(roles=["lsg"]), size_band="10-49").targets[0].mapped) == 1
    assert (_figures(make_user(roles=["lsg"]), sector="blue", size_band="10-49").targets[0].mapped) == 0


def test_heat_map_counts_visible_challenges_per_barrier_and_space(app):
    alpha, beta, executive, beta_person = _world()
    open_space = make_space(title="Open space", slug="open-space")
    closed = make_space(title="Closed space", slug="closed-space", visibility="members", join_policy="invitation")
    make_challenge(open_space, author=executive, barriers=("too-busy",))
    make_challenge(open_space, author=executive, barriers=("too-busy", "personal-contact"))
    make_challenge(open_space, author=beta_person, barriers=("too-busy",))
    make_challenge(closed, author=executive, barriers=("too-busy",))
    facilitator = make_user(roles=["facilitator"])
    heat = _figures(facilitator).heat_map
    themes = {theme.slug: theme for theme in heat.themes}
    assert [space.slug for space in heat.spaces] == ["open-space"]  # not a member of the closed one
    assert heat.count(themes["too-busy"], heat.spaces[0]) == 3
    assert heat.count(themes["personal-contact"], heat.spaces[0]) == 1
    assert heat.shade(themes["too-busy"], heat.spaces[0]) == 4 and heat.shade(themes["personal-contact"], heat.spaces[0]) == 2
    admin_heat = _figures(make_user(roles=["admin"])).heat_map
    assert [space.slug for space in admin_heat.spaces] == ["closed-space", "open-space"]
    smart = _figures(facilitator, sector="smart").heat_map
    assert smart.count(themes["too-busy"], smart.spaces[0]) == 2  # Beta's challenge is in the blue sector


def test_activity_per_week(app):
    alpha, beta, executive, beta_person = _world()
    space = make_space()
    add_member(space, executive)
    challenge = make_challenge(space, author=executive)
    idea = make_idea(challenge, author=executive)
    make_idea(challenge, author=beta_person)
    make_vote(idea, beta_person)
    workshop = make_workshop(space)
    make_post(workshop, executive)
    make_post(workshop, executive, hidden_reason="Off topic")  # hidden: not counted
    activity = _figures(make_user(roles=["admin"])).activity
    assert len(activity.weeks) == 12 and activity.weeks[-1].weekday() == 0
    this_week = {name: counts[-1] for name, counts in activity.series.items()}
    # members: the executive, Beta's person, the space owner... every account made this week
    members = db.session.execute(db.text("select count(*) from users")).scalar()
    assert this_week == {"posts": 1, "ideas": 2, "votes": 1, "members": members}
    assert sum(sum(counts[:-1]) for counts in activity.series.values()) == 0
    smart = _figures(make_user(roles=["admin"]), sector="smart").activity
    assert {name: counts[-1] for name, counts in smart.series.items() if name != "members"} == {
        "posts": 1, "ideas": 1, "votes": 0}


def test_page_shows_the_figures_with_numbers(client, auth):
    _world()
    auth.login(make_user(roles=["facilitator"]))
    page = client.get("/programme/").get_data(as_text=True)
    assert re.search(r'data-figure="target-companies-mapped">\s*2 of 30', page)
    assert re.search(r'data-figure="target-companies-developed">\s*1 of 30', page)
    assert '<progress id="target-teams-developed" max="30" value="1">' in page
    assert 'data-level="company-average">1<' in page
    assert page.count("<svg") >= 6  # two level charts and four weekly charts
    assert "Beta ApS" not in page  # figures, not names


def test_filter_form_answers_htmx_with_the_figures_only(client, auth):
    _world()
    auth.login(make_user(roles=["lsg"]))
    fragment = client.get("/programme/?sector=blue", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text and text.lstrip().startswith('<div id="figures"')
    assert re.search(r'data-figure="target-companies-mapped">\s*1 of 30', text)
    bad = client.get("/programme/?sector=nonsense")
    assert bad.status_code == 200 and re.search(r'data-figure="target-companies-mapped">\s*2 of 30', bad.get_data(as_text=True))


@pytest.mark.parametrize("roles, status", [((), 403), (("facilitator",), 200), (("lsg",), 200), (("admin",), 200)])
def test_only_facilitators_lsg_and_admins_see_the_dashboard(client, auth, roles, status):
    auth.login(make_user(roles=list(roles), organisation=make_organisation(), org_admin=True))
    assert client.get("/programme/").status_code == status
    assert client.get("/programme/competence-gaps").status_code == status
    assert client.get("/programme/competence-gaps.csv").status_code == status
    assert ('href="/programme/"' in client.get("/").get_data(as_text=True)) is (status == 200)


def test_dashboard_runs_a_fixed_number_of_queries(client, auth, count_queries):
    facilitator = make_user(roles=["facilitator"])
    auth.login(facilitator)
    _world()
    client.get("/")
    with count_queries() as small:
        client.get("/programme/?sector=smart")
    for n in range(6):
        organisation = make_organisation(sector="smart")
        person = make_user(organisation=organisation)
        make_assessment(organisation=organisation, completed_at=days_ago(40))
        make_coaching(organisation, days=20, person=person)
        make_assessment(organisation=organisation, completed_at=days_ago(2))
        space = make_space()
        challenge = make_challenge(space, author=person)
        make_vote(make_idea(challenge, author=person), facilitator)
        make_post(make_workshop(space), person)
    db.session.expire_all()
    client.get("/")  # the signed-in user is loaded again after the commits above, as for the first page
    with count_queries() as large:
        client.get("/programme/?sector=smart")
    assert len(large) == len(small) <= 8

