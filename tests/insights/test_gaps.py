"""The competence-gap report: hand-computed cells, the rule that hides groups under 5, the CSV and print."""
import csv
import io

from cocreate.extensions import db
from cocreate.insights.queries import gap_report
from cocreate.maturity.setup import instruments

from ..factories import days_ago, make_assessment, make_organisation, make_user

SECTORS = ["smart", "green", "blue", "attractive", "other"]
SIZES = ["1-9", "10-49", "50-249", "250+"]


def answers(typical, **by_dimension):
    """Every item ``typical``, except the dimensions named (D7=1 answers every D7 item 1)."""
    instrument = instruments().latest("company")
    return {item.id: by_dimension.get(d.code, typical) for d in instrument.dimensions for item in d.items}


def _world():
    """Five smart companies (10-49) answering 1..5 everywhere but D7, which all answer 1; four blue ones (1-9)
    answering 2. Dimension scores: smart 20, 40, 60, 80, 100; blue 40 each; D7 20 for all.

    By hand, D1 for all nine: (20+40+60+80+100 + 4×40) / 9 = 460 / 9 = 51.1; below Moderately advanced (≤ 50):
    20, 40 and the four 40s = 6 of 9 = 66.7 %. Smart D1: 300 / 5 = 60.0, 2 of 5 = 40.0 %. D7: 20.0, 100 %.
    """
    for typical in (1, 2, 3, 4, 5):
        organisation = make_organisation(sector="smart", size_band="10-49")
        make_assessment(answers=answers(0), organisation=organisation, completed_at=days_ago(90))  # an older one
        make_assessment(answers=answers(typical, D7=1), organisation=organisation, completed_at=days_ago(10))
    for _ in range(4):
        make_assessment(answers=answers(2, D7=1), organisation=make_organisation(sector="blue", size_band="1-9"))


def test_cells_match_the_hand_computed_figures(app):
    _world()
    report = gap_report(SECTORS, SIZES)
    assert report.total == 9
    all_d1 = report.cell("all", "all", "D1")
    assert (all_d1.organisations, all_d1.average, all_d1.share_below) == (9, 51.1, 66.7)
    smart_d1 = report.cell("sector", "smart", "D1")
    assert (smart_d1.organisations, smart_d1.average, smart_d1.share_below, smart_d1.suppressed) == (5, 60.0, 40.0, False)
    assert report.cell("size_band", "10-49", "D1").average == 60.0
    d7 = report.cell("all", "all", "D7")
    assert (d7.average, d7.share_below) == (20.0, 100.0)
    assert report.ranking[0][0].code == "D7"
    assert [d.code for d, _cell in report.ranking[1:]] == ["D1", "D2", "D3", "D4", "D5", "D6"]  # ties by code


def test_groups_under_five_organisations_are_suppressed(app):
    _world()
    report = gap_report(SECTORS, SIZES)
    assert report.cell("sector", "blue", "D1").organisations == 4
    assert report.cell("sector", "blue", "D1").suppressed  # 4: hidden
    assert not report.cell("sector", "smart", "D1").suppressed  # 5: shown
    assert report.cell("size_band", "1-9", "D3").suppressed
    assert report.cell("sector", "green", "D3").suppressed  # nobody


def test_too_few_organisations_hide_the_ranking(app):
    for _ in range(4):
        make_assessment(typical=2, organisation=make_organisation())
    report = gap_report(SECTORS, SIZES)
    assert report.ranking == [] and report.cell("all", "all", "D1").suppressed


def test_page_shows_numbers_and_fewer_than_5(client, auth):
    _world()
    auth.login(make_user(roles=["lsg"]))
    page = client.get("/programme/competence-gaps").get_data(as_text=True)
    smart = page.split('data-cell="sector/smart/D1">')[1].split("</td>")[0]
    assert "60.0" in smart and "40 % below" in smart
    blue = page.split('data-cell="sector/blue/D1">')[1].split("</td>")[0]
    assert "fewer than 5" in blue and "40.0" not in blue
    assert 'data-rank="1" data-dimension="D7"' in page
    assert "/programme/competence-gaps.csv" in page


def test_csv_applies_the_same_suppression(client, auth):
    _world()
    auth.login(make_user(roles=["facilitator"]))
    response = client.get("/programme/competence-gaps.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_key = {(row["grouping"], row["group"], row["dimension"]): row for row in rows}
    assert by_key[("all", "All organisations", "D1")]["average_score"] == "51.1"
    assert by_key[("sector", "smart", "D1")]["share_below_moderately_advanced_percent"] == "40.0"
    blue = by_key[("sector", "blue", "D1")]
    assert blue["organisations"] == blue["average_score"] == blue["share_below_moderately_advanced_percent"] == "fewer than 5"
    assert len(rows) == 7 * (1 + len(SECTORS) + len(SIZES))


def test_print_stylesheet_hides_the_site_around_the_report(app):
    css = (app.static_folder + "/css/app.css")
    with open(css, encoding="utf-8") as handle:
        text = handle.read()
    insights = text[text.index("/* == insights == */"):]
    assert "@media print" in insights and ".report" in insights


def test_report_reads_in_danish(client, auth):
    _world()
    reader = make_user(roles=["lsg"])
    reader.preferred_language = "da"
    db.session.commit()
    auth.login(reader)
    page = client.get("/programme/competence-gaps").get_data(as_text=True)
    assert "færre end 5" in page and "40 % under" in page and "Rapport om kompetencegab" in page


def test_report_runs_a_fixed_number_of_queries(client, auth, count_queries):
    auth.login(make_user(roles=["lsg"]))
    make_assessment(typical=2, organisation=make_organisation())
    client.get("/")
    with count_queries() as small:
        client.get("/programme/competence-gaps")
    _world()
    client.get("/")
    with count_queries() as large:
        client.get("/programme/competence-gaps")
    assert len(large) == len(small) <= 4
