from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from cocreate import PROJECT_DIR, create_app
from cocreate.extensions import db
from cocreate.spaces.barriers import BARRIERS


def test_migration_seeds_the_six_barriers_in_both_languages(tmp_path):
    url = f"sqlite:///{tmp_path / 'barriers.sqlite'}"
    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(PROJECT_DIR / "migrations"))
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT slug, name_en, name_da, description_en, description_da FROM themes "
            "WHERE kind = 'barrier' ORDER BY position"
        )).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == BARRIERS


def test_barrier_page_shows_the_name_in_the_reader_language(client, app):
    from ..factories import barrier

    barrier("too-busy")
    db.session.commit()
    html = client.get("/barriers/too-busy", headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert "Alt for travlt til at gå i gang med e-handel" in html
