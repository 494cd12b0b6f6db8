"""The maturity pages: taking an assessment, results, team, badges, cohorts, progress."""
import re
from datetime import timedelta

import pytest

from cocreate.extensions import db
from cocreate.mail import outbox
from cocreate.maturity.models import Assessment, Cohort, CohortMessage
from cocreate.maturity.setup import instruments
from cocreate.models import utcnow
from cocreate.web.htmx import hx_location_path

from ..factories import make_assessment, make_organisation, make_user

HX = {"HX-Request": "true"}


def _company():
    return instruments().latest("company")


def _start(client, key="company"):
    response = client.post(f"/maturity/start/{key}")
    assert response.status_code == 303
    return response.headers["Location"]


def test_step_shows_progress_fieldsets_and_anchors(client, auth):
    organisation = make_organisation()
    auth.login(make_user(organisation=organisation))
    html = client.get(_start(client)).get_data(as_text=True)
    assert "Step 1 of 7" in html and '<progress max="7" value="1"' in html
    assert html.count("<fieldset") == 4 and "<legend>" in html
    first = _company().dimensions[0].items[0]
    assert first.anchors[5].text.en in html


def test_step_is_danish_in_danish(client, auth):
    organisation = make_organisation()
    user = make_user(organisation=organisation)
    user.preferred_language = "da"
    db.session.commit()
    auth.login(user)
    html = client.get(_start(client)).get_data(as_text=True)
    first = _company().dimensions[0].items[0]
    assert first.text.da in html and first.anchors[0].text.da in html
    assert "Trin 1 af 7" in html


def test_plain_post_saves_draft_and_resumes_where_left(client, auth):
    organisation = make_organisation()
    auth.login(make_user(organisation=organisation))
    url = _start(client)
    response = client.post(url, data={"D1.1": "3", "D1.2": "4", "move": "next"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/steps/2")
    client.post(response.headers["Location"], data={"D2.1": "1", "move": "save"})
    assessment = db.session.scalar(db.select(Assessment))
    db.session.refresh(assessment)
    assert assessment.answers == {"D1.1": 3, "D1.2": 4, "D2.1": 1} and not assessment.is_complete
    # Coming back later resumes the same draft on the step last saved.
    resumed = client.post("/maturity/start/company")
    assert resumed.headers["Location"].endswith(f"/assessments/{assessment.id}/steps/2")
    html = client.get(resumed.headers["Location"]).get_data(as_text=True)
    assert re.search(r'name="D2.1" value="1" checked', html)


def test_htmx_change_saves_without_reload(client, auth):
    organisation = make_organisation()
    auth.login(make_user(organisation=organisation))
    url = _start(client)
    response = client.post(url, data={"D1.1": "2"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="assessment-save-status"' in body and "<html" not in body and "Saved" in body
    assert db.session.scalar(db.select(Assessment)).answers == {"D1.1": 2}
    nxt = client.post(url, data={"D1.1": "2", "move": "next"}, headers=HX)
    assert nxt.status_code == 204 and hx_location_path(nxt).endswith("/steps/2")


def _answer_all(client, url, instrument, value):
    for number, dimension in enumerate(instrument.dimensions, start=1):
        step_url = re.sub(r"/steps/\d+$", f"/steps/{number}", url)
        data = {item.id: str(value(item)) for item in dimension.items}
        response = client.post(step_url, data={**data, "move": "next"})
    return response


def test_completion_stores_and_shows_the_specified_scores(client, auth):
    organisation = make_organisation()
    auth.login(make_user(organisation=organisation))
    url = _start(client)
    # D1..D6 all 3 (60.0); D7 items 5,5,5,5,4 -> 24/25 = 96.0
    response = _answer_all(client, url, _company(), lambda item: (4 if item.id == "D7.5" else 5) if item.id.startswith("D7") else 3)
    assert response.status_code == 303 and "/maturity/assessments/" in response.headers["Location"]
    assessment = db.session.scalar(db.select(Assessment))
    # DMA = mean(D1..D6) = 60.0; Future Ecom = (6*60 + 96)/7 = 65.14 -> 65.1: Moderately advanced
    assert assessment.overall == 65.1 and assessment.level_key == "moderately_advanced"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-composite="dma">60.0<' in html and 'data-composite="future_ecom">65.1<' in html
    assert 'data-dimension="D7">96.0<' in html
    assert '<svg class="radar"' in html and 'role="img"' in html and "<title id=" in html and "<table" in html


def test_finishing_with_gaps_keeps_answers_and_says_what_is_missing(client, auth):
    organisation = make_organisation()
    auth.login(make_user(organisation=organisation))
    url = _start(client).replace("/steps/1", "/steps/7")
    response = client.post(url, data={"D7.1": "2", "move": "next"})
    assert response.status_code == 422 and "still unanswered" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Assessment)).answers == {"D7.1": 2}


def test_management_needs_a_position_and_shows_horizon_and_gap(client, auth):
    organisation = make_organisation()
    user = make_user(organisation=organisation)
    auth.login(user)
    assert client.post("/maturity/start/management").status_code == 403
    assert client.post("/maturity/position", data={"position": "board"}).status_code == 303
    url = _start(client, "management")
    values = {"E2": 1, "E4": 4}
    response = _answer_all(client, url, instruments().latest("management"), lambda item: values.get(item.id[:2], 3))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-horizon="E2">20.0<' in html and 'data-horizon="E4">80.0<' in html
    assert 'data-gap="imagination_gap">+60.0<' in html


def test_history_lists_earlier_assessments_with_a_line_chart(client, auth):
    organisation = make_organisation()
    user = make_user(organisation=organisation, org_admin=True)
    make_assessment(typical=1, organisation=organisation, taken_by=user, completed_at=utcnow() - timedelta(days=200))
    latest = make_assessment(typical=3, organisation=organisation, taken_by=user)
    auth.login(user)
    html = client.get(f"/maturity/assessments/{latest.id}").get_data(as_text=True)
    assert '<svg class="history-chart"' in html and "20.0" in html and "60.0" in html and "<polyline" in html


def test_chart_text_is_escaped(app):
    from cocreate.maturity.charts import radar_svg

    svg = str(radar_svg([("<b>", 50), ("x", 10), ("y", 90)], "A & B", "<script>"))
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "A &amp; B" in svg and "<script>" not in svg


def test_others_see_only_the_badge(client, auth):
    organisation = make_organisation()
    taker = make_user(organisation=organisation)
    assessment = make_assessment(typical=2, organisation=organisation, taken_by=taker)
    member = make_user(organisation=organisation)
    outsider = make_user()
    for visitor, status in ((member, 404), (outsider, 404)):
        auth.login(visitor)
        assert client.get(f"/maturity/assessments/{assessment.id}").status_code == status
        auth.logout()
    auth.login(outsider)
    html = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    assert "mbadge" in html and "Average" not in html or "40.0" not in html


def test_team_profile_is_the_mean_of_executives_latest(client, auth):
    organisation = make_organisation()
    ceo = make_user(organisation=organisation, org_admin=True)
    board = make_user(organisation=organisation)
    staff = make_user(organisation=organisation)
    for person, position in ((ceo, "executive"), (board, "board"), (staff, "staff")):
        person.membership.position = position
    db.session.commit()
    make_assessment("management", typical=1, user=ceo, completed_at=utcnow() - timedelta(days=100))
    make_assessment("management", typical=2, user=ceo)  # 40.0, the latest counts
    make_assessment("management", typical=4, user=board)  # 80.0
    make_assessment("management", typical=5, user=staff)  # not an executive: left out
    auth.login(ceo)
    html = client.get(f"/maturity/organisations/{organisation.id}/team").get_data(as_text=True)
    assert "2 of 2 executives" in html and 'data-composite="overall">60.0<' in html


def test_badges_load_in_one_query_for_any_number_of_people(app, count_queries):
    from cocreate.maturity.queries import badges_for_users

    def build(n):
        ids = []
        for _ in range(n):
            organisation = make_organisation()
            user = make_user(organisation=organisation)
            user.membership.position = "executive"
            make_assessment(typical=2, organisation=organisation, taken_by=user)
            make_assessment("management", typical=4, user=user)
            ids.append(user.id)
        return ids

    few, many = build(2), build(8)
    with count_queries() as queries:
        badges = badges_for_users(few)
    assert len(queries) == 1
    with count_queries() as queries:
        badges = badges_for_users(few + many)
    assert len(queries) == 1
    assert [b.level_key for b in badges[few[0]]] == ["average", "far_sighted"]


def test_member_list_page_has_fixed_queries(client, count_queries):
    organisation = make_organisation()

    def add(n):
        for _ in range(n):
            user = make_user(organisation=organisation)
            make_assessment("management", typical=3, user=user)

    add(2)
    with count_queries() as few:
        assert "mbadge" in client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    add(6)
    with count_queries() as many:
        client.get(f"/organisations/{organisation.id}")
    assert len(many) == len(few)


def _mapped(n, base=1.0, step=0.2):
    organisations = []
    for i in range(n):
        organisation = make_organisation()
        make_assessment(typical=0, organisation=organisation,
                        answers={item.id: min(5, round(base + step * i)) for item in _company().items})
        organisations.append(organisation)
    return organisations


BUILDER = "/maturity/cohorts/builder?instrument=company&pool=mapped&dimension=&min_size=2&max_size=4&target_size=3&max_spread=25"


def test_builder_preview_save_message_and_stability(client, auth):
    organisations = _mapped(5, base=1, step=0.2)  # scores 20, 20, 20, 40, 40 ...
    outlier = make_organisation(name="Far Ahead A/S")
    make_assessment(typical=5, organisation=outlier)
    members = [make_user(organisation=o) for o in organisations]
    auth.login(make_user(roles=["facilitator"]))
    page = client.get(BUILDER)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Needs 1:1 coaching" in html and "Far Ahead A/S" in html
    fragment = client.get(BUILDER, headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="cohort-preview"') and "<html" not in fragment
    form = dict(part.split("=") for part in BUILDER.split("?")[1].split("&"))
    saved = client.post("/maturity/cohorts/builder", data={**form, "name": ["Starters", "Movers"]})
    assert saved.status_code == 303
    cohorts = db.session.scalars(db.select(Cohort).order_by(Cohort.id)).all()
    assert cohorts[0].name == "Starters" and all(m.organisation_id != outlier.id for c in cohorts for m in c.members)
    stored = [(m.organisation_id, m.score, m.level_key) for m in cohorts[0].members]

    # A re-assessment moves one member up; the saved cohort keeps its stored score and level.
    moved = cohorts[0].members[0].organisation_id
    make_assessment(typical=5, organisation=db.session.get(type(outlier), moved))
    db.session.expire_all()
    cohort = db.session.get(Cohort, cohorts[0].id)
    assert [(m.organisation_id, m.score, m.level_key) for m in cohort.members] == stored
    html = client.get(f"/maturity/cohorts/{cohort.id}").get_data(as_text=True)
    assert "moved" in html

    response = client.post(f"/maturity/cohorts/{cohort.id}", data={"subject": "Workshop", "body": "See you"})
    assert response.status_code == 303
    recipients = {m.user_id for m in cohort.members}  # noqa: F841 (organisation cohorts mail the members)
    addresses = {message["To"] for message in outbox}
    in_cohort = {u.email for u in members if u.membership.organisation_id in {m.organisation_id for m in cohort.members}}
    assert addresses == in_cohort and db.session.scalar(db.select(CohortMessage)).recipients == len(in_cohort)
    assert "See you" in client.get(f"/maturity/cohorts/{cohort.id}").get_data(as_text=True)


def test_builder_rejects_bad_sizes(client, auth):
    auth.login(make_user(roles=["facilitator"]))
    bad = BUILDER.replace("min_size=2", "min_size=9")
    assert client.get(bad).status_code == 422


def test_progress_lists_mapped_and_reassessed(client, auth):
    mapped, twice, _never = make_organisation(name="A Mapped"), make_organisation(name="B Twice"), make_organisation(name="C Never")
    make_assessment(typical=1, organisation=mapped)
    make_assessment(typical=1, organisation=twice, completed_at=utcnow() - timedelta(days=90))
    make_assessment(typical=4, organisation=twice)
    auth.login(make_user(roles=["facilitator"]))
    html = client.get("/maturity/progress").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    text = [re.sub(r"<[^>]+>|\s+", " ", row) for row in rows]
    assert any("A Mapped" in t and " yes " in t and " no " in t for t in text)
    assert any("B Twice" in t and "Advanced" in t and t.count(" yes ") == 2 for t in text)


def test_home_shows_your_maturity_and_cohort(client, auth):
    organisation = make_organisation()
    user = make_user(organisation=organisation)
    make_assessment(typical=4, organisation=organisation, taken_by=user)
    auth.login(user)
    html = client.get("/").get_data(as_text=True)
    assert "Your maturity" in html and "Advanced" in html


def test_person_level_and_band_helpers(app):
    from cocreate.maturity.queries import level_in_band, person_level

    organisation = make_organisation()
    user = make_user(organisation=organisation)
    assert person_level(user, "company") is None and not level_in_band(None, 0, 3)
    make_assessment(typical=2, organisation=organisation)
    level = person_level(user, "company")
    assert level.key == "average" and level_in_band(level, 1, 2) and not level_in_band(level, 2, 3)


def test_a_broken_instrument_stops_the_app(tmp_path):
    from cocreate import create_app

    (tmp_path / "company-v1.json").write_text("{ not json")
    with pytest.raises(RuntimeError, match="company-v1.json"):
        create_app({"CONFIG_NAME": "testing", "MATURITY_INSTRUMENT_DIR": str(tmp_path)})


def test_every_maturity_string_has_danish():
    from cocreate.i18n import missing_translations

    missing = {msgid: where for msgid, where in missing_translations("da").items()
               if any("maturity" in place for place in where)}
    assert not missing, missing
